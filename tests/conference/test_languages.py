"""The interface in English, Spanish, German and French: catalogs, choice of language, cache."""

import html
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from schedule.releases.service import release_schedule
from tests.factories import EventFactory, UserFactory, scheduled_talk

TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[-+ ]?[sd]|\{(\w+)\}")
# Where the marked strings are: the apps and the templates (not tests, bench, deploy).
SOURCE_DIRECTORIES = ["api", "conference", "infrastructure", "proposals", "schedule", "speakers"]
SOURCE_DIRECTORIES += ["templates", "static"]


def catalog(code):
    path = Path(settings.BASE_DIR, "locale", code, "LC_MESSAGES", "django.po")
    assert path.exists(), f"{path.relative_to(settings.BASE_DIR)} is missing"
    return polib.pofile(str(path))


def translation_of(code, msgid):
    entry = catalog(code).find(msgid)
    assert entry is not None, f"{msgid!r} is not in the {code} catalog"
    return entry.msgstr


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_entry_of_each_catalog_is_translated_and_none_is_fuzzy(code):
    po = catalog(code)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    obsolete = [entry.msgid for entry in po.obsolete_entries()]
    assert untranslated == [], f"{code}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"{code}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"
    assert obsolete == [], f"{code}: {len(obsolete)} obsolete, e.g. {obsolete[:5]}"
    assert len(po) > 100


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder_of_their_english(code):
    wrong = []
    for entry in catalog(code).translated_entries():
        english = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        used = set().union(*(PLACEHOLDER.findall(form) for form in forms))
        # A singular may leave out its count ("a talk of yours"), but no form
        # may bring a name the English does not have, and all of them together
        # keep every one.
        if used != english:
            wrong.append((entry.msgid, forms))
    assert wrong == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext")
def test_the_catalogs_hold_every_marked_string_of_the_code(tmp_path, monkeypatch):
    """A string marked in code or templates but missing from the catalogs fails here."""
    # makemessages writes beside the nearest locale/ it finds: it runs in a
    # tree of links to the sources, so the project's own catalogs stay as they are.
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in SOURCE_DIRECTORIES:
        (sources / name).symlink_to(Path(settings.BASE_DIR, name), target_is_directory=True)
    found_in = sources / "locale"
    found_in.mkdir()
    monkeypatch.chdir(sources)
    with override_settings(LOCALE_PATHS=[found_in]):
        call_command("makemessages", locale=["es"], symlinks=True, verbosity=0)
    found = {entry.msgid for entry in polib.pofile(str(found_in / "es/LC_MESSAGES/django.po"))}
    assert len(found) > 100
    for code in TRANSLATED:
        kept = {entry.msgid for entry in catalog(code)}
        missing = sorted(found - kept)
        assert missing == [], f"{code}: run `make messages`; missing e.g. {missing[:5]}"


@pytest.fixture
def conf(db):
    event = EventFactory(slug="langconf", name="LangConf", time_zone="Europe/Berlin")
    scheduled_talk(event, "Schedulers in depth")
    release_schedule(event=event, name="1")
    return event


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_browser_s_language_chooses_the_interface_and_not_the_content(client, conf, code):
    asks = {"accept-language": f"{code},en;q=0.5"}
    page = client.get("/langconf/schedule/?day=all", headers=asks)
    text = page.content.decode()
    assert f'<html lang="{code}"' in text
    assert translation_of(code, "Schedule") in text
    assert page["Content-Language"] == code
    # Imported content stays as written.
    assert "Schedulers in depth" in text


def test_each_language_is_its_own_copy_in_the_page_cache(client, conf):
    spanish = client.get("/langconf/", headers={"accept-language": "es"})
    english = client.get("/langconf/", headers={"accept-language": "en"})
    spanish_again = client.get("/langconf/", headers={"accept-language": "es"})
    assert '<html lang="es"' in spanish.content.decode()
    assert '<html lang="en-gb"' in english.content.decode()
    assert spanish_again.content == spanish.content
    assert spanish["ETag"] != english["ETag"]
    assert "Accept-Language" in spanish_again["Vary"]
    assert spanish_again["Content-Language"] == "es"


def test_the_switcher_remembers_the_choice_over_the_browser_s(client, conf):
    answer = client.post("/i18n/setlang/", {"language": "de", "next": "/langconf/schedule/"})
    assert answer.status_code == 302
    assert answer["Location"] == "/langconf/schedule/"
    page = client.get("/langconf/schedule/", headers={"accept-language": "fr"})
    assert '<html lang="de"' in page.content.decode()
    assert translation_of("de", "Change language") in page.content.decode()


def test_the_switcher_sends_no_one_to_another_site(client, conf):
    answer = client.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert answer.status_code == 302
    assert "evil.example" not in answer["Location"]


def test_every_page_offers_the_switcher_with_each_language_named_in_itself(client, conf):
    page = client.get("/langconf/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    for name in ("English", "Español", "Deutsch", "Français"):
        assert f">{name}</option>" in page


def test_a_german_organiser_reads_the_api_token_page_in_german(organiser_client):
    page = organiser_client.get("/accounts/tokens/", headers={"accept-language": "de"})
    text = html.unescape(page.content.decode())

    assert page.status_code == 200
    assert '<html lang="de"' in text
    assert '<h1 class="h2 mb-3">Meine API-Token</h1>' in text
    assert "Du hast noch keine API-Token." in text
    assert "You have no API tokens yet." not in text
    assert "My API tokens" not in text

    created = organiser_client.post(
        "/accounts/tokens/", {"name": "video pipeline"}, headers={"accept-language": "de"}
    )
    text = html.unescape(created.content.decode())
    assert "Dein neuer Token „video pipeline“" in text
    assert "Kopiere ihn jetzt" in text
    assert "Copy it now" not in text


def test_a_german_non_organiser_is_told_in_german_that_tokens_are_for_organisers(client, db):
    client.force_login(UserFactory(username="visitor"))

    page = client.get("/accounts/tokens/", headers={"accept-language": "de"})

    text = html.unescape(page.content.decode())
    assert page.status_code == 403
    assert "API-Token sind für das Organisationsteam" in text
    assert "API tokens are for organisers" not in text
