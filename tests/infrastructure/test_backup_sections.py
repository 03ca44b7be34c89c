"""The backup's sections as the apps register them: order, and a registration out of order."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from infrastructure.backup import Section, register, sections


def _section(part, **options):
    return Section(part=part, model=object, rows=lambda event, dumped: [], restore=print, **options)


def test_the_apps_register_the_archives_parts_in_the_order_a_restore_creates_them():
    assert [section.part for section in sections.sections()] == [
        "event",
        "rooms",
        "tracks",
        "speakers",
        "speaker_links",
        "talks",
        "talk_speakers",
        "releases",
        "released_talks",
        "released_talk_speakers",
        "release_changes",
    ]
    assert sections.app_labels() == ["conference", "schedule", "speakers"]
    # Parts an archive of format version 1 lacks.
    assert {
        section.part: section.since for section in sections.sections() if section.since > 1
    } == {
        "releases": 2,
        "released_talks": 2,
        "released_talk_speakers": 2,
        "release_changes": 3,
    }


def test_a_section_registered_before_the_parts_it_needs_stops_the_start(monkeypatch):
    monkeypatch.setattr(sections, "_sections", {})
    register(_section("event"))

    with pytest.raises(ImproperlyConfigured) as raised:
        register(_section("talks", after=("event", "rooms")))

    assert str(raised.value) == (
        "The backup section talks needs rooms registered first "
        "(the app that owns them comes earlier in INSTALLED_APPS)."
    )
    assert list(sections._sections) == ["event"]


def test_a_section_registered_before_the_event_stops_the_start(monkeypatch):
    monkeypatch.setattr(sections, "_sections", {})

    with pytest.raises(ImproperlyConfigured) as raised:
        register(_section("rooms"))

    assert str(raised.value) == "The backup's event section comes first, not rooms."
