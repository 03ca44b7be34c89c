"""The interface in each language in a real browser: no English left, nothing inaccessible."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

from schedule.models import Talk
from tests.browser.test_public_pages import serious_accessibility_problems

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


@pytest.fixture(params=TRANSLATED)
def language(request):
    return request.param


@pytest.fixture(params=[1280, 375], ids=["desktop", "phone"])
def width(request):
    return request.param


@pytest.fixture
def browser_context_options(language, width):
    """A browser set to the language (it sends it in Accept-Language), at a desktop's or a
    phone's width."""
    return {"locale": language, "viewport": {"width": width, "height": 800}}


def english_phrases(code):
    """The catalog's English texts of three words or more whose translation differs.

    Three words, so that a talk's title (imported content, shown as written)
    cannot pass for a piece of interface left untranslated.
    """
    path = Path(settings.BASE_DIR, "locale", code, "LC_MESSAGES", "django.po")
    phrases = set()
    for entry in polib.pofile(str(path)).translated_entries():
        if entry.msgstr == entry.msgid or PLACEHOLDERS.search(entry.msgid):
            continue
        if len(entry.msgid.split()) >= 3 and "<" not in entry.msgid:
            phrases.add(entry.msgid)
    return phrases


PLACEHOLDERS = re.compile(r"%\(\w+\)|\{\w+\}|%s|%d")


def interface_pages(event):
    talk = Talk.objects.get(
        event=event, title="Live Migration: Even faster, Now With a Dedicated Thread!"
    )
    return [
        f"/{event.slug}/",
        f"/{event.slug}/schedule/",
        f"/{event.slug}/talks/{talk.slug}/",
        f"/{event.slug}/speakers/",
        f"/{event.slug}/speakers/orit-wasserman/",
        f"/{event.slug}/now/",
        f"/{event.slug}/schedule/embed/",
        "/accounts/login/",
    ]


def test_no_english_is_left_in_the_interface(page, kvm_forum, language):
    phrases = english_phrases(language)
    assert phrases, "the catalog has no phrase to look for"
    left = {}
    for path in interface_pages(kvm_forum):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language
        text = " ".join(page.locator("body").inner_text().split())
        found = sorted(phrase for phrase in phrases if phrase in text)
        if found:
            left[path] = found
    assert left == {}


def test_the_switcher_turns_the_page_into_the_chosen_language(page, kvm_forum, language):
    page.goto("/kvm-forum-2012/schedule/")
    page.locator("#language-switcher-select").select_option("en-gb")
    page.locator(".language-switcher button").click()
    page.wait_for_url("**/kvm-forum-2012/schedule/")
    assert page.locator("html").get_attribute("lang") == "en-gb"
    assert page.get_by_role("link", name="All days").count() == 1
    # Remembered: the next page is English too, whatever the browser asks for.
    page.goto("/kvm-forum-2012/speakers/")
    assert page.locator("html").get_attribute("lang") == "en-gb"


def test_pages_in_each_language_have_no_serious_accessibility_violations(page, kvm_forum, language):
    assert serious_accessibility_problems(page, interface_pages(kvm_forum)) == {}
