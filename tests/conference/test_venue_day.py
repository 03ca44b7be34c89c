"""The venue's day (``Event.day_bounds``, ``Event.local_date``) over zones whose days are odd."""

import datetime

import pytest

from conference.venue_time import venue_day_bounds, venue_local_date
from tests.factories import EventFactory

UTC = datetime.UTC
SECOND = datetime.timedelta(seconds=1)


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


# (zone, date, first instant of the day, first instant of the next day), in UTC.
DAYS = [
    pytest.param(
        "Europe/Madrid",
        datetime.date(2012, 11, 7),
        utc(2012, 11, 6, 23, 0),
        utc(2012, 11, 7, 23, 0),
        id="madrid-an-ordinary-day",
    ),
    pytest.param(
        "Europe/Madrid",
        datetime.date(2013, 3, 31),
        utc(2013, 3, 30, 23, 0),
        utc(2013, 3, 31, 22, 0),
        id="madrid-23-hours-the-jump-at-02:00",
    ),
    pytest.param(
        "America/Santiago",
        datetime.date(2024, 9, 7),
        utc(2024, 9, 7, 4, 0),
        utc(2024, 9, 8, 4, 0),
        id="santiago-the-day-before-midnight-is-skipped",
    ),
    pytest.param(
        "America/Santiago",
        datetime.date(2024, 9, 8),
        utc(2024, 9, 8, 4, 0),  # 01:00 -03: the clocks go from 23:59:59 to 01:00
        utc(2024, 9, 9, 3, 0),
        id="santiago-midnight-skipped-the-day-starts-at-01:00",
    ),
    pytest.param(
        "America/Santiago",
        datetime.date(2025, 4, 5),
        utc(2025, 4, 5, 3, 0),
        utc(2025, 4, 6, 4, 0),  # 23:00–24:00 comes twice, both on the 5th
        id="santiago-25-hours-the-last-hour-repeated",
    ),
    pytest.param(
        "America/Santiago",
        datetime.date(2025, 4, 6),
        utc(2025, 4, 6, 4, 0),
        utc(2025, 4, 7, 4, 0),
        id="santiago-the-day-after-the-fall-back",
    ),
    pytest.param(
        "America/Havana",
        datetime.date(2024, 3, 10),
        utc(2024, 3, 10, 5, 0),  # 01:00 -04
        utc(2024, 3, 11, 4, 0),
        id="havana-midnight-skipped",
    ),
    pytest.param(
        "America/Havana",
        datetime.date(2024, 11, 3),
        utc(2024, 11, 3, 4, 0),  # the first of two midnights (-04, then -05)
        utc(2024, 11, 4, 5, 0),
        id="havana-midnight-repeated-the-first-one-starts-the-day",
    ),
    pytest.param(
        "Asia/Beirut",
        datetime.date(2024, 3, 31),
        utc(2024, 3, 30, 22, 0),  # 01:00 +03
        utc(2024, 3, 31, 21, 0),
        id="beirut-midnight-skipped",
    ),
    pytest.param(
        "Asia/Beirut",
        datetime.date(2024, 10, 26),
        utc(2024, 10, 25, 21, 0),
        utc(2024, 10, 26, 22, 0),  # at midnight +03 the clocks go back to 23:00
        id="beirut-25-hours-the-last-hour-repeated",
    ),
    pytest.param(
        "America/Asuncion",
        datetime.date(2024, 10, 6),
        utc(2024, 10, 6, 4, 0),  # 01:00 -03
        utc(2024, 10, 7, 3, 0),
        id="asuncion-midnight-skipped",
    ),
    pytest.param(
        "America/Asuncion",
        datetime.date(2024, 3, 23),
        utc(2024, 3, 23, 3, 0),
        utc(2024, 3, 24, 4, 0),
        id="asuncion-25-hours",
    ),
    pytest.param(
        "Pacific/Kiritimati",
        datetime.date(2024, 5, 1),
        utc(2024, 4, 30, 10, 0),  # UTC+14: the whole day starts on the day before in UTC
        utc(2024, 5, 1, 10, 0),
        id="kiritimati-utc+14",
    ),
    pytest.param(
        "Pacific/Kiritimati",
        datetime.date(1994, 12, 30),
        utc(1994, 12, 30, 10, 0),  # still UTC-10
        utc(1994, 12, 31, 10, 0),
        id="kiritimati-the-day-before-the-skipped-one",
    ),
    pytest.param(
        "Pacific/Kiritimati",
        datetime.date(1994, 12, 31),
        utc(1994, 12, 31, 10, 0),
        utc(1994, 12, 31, 10, 0),
        id="kiritimati-1994-12-31-never-happened-zero-length",
    ),
    pytest.param(
        "Pacific/Kiritimati",
        datetime.date(1995, 1, 1),
        utc(1994, 12, 31, 10, 0),
        utc(1995, 1, 1, 10, 0),
        id="kiritimati-the-day-after-the-skipped-one",
    ),
    pytest.param(
        "Pacific/Apia",
        datetime.date(2011, 12, 30),
        utc(2011, 12, 30, 10, 0),
        utc(2011, 12, 30, 10, 0),
        id="apia-2011-12-30-never-happened-zero-length",
    ),
    pytest.param(
        "Pacific/Pago_Pago",
        datetime.date(2024, 5, 1),
        utc(2024, 5, 1, 11, 0),  # UTC-11: the day ends on the day after in UTC
        utc(2024, 5, 2, 11, 0),
        id="pago-pago-utc-11",
    ),
    pytest.param(
        "Australia/Lord_Howe",
        datetime.date(2024, 10, 6),
        utc(2024, 10, 5, 13, 30),
        utc(2024, 10, 6, 13, 0),
        id="lord-howe-23.5-hours",
    ),
    pytest.param(
        "Australia/Lord_Howe",
        datetime.date(2025, 4, 6),
        utc(2025, 4, 5, 13, 0),
        utc(2025, 4, 6, 13, 30),
        id="lord-howe-24.5-hours",
    ),
    pytest.param(
        "Pacific/Chatham",
        datetime.date(2024, 9, 29),
        utc(2024, 9, 28, 11, 15),  # UTC+12:45
        utc(2024, 9, 29, 10, 15),  # UTC+13:45
        id="chatham-23-hours",
    ),
    pytest.param(
        "Pacific/Chatham",
        datetime.date(2025, 4, 6),
        utc(2025, 4, 5, 10, 15),
        utc(2025, 4, 6, 11, 15),
        id="chatham-25-hours",
    ),
    pytest.param(
        "America/Goose_Bay",
        datetime.date(2010, 11, 7),
        utc(2010, 11, 7, 3, 0),  # at 00:01 the clocks went back to 23:01 on the 6th
        utc(2010, 11, 8, 4, 0),
        id="goose-bay-clocks-back-across-midnight",
    ),
]


