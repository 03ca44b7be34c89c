import datetime
import zoneinfo

import pytest

from conference.venue_time import (
    NonexistentTimeError,
    describe_zone,
    venue_datetime,
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
