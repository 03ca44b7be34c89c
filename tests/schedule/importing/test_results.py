"""Tests of ``ImportResult``'s last line and of which warnings ``--strict`` counts."""

import pytest

from schedule.importing.results import ALL_OUTCOMES, ImportResult, Outcome

PARTS = {"talks": ALL_OUTCOMES, "rooms": ALL_OUTCOMES, "speakers": ALL_OUTCOMES}


def result(**values):
    values = {"event_outcome": Outcome.CREATED, "dry_run": False} | values
    return ImportResult(event_slug="kvm-forum-2012", parts=PARTS, **values)


@pytest.mark.parametrize(
    ("values", "detail", "line"),
    [
        (
            {"talks_created": 50, "talks_updated": 2, "rooms_created": 3, "speakers_created": 40},
            False,
            "Imported 52 talks, 3 rooms, 40 speakers into kvm-forum-2012 with no warnings.",
        ),
        (
            {"talks_created": 1, "speakers_unchanged": 1, "warnings": ["f.txt:3: a"]},
            False,
            "Imported 1 talk, 1 speaker into kvm-forum-2012 with 1 warning (see above).",
        ),
        # Two warnings of one kind were printed as one line: -v 2 shows each.
        (
            {
                "talks_created": 2,
                "warnings": ["f.txt:3: a", "f.txt:9: a"],
                "grouped_warnings": {"f.txt:3: 2 talks say a": ["f.txt:3: a", "f.txt:9: a"]},
            },
            False,
            "Imported 2 talks into kvm-forum-2012 with 2 warnings (run with -v 2 to see each).",
        ),
        (
            {
                "talks_created": 2,
                "warnings": ["f.txt:3: a", "f.txt:9: a"],
                "grouped_warnings": {"f.txt:3: 2 talks say a": ["f.txt:3: a", "f.txt:9: a"]},
            },
            True,
            "Imported 2 talks into kvm-forum-2012 with 2 warnings (see above).",
        ),
        (
            {"talks_created": 3, "talks_skipped": 1, "dry_run": True, "warnings": ["f.ics: a"]},
            False,
            "Dry run: would import 3 talks (1 skipped) into kvm-forum-2012 with 1 warning "
            "(see above).",
        ),
        (
            {"event_outcome": Outcome.UNCHANGED, "talks_unchanged": 34, "rooms_unchanged": 3},
            False,
            "Nothing changed: kvm-forum-2012 already had the file's 34 talks, 3 rooms; "
            "no warnings.",
        ),
        # A file without talks says so: the talks are named even when there are none.
        (
            {"event_outcome": Outcome.UPDATED},
            False,
            "Imported 0 talks into kvm-forum-2012 with no warnings.",
        ),
        # The command released the import: the line ends with what became of it.
        (
            {"talks_created": 1, "release_note": "Released as “2”."},
            False,
            "Imported 1 talk into kvm-forum-2012 with no warnings. Released as “2”.",
        ),
        (
            {
                "event_outcome": Outcome.UNCHANGED,
                "talks_unchanged": 1,
                "release_note": "No new release: attendees already see this schedule.",
            },
            False,
            "Nothing changed: kvm-forum-2012 already had the file's 1 talk; no warnings. "
            "No new release: attendees already see this schedule.",
        ),
    ],
    ids=[
        "clean",
        "one-warning",
        "grouped",
        "grouped-v2",
        "dry-run",
        "unchanged",
        "no-talks",
        "released",
        "not-released",
    ],
)
def test_closing_line_says_what_was_imported_and_how_many_warnings(values, detail, line):
    assert result(**values).closing_line(detail=detail) == line


@pytest.mark.parametrize(
    ("clashes", "more", "told"),
    [(1, False, "1 clash"), (6, False, "6 clashes"), (100, True, "more than 100 clashes")],
)
def test_closing_line_counts_the_schedules_clashes_apart(clashes, more, told):
    imported = result(talks_created=2, warnings=["f.xml:2: no <time_zone_name>"])

    imported.add_schedule_warnings([f"f.xml:{n}: clash" for n in range(clashes)], clashes=clashes)
    imported.more_clashes = more

    assert imported.closing_line(detail=False) == (
        f"Imported 2 talks into kvm-forum-2012 with 1 warning and {told} in the schedule "
        "(see above)."
    )


def test_file_warnings_are_every_warning_but_the_schedules():
    imported = result(warnings=["f.ics:4: skipped", "f.ics:9: room by slug"])

    imported.add_schedule_warnings(["f.ics:12: clash: two talks in Hall"], clashes=1)
    imported.warnings.append("f.ics:20: a warning an importer adds last")

    assert imported.file_warnings == [
        "f.ics:4: skipped",
        "f.ics:9: room by slug",
        "f.ics:20: a warning an importer adds last",
    ]
    assert imported.warnings[2] == "f.ics:12: clash: two talks in Hall"