@pytest.mark.parametrize(("zone", "date", "start", "end"), DAYS)
def test_day_bounds_are_the_first_instants_of_the_day_and_of_the_next(zone, date, start, end):
    event = EventFactory.build(time_zone=zone, start_date=date, end_date=date)

    bounds = event.day_bounds(date)

    assert bounds == (start, end)
    assert [instant.tzinfo for instant in bounds] == [UTC, UTC]
    assert venue_day_bounds(date, zone) == bounds


@pytest.mark.parametrize(("zone", "date", "start", "end"), DAYS)
def test_local_date_agrees_with_day_bounds_at_both_edges(zone, date, start, end):
    event = EventFactory.build(time_zone=zone, start_date=date, end_date=date)

    before, after = event.local_date(start - SECOND), event.local_date(end)

    assert before < date < after
    if end > start:
        assert [event.local_date(start), event.local_date(end - SECOND)] == [date, date]


@pytest.mark.parametrize(
    ("zone", "instant", "expected"),
    [
        pytest.param("Europe/Madrid", utc(2012, 11, 7, 23, 30), (2012, 11, 8), id="madrid-00:30"),
        pytest.param(
            "America/Santiago", utc(2024, 9, 8, 3, 59, 59), (2024, 9, 7), id="santiago-23:59:59"
        ),
        pytest.param(
            "America/Santiago", utc(2024, 9, 8, 4, 0), (2024, 9, 8), id="santiago-01:00-after-jump"
        ),
        pytest.param(
            "America/Santiago",
            utc(2025, 4, 6, 3, 30),
            (2025, 4, 5),
            id="santiago-the-second-23:30",
        ),
        pytest.param(
            "America/Havana", utc(2024, 11, 3, 5, 30), (2024, 11, 3), id="havana-the-second-00:30"
        ),
        pytest.param(
            "Asia/Beirut", utc(2024, 10, 26, 21, 30), (2024, 10, 26), id="beirut-the-second-23:30"
        ),
        pytest.param(
            "Pacific/Kiritimati", utc(2024, 4, 30, 20, 0), (2024, 5, 1), id="kiritimati-10:00"
        ),
        pytest.param(
            "Pacific/Kiritimati",
            utc(1994, 12, 31, 10, 0),
            (1995, 1, 1),
            id="kiritimati-the-jump-over-a-day",
        ),
        pytest.param(
            "Pacific/Pago_Pago", utc(2024, 5, 2, 7, 0), (2024, 5, 1), id="pago-pago-20:00"
        ),
        pytest.param(
            "Pacific/Chatham", utc(2025, 4, 5, 14, 15), (2025, 4, 6), id="chatham-the-second-03:00"
        ),
        # The clocks read 23:30 on the 6th for the second time, but the 7th had begun.
        pytest.param(
            "America/Goose_Bay",
            utc(2010, 11, 7, 3, 30),
            (2010, 11, 7),
            id="goose-bay-the-hour-after-clocks-went-back",
        ),
    ],
)
def test_local_date_is_the_venue_day_an_instant_falls_in(zone, instant, expected):
    event = EventFactory.build(time_zone=zone)

    assert event.local_date(instant) == datetime.date(*expected)
    assert venue_local_date(instant, zone) == datetime.date(*expected)


@pytest.mark.parametrize(
    ("zone", "first", "last"),
    [
        ("America/Santiago", datetime.date(2024, 9, 1), datetime.date(2024, 9, 14)),
        ("America/Santiago", datetime.date(2025, 4, 1), datetime.date(2025, 4, 10)),
        ("Pacific/Kiritimati", datetime.date(1994, 12, 28), datetime.date(1995, 1, 3)),
        ("Pacific/Apia", datetime.date(2011, 12, 27), datetime.date(2012, 1, 2)),
        ("America/Goose_Bay", datetime.date(2010, 11, 4), datetime.date(2010, 11, 9)),
    ],
)
def test_an_events_days_tile_its_time_without_gaps_or_overlaps(zone, first, last):
    event = EventFactory.build(time_zone=zone, start_date=first, end_date=last)

    bounds = [event.day_bounds(day) for day in event.days]

    assert [end for _, end in bounds[:-1]] == [start for start, _ in bounds[1:]]
    assert all(start <= end for start, end in bounds)


def test_one_day_event_has_one_day_of_24_hours():
    event = EventFactory.build(
        time_zone="Europe/Madrid",
        start_date=datetime.date(2012, 11, 7),
        end_date=datetime.date(2012, 11, 7),
    )

    (day,) = event.days
    start, end = event.day_bounds(day)

    assert (day, end - start) == (datetime.date(2012, 11, 7), datetime.timedelta(hours=24))
