"""Import, export, import, export: the real schedules lose nothing on the way.

The samples are the real schedules kept in ``tests/data/frab`` (copied unchanged;
their origins are in its README).
"""

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from conference.models import Event
from schedule.formats.frab.exporter import render_schedule_xml
from schedule.formats.frab.importer import frab_import
from schedule.importing.results import Outcome
from tests.auto_release import released_export_data

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "frab"
SAMPLE_FILES = [
    SAMPLES / name
    for name in (
        "38c3-hub.schedule.xml",
        "39c3-hub-20251206.schedule.xml",
        "debconf23-wafer.schedule.xml",
        "fosdem-2026.schedule.xml",
    )
]
BASE_URL = "https://conference.example.org/"
TALK_TEXTS = (
    "title",
    "subtitle",
    "abstract",
    "description",
    "type",
    "language",
    "room",
    "track",
    "slug",
    "url",
    "date",
    "start",
    "duration",
)


def export(slug):
    event = Event.objects.get(slug=slug)
    return render_schedule_xml(released_export_data(event, base_url=BASE_URL))


def talk_texts(data):
    """Per talk guid: every text field, and its people as ``(guid, name)``."""
    return {
        event.get("guid"): (
            {name: event.findtext(name) for name in TALK_TEXTS},
            [(person.get("guid"), person.text) for person in event.iter("person")],
        )
        for event in ElementTree.fromstring(data).iter("event")
    }


def file_guids(path):
    """The talk guids of a sample, and its people's ``(guid, name)`` where they have a guid."""
    root = ElementTree.parse(path).getroot()
    talks = {event.get("guid") for event in root.iter("event")}
    people = {
        (person.get("guid"), " ".join("".join(person.itertext()).split()))
        for person in root.iter("person")
        if person.get("guid")
    }
    return talks, people


@pytest.mark.django_db
@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.name.split(".")[0])
def test_real_schedule_survives_import_export_import_export(path, tmp_path):
    frab_import(path=path, event_slug="real")
    first = export("real")
    exported = tmp_path / "exported.schedule.xml"
    exported.write_bytes(first)

    again = frab_import(path=exported, event_slug="real")
    second = export("real")

    # Our own unchanged export, imported back: nothing is new, nothing changes.
    assert again.changed is False
    assert (again.event_outcome, again.talks_created, again.talks_updated) == (
        Outcome.UNCHANGED,
        0,
        0,
    )
    assert (again.speakers_created, again.speakers_updated) == (0, 0)
    assert talk_texts(second) == talk_texts(first)
    assert second == first
    talk_guids, person_guids = file_guids(path)
    exported_people = {person for _, people in talk_texts(first).values() for person in people}
    assert set(talk_texts(first)) == talk_guids
    assert person_guids <= exported_people
