import datetime
import zoneinfo

import pytest

from conference.venue_time import (
    AmbiguousTimeError,
    NonexistentTimeError,
    describe_zone,
    unambiguous_venue_datetime,
    venue_datetime,
    venue_instants,
    venue_wall_clock,
)

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


@pytest.mark.parametrize(
    ("wall_clock", "utc"),
    [
        # Winter time, as at the 2012 forum: UTC+1.
        (datetime.datetime(2012, 11, 7, 9, 0), datetime.datetime(2012, 11, 7, 8, 0)),
        # Summer time: UTC+2.
        (datetime.datetime(2012, 7, 7, 9, 0), datetime.datetime(2012, 7, 7, 7, 0)),
        # Just past midnight, the day before in UTC.
        (datetime.datetime(2012, 11, 8, 0, 30), datetime.datetime(2012, 11, 7, 23, 30)),
    ],
)
def test_venue_datetime_reads_the_clock_in_the_zone(wall_clock, utc):
    instant = venue_datetime(wall_clock, "Europe/Madrid")

    assert instant.astimezone(datetime.UTC).replace(tzinfo=None) == utc
    assert venue_wall_clock(instant, MADRID) == wall_clock


def test_venue_datetime_refuses_a_time_the_clocks_skip():
    with pytest.raises(
        NonexistentTimeError, match="2013-03-31 02:30 does not exist in Europe/Madrid"
    ):
        venue_datetime(datetime.datetime(2013, 3, 31, 2, 30), MADRID)


def test_venue_datetime_takes_the_first_of_a_repeated_hour():
    instant = venue_datetime(datetime.datetime(2012, 10, 28, 2, 30), MADRID)

    assert instant.utcoffset() == datetime.timedelta(hours=2)


def test_describe_zone_names_zone_abbreviation_and_offset():
    winter = datetime.datetime(2012, 11, 7, 8, 0, tzinfo=datetime.UTC)

    assert describe_zone(MADRID, winter) == "Europe/Madrid (CET, UTC+01:00)"
    assert describe_zone("Asia/Kolkata", winter) == "Asia/Kolkata (IST, UTC+05:30)"


def utc(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("zone", "wall_clock", "instants"),
    [
        # The repeated hour: Havana's midnight hour, Santiago's 23:00 hour (the
        # clocks go from 24:00 back to 23:00), Madrid's 02:00, Lord Howe's half hour.
        (
            "America/Havana",
            (2024, 11, 3, 0, 30),
            [utc(2024, 11, 3, 4, 30), utc(2024, 11, 3, 5, 30)],
        ),
        ("America/Havana", (2024, 11, 3, 0, 0), [utc(2024, 11, 3, 4, 0), utc(2024, 11, 3, 5, 0)]),
        ("America/Havana", (2024, 11, 3, 1, 0), [utc(2024, 11, 3, 6, 0)]),
        ("America/Santiago", (2025, 4, 5, 23, 0), [utc(2025, 4, 6, 2, 0), utc(2025, 4, 6, 3, 0)]),
        ("America/Santiago", (2025, 4, 6, 0, 0), [utc(2025, 4, 6, 4, 0)]),
        (
            "Europe/Madrid",
            (2024, 10, 27, 2, 59),
            [utc(2024, 10, 27, 0, 59), utc(2024, 10, 27, 1, 59)],
        ),
        ("Europe/Madrid", (2024, 10, 27, 3, 0), [utc(2024, 10, 27, 2, 0)]),
        (
            "Australia/Lord_Howe",
            (2025, 4, 6, 1, 45),
            [utc(2025, 4, 5, 14, 45), utc(2025, 4, 5, 15, 15)],
        ),
        ("Australia/Lord_Howe", (2025, 4, 6, 1, 15), [utc(2025, 4, 5, 14, 15)]),
        # Skipped: Madrid's spring hour, Santiago's September midnight hour.
        ("Europe/Madrid", (2024, 3, 31, 2, 30), []),
        ("America/Santiago", (2024, 9, 8, 0, 30), []),
    ],
)
def test_venue_instants_are_every_instant_the_clocks_show_a_time(zone, wall_clock, instants):
    found = venue_instants(datetime.datetime(*wall_clock), zone)

    assert [instant.astimezone(datetime.UTC) for instant in found] == instants


def test_unambiguous_venue_datetime_refuses_a_repeated_time_naming_both():
    with pytest.raises(AmbiguousTimeError) as refused:
        unambiguous_venue_datetime(datetime.datetime(2024, 11, 3, 0, 30), "America/Havana")

    assert str(refused.value) == (
        "2024-11-03 00:30 happens twice in America/Havana: first at UTC-04:00 (CDT), "
        "then an hour later at UTC-05:00 (CST), once the clocks go back."
    )


@pytest.mark.parametrize(
    ("fold", "instant"), [(0, utc(2024, 11, 3, 4, 30)), (1, utc(2024, 11, 3, 5, 30))]
)
def test_unambiguous_venue_datetime_takes_the_occurrence_it_is_told(fold, instant):
    naive = datetime.datetime(2024, 11, 3, 0, 30)

    assert unambiguous_venue_datetime(naive, "America/Havana", fold=fold) == instant


def test_unambiguous_venue_datetime_refuses_a_skipped_time_as_venue_datetime_does():
    with pytest.raises(NonexistentTimeError, match="the clocks skip it"):
        unambiguous_venue_datetime(datetime.datetime(2024, 3, 31, 2, 30), MADRID, fold=1)


def test_unambiguous_venue_datetime_ignores_the_occurrence_of_a_time_shown_once():
    naive = datetime.datetime(2024, 11, 3, 1, 30)

    assert unambiguous_venue_datetime(naive, "America/Havana", fold=1) == utc(2024, 11, 3, 6, 30)
