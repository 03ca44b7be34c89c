"""Tests of ``import_strictly``: a file with a warning is refused whole, for every importer."""

import pytest

from schedule.formats.agenda.importer import agenda_import
from schedule.formats.frab.importer import frab_import
from schedule.formats.ical.importer import ics_import
from schedule.importing.strict import WarningsRefused, import_strictly
from schedule.models import Talk

GUID = "0b9a3c1e-5d2f-4a6b-8c7d-9e0f1a2b3c4d"


def agenda(*, zone_abbreviation="", second_talk_time="10:00 - 10:30"):
    """Two talks of Ada Lovelace; the first's time (line 7) may name a zone abbreviation."""
    rows = ["# Small Conf", "## Location: Barcelona, Spain", "## Date: November 7-9, 2012", ""]
    rows += ["## Opening", "### Name: Ada Lovelace"]
    rows += [f"### Time: November 7, 2012 9:00 - 9:30{zone_abbreviation}", "", "An abstract.", ""]
    rows += ["## Closing", "### Name: Ada Lovelace"]
    rows += [f"### Time: November 7, 2012 {second_talk_time}", "", "Goodbye.", ""]
    return "\n".join(rows)


def frab(*, time_zone_name="<time_zone_name>Europe/Berlin</time_zone_name>", person_id=' id="7"'):
    """One talk of one person; without a zone name (line 3) or a person's id, a warning each."""
    rows = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<schedule><conference><acronym>small</acronym><title>Small Conf</title>",
        f"<start>2025-03-01</start><end>2025-03-01</end>{time_zone_name}",
        '</conference><day index="1" date="2025-03-01"><room name="Main Hall">',
        f'<event guid="{GUID}" id="42"><date>2025-03-01T10:00:00+01:00</date>',
        "<start>10:00</start><duration>00:30</duration><room>Main Hall</room>",
        f"<title>A talk</title><persons><person{person_id}>Grace Hopper</person></persons>",
        "</event></room></day></schedule>",
    ]
    return "\n".join(rows)


def calendar(*, all_day_event=False):
    """One talk in Brussels; an event of a whole day (its DTSTART on line 13) is skipped."""
    rows = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tests//Small//EN"]
    rows += ["X-WR-TIMEZONE:Europe/Brussels", "BEGIN:VEVENT", "UID:opening@example.org"]
    rows += ["DTSTART:20240301T080000Z", "DTEND:20240301T083000Z", "SUMMARY:Opening", "END:VEVENT"]
    if all_day_event:
        rows += ["BEGIN:VEVENT", "UID:day@example.org", "DTSTART;VALUE=DATE:20240302"]
        rows += ["SUMMARY:Social day", "END:VEVENT"]
    rows += ["END:VCALENDAR", ""]
    return "\r\n".join(rows)


def run(importer, path, **options):
    if importer == "agenda":
        return agenda_import(path=path, event_slug="small", zone="Europe/Madrid", **options)
    if importer == "frab":
        return frab_import(path=path, event_slug="small", **options)
    return ics_import(path=path, event_slug="small", **options)


# Per importer: its file name, a clean file, the same file with warnings, and those warnings.
CASES = {
    "agenda": (
        "agenda.txt",
        agenda(),
        agenda(zone_abbreviation=" CEST"),
        [
            '7: talk "Opening": the file says CEST but Europe/Madrid is on CET then; using '
            "Europe/Madrid"
        ],
    ),
    "frab": (
        "schedule.xml",
        frab(),
        frab(time_zone_name="", person_id=""),
        [
            "2: no <time_zone_name>: using Etc/GMT-1, the offset of every <date>; set the "
            "event's zone to the venue's own for pages in summer and winter time",
            "2: Etc/GMT-1 is a fixed offset with no summer time; name the venue's zone, e.g. "
            "Europe/Berlin, with --timezone (a zone of a place keeps pages right in summer and "
            "winter)",
            '7: person "Grace Hopper" has neither id nor guid; matched by name',
        ],
    ),
    "ics": (
        "calendar.ics",
        calendar(),
        calendar(all_day_event=True),
        [
            '13: event "Social day" lasts whole days (DTSTART is a date), so it is not a talk; '
            "skipped"
        ],
    ),
}


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
@pytest.mark.parametrize("importer", CASES)
def test_import_strictly_refuses_a_new_file_with_warnings_and_writes_nothing(
    tmp_path, database_rows, importer, dry_run
):
    name, _, warned, warnings = CASES[importer]
    path = write(tmp_path, name, warned)
    before = database_rows()

    with pytest.raises(WarningsRefused) as caught:
        import_strictly(lambda: run(importer, path, dry_run=dry_run), source=str(path))

    assert caught.value.messages() == [f"{path}:{warning}" for warning in warnings]
    assert caught.value.option == "--strict"
    assert database_rows() == before


@pytest.mark.parametrize("importer", CASES)
def test_import_strictly_leaves_an_imported_event_as_it_was(tmp_path, database_rows, importer):
    name, clean, warned, _ = CASES[importer]
    path = write(tmp_path, name, clean)
    run(importer, path)
    # The second file changes the talk's title too: refused, the first title stays.
    write(tmp_path, name, warned.replace("Opening", "Welcome").replace("A talk", "Welcome"))
    before = database_rows()

    with pytest.raises(WarningsRefused):
        import_strictly(lambda: run(importer, path), source=str(path))

    assert database_rows() == before
    assert Talk.objects.filter(title="Welcome").count() == 0


@pytest.mark.parametrize("importer", CASES)
def test_import_strictly_imports_a_file_without_warnings(tmp_path, db, importer):
    name, clean, _, _ = CASES[importer]
    path = write(tmp_path, name, clean)

    result = import_strictly(lambda: run(importer, path), source=str(path))

    assert (result.warnings, result.talks_created) == ([], 2 if importer == "agenda" else 1)
    assert Talk.objects.filter(event__slug="small").count() == result.talks_created


def test_import_strictly_imports_a_file_whose_schedule_clashes(tmp_path, db):
    # Ada speaks in both talks at 9:00: the schedule clashes, the file is as it should be.
    path = write(tmp_path, "agenda.txt", agenda(second_talk_time="9:00 - 9:30"))

    result = import_strictly(lambda: run("agenda", path), source=str(path))

    assert result.file_warnings == []
    assert (
        result.warnings
        == result.schedule_warnings
        == [
            f"{path}:11: clash: Ada Lovelace speaks in “Closing” while speaking in “Opening” "
            "(Wed 07 Nov 09:00–09:30)."
        ]
    )
    assert (result.clashes, Talk.objects.count()) == (1, 2)
