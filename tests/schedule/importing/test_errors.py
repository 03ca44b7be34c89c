"""Tests of ``ImportFileError``: which options would let a refused file through."""

from schedule.importing.errors import ImportFileError, let_through_by
from schedule.importing.limits import ImportLimits, file_size_message, too_many_talks_message


def test_options_count_the_problems_each_option_lets_through():
    limits = ImportLimits(max_talks=10, max_file_size=100)
    error = ImportFileError(
        [
            (40, too_many_talks_message(limits)),
            (3, "no <title>"),
            (None, file_size_message(200, limits=limits)),
            (7, let_through_by("--timezone", "no time zone: pass --timezone")),
            (9, let_through_by("--timezone", 'unknown time zone "Mars/Olympus"')),
        ],
        "schedule.xml",
    )

    assert error.options() == {"--max-file-size": 1, "--timezone": 2, "--max-talks": 1}
    assert error.messages()[1] == "schedule.xml:3: no <title>"


def test_an_option_survives_a_message_passed_on_and_merged():
    # The parsers raise their own exceptions and importers merge their problems.
    message = too_many_talks_message(ImportLimits(max_talks=1))
    inner = ValueError(12, message)
    merged = ImportFileError([(5, "bad date"), inner.args], "calendar.ics")

    assert merged.options() == {"--max-talks": 1}
    assert merged.messages() == [
        "calendar.ics:5: bad date",
        "calendar.ics:12: the file has more than 1 talks, the most allowed (use --max-talks to "
        "raise it)",
    ]


def test_a_file_no_option_helps_names_none():
    assert ImportFileError([(1, "not XML")], "schedule.xml").options() == {}
