"""Every page, export and admin filter over the odd days of odd zones, one venue-day rule for all.

Each row is an event over days whose midnight is skipped or repeated, whose
length is not 24 hours, or that never happened at the venue, with talks on
each day (one across midnight). Every day page lists exactly its day's talks,
and the full schedule, both exports, the calendar and the admin talk list agree.
"""

import datetime
import html
import json
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest

from conference.venue_time import venue_datetime
from tests.factories import EventFactory, TalkFactory, UserFactory

UTC = datetime.UTC


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


# (zone, first day, last day, talks): each talk is (title, start, minutes, its venue day),
# the start a wall-clock time at the venue, or an instant in UTC for the second of a
# repeated hour. Talks are listed in time order.
EVENTS = [
    pytest.param(
        "America/Santiago",
        datetime.date(2024, 9, 7),
        datetime.date(2024, 9, 9),
        [
            ("Saturday keynote", (2024, 9, 7, 10, 0), 60, "2024-09-07"),
            ("Across the jump", (2024, 9, 7, 23, 30), 60, "2024-09-07"),
            ("First hour of Sunday", (2024, 9, 8, 1, 30), 30, "2024-09-08"),
            ("Monday close", (2024, 9, 9, 17, 0), 45, "2024-09-09"),
        ],
        id="santiago-2024-09-08-midnight-skipped",
    ),
    pytest.param(
        "America/Santiago",
        datetime.date(2025, 4, 5),
        datetime.date(2025, 4, 6),
        [
            ("Saturday talk", (2025, 4, 5, 10, 0), 60, "2025-04-05"),
            ("The first 23:30", (2025, 4, 5, 23, 30), 20, "2025-04-05"),
            ("The second 23:30", utc(2025, 4, 6, 3, 30), 60, "2025-04-05"),
            ("Sunday morning", (2025, 4, 6, 9, 0), 60, "2025-04-06"),
        ],
        id="santiago-2025-04-06-an-hour-repeated",
    ),
    pytest.param(
        "America/Havana",
        datetime.date(2024, 11, 2),
        datetime.date(2024, 11, 3),
        [
            ("Saturday late", (2024, 11, 2, 23, 30), 45, "2024-11-02"),
            ("The first 00:30", (2024, 11, 3, 0, 30), 15, "2024-11-03"),
            ("The second 00:30", utc(2024, 11, 3, 5, 30), 15, "2024-11-03"),
            ("Sunday afternoon", (2024, 11, 3, 15, 0), 60, "2024-11-03"),
        ],
        id="havana-midnight-repeated",
    ),
    pytest.param(
        "America/Havana",
        datetime.date(2024, 3, 9),
        datetime.date(2024, 3, 10),
        [
            ("Saturday", (2024, 3, 9, 10, 0), 60, "2024-03-09"),
            ("Over the skipped midnight", (2024, 3, 9, 23, 30), 60, "2024-03-09"),
            ("Sunday at one", (2024, 3, 10, 1, 30), 30, "2024-03-10"),
        ],
        id="havana-midnight-skipped",
    ),
    pytest.param(
        "Asia/Beirut",
        datetime.date(2024, 10, 26),
        datetime.date(2024, 10, 27),
        [
            ("Saturday", (2024, 10, 26, 10, 0), 60, "2024-10-26"),
            ("The first 23:30", (2024, 10, 26, 23, 30), 15, "2024-10-26"),
            ("The second 23:30", utc(2024, 10, 26, 21, 30), 15, "2024-10-26"),
            ("Sunday at midnight", (2024, 10, 27, 0, 0), 30, "2024-10-27"),
        ],
        id="beirut-clocks-back-at-midnight",
    ),
    pytest.param(
        "America/Asuncion",
        datetime.date(2024, 10, 5),
        datetime.date(2024, 10, 6),
        [
            ("Saturday night", (2024, 10, 5, 23, 0), 60, "2024-10-05"),
            ("Sunday's first hour", (2024, 10, 6, 1, 0), 30, "2024-10-06"),
        ],
        id="asuncion-midnight-skipped",
    ),
    pytest.param(
        "Pacific/Kiritimati",
        datetime.date(1994, 12, 30),
        datetime.date(1995, 1, 1),
        [
            ("Friday", (1994, 12, 30, 10, 0), 60, "1994-12-30"),
            ("Into the new year", (1994, 12, 30, 23, 30), 60, "1994-12-30"),
            ("New Year's Day", (1995, 1, 1, 10, 0), 60, "1995-01-01"),
        ],
        id="kiritimati-1994-12-31-never-happened",
    ),
    pytest.param(
        "Pacific/Apia",
        datetime.date(2011, 12, 29),
        datetime.date(2011, 12, 31),
        [
            ("Thursday", (2011, 12, 29, 10, 0), 60, "2011-12-29"),
            ("Saturday", (2011, 12, 31, 10, 0), 60, "2011-12-31"),
        ],
        id="apia-2011-12-30-never-happened",
    ),
    pytest.param(
        "Pacific/Kiritimati",
        datetime.date(2024, 5, 1),
        datetime.date(2024, 5, 1),
        [
            ("Morning, yesterday in UTC", (2024, 5, 1, 9, 0), 60, "2024-05-01"),
            ("Past midnight", (2024, 5, 1, 23, 30), 60, "2024-05-01"),
        ],
        id="kiritimati-utc+14-one-day-event-a-talk-across-midnight",
    ),
    pytest.param(
        "Pacific/Pago_Pago",
        datetime.date(2024, 5, 1),
        datetime.date(2024, 5, 2),
        [
            ("Evening, tomorrow in UTC", (2024, 5, 1, 20, 0), 60, "2024-05-01"),
            ("Thursday", (2024, 5, 2, 8, 0), 60, "2024-05-02"),
        ],
        id="pago-pago-utc-11",
    ),
    pytest.param(
        "Australia/Lord_Howe",
        datetime.date(2024, 10, 5),
        datetime.date(2024, 10, 6),
        [
            ("Saturday night", (2024, 10, 5, 23, 30), 60, "2024-10-05"),
            ("Half past two", (2024, 10, 6, 2, 30), 30, "2024-10-06"),
        ],
        id="lord-howe-half-an-hour-skipped",
    ),
    pytest.param(
        "Pacific/Chatham",
        datetime.date(2025, 4, 5),
        datetime.date(2025, 4, 6),
        [
            ("Saturday night", (2025, 4, 5, 23, 45), 60, "2025-04-05"),
            ("The second 03:00", utc(2025, 4, 5, 14, 15), 30, "2025-04-06"),
            ("Sunday", (2025, 4, 6, 10, 0), 60, "2025-04-06"),
        ],
        id="chatham-utc+12:45-an-hour-repeated",
    ),
    pytest.param(
        "America/Goose_Bay",
        datetime.date(2010, 11, 6),
        datetime.date(2010, 11, 7),
        [
            ("Saturday", (2010, 11, 6, 10, 0), 60, "2010-11-06"),
            # The clocks read 23:30 on the 6th for the second time: the 7th had begun.
            ("After the clocks went back", utc(2010, 11, 7, 3, 30), 30, "2010-11-07"),
            ("Sunday", (2010, 11, 7, 10, 0), 60, "2010-11-07"),
        ],
        id="goose-bay-clocks-back-across-midnight",
    ),
]


@pytest.fixture
def superuser_client(client, db):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def make_event(zone, first, last, talks):
    event = EventFactory(time_zone=zone, start_date=first, end_date=last, slug="odd-days")
    for title, when, minutes, _ in talks:
        if not isinstance(when, datetime.datetime):
            when = venue_datetime(datetime.datetime(*when), zone)
        TalkFactory(
            event=event, title=title, start=when, end=when + datetime.timedelta(minutes=minutes)
        )
    return event


def by_day(event, talks):
    """``{"2024-09-07": [titles], ...}`` for every day of the event, empty ones too."""
    days = {day.isoformat(): [] for day in event.days}
    for title, _, _, day in talks:
        days[day].append(title)
    return days


def page_titles(response):
    found = re.findall(r'class="talk-title"><a href="[^"]+">([^<]+)</a>', response.content.decode())
    return [html.unescape(title) for title in found]


@pytest.mark.parametrize(("zone", "first", "last", "talks"), EVENTS)
def test_each_day_page_lists_exactly_its_days_talks(client, db, zone, first, last, talks):
    event = make_event(zone, first, last, talks)

    pages = {}
    for day in by_day(event, talks):
        response = client.get("/odd-days/schedule/", {"day": day})
        pages[day] = (response.status_code, page_titles(response))

    assert pages == {day: (200, titles) for day, titles in by_day(event, talks).items()}


@pytest.mark.parametrize(("zone", "first", "last", "talks"), EVENTS)
def test_full_schedule_groups_talks_by_venue_day(client, db, zone, first, last, talks):
    event = make_event(zone, first, last, talks)

    response = client.get("/odd-days/schedule/")

    assert response.status_code == 200
    shown = [
        (day.date.isoformat(), [entry.talk.title for entry in day.entries])
        for day in response.context["days"]
    ]
    assert shown == [(day, titles) for day, titles in by_day(event, talks).items() if titles]
    assert page_titles(response) == [title for title, *_ in talks]


@pytest.mark.parametrize(("zone", "first", "last", "talks"), EVENTS)
def test_exports_put_each_talk_on_its_venue_day(client, db, zone, first, last, talks):
    event = make_event(zone, first, last, talks)

    xml = client.get("/odd-days/schedule.xml")
    document = json.loads(client.get("/odd-days/schedule.json").content)

    expected = by_day(event, talks)
    assert xml.status_code == 200
    assert {
        day.get("date"): [title.text for title in day.iter("title")]
        for day in ET.fromstring(xml.content).iter("day")
    } == expected
    assert {
        day["date"]: [talk["title"] for room in day["rooms"].values() for talk in room]
        for day in document["schedule"]["conference"]["days"]
    } == expected


@pytest.mark.parametrize(("zone", "first", "last", "talks"), EVENTS)
def test_export_days_follow_one_another_from_each_days_start(client, db, zone, first, last, talks):
    event = make_event(zone, first, last, talks)

    document = json.loads(client.get("/odd-days/schedule.json").content)

    days = document["schedule"]["conference"]["days"]
    starts = [datetime.datetime.fromisoformat(day["day_start"]) for day in days]
    assert starts == [event.day_bounds(day)[0] for day in event.days]


@pytest.mark.parametrize(("zone", "first", "last", "talks"), EVENTS)
def test_calendar_has_every_talk(client, db, zone, first, last, talks):
    make_event(zone, first, last, talks)

    response = client.get("/odd-days/schedule.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = [str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT")]
    assert (response.status_code, summaries) == (200, [title for title, *_ in talks])


@pytest.mark.parametrize(("zone", "first", "last", "talks"), EVENTS)
def test_admin_day_filter_lists_exactly_each_days_talks(superuser_client, zone, first, last, talks):
    event = make_event(zone, first, last, talks)

    lists = {}
    for day in by_day(event, talks):
        response = superuser_client.get("/admin/schedule/talk/", {"day": day})
        lists[day] = (response.status_code, [t.title for t in response.context["cl"].result_list])

    assert lists == {day: (200, titles) for day, titles in by_day(event, talks).items()}


@pytest.mark.parametrize(("zone", "first", "last", "talks"), EVENTS)
def test_board_of_each_day_shows_exactly_its_days_talks(superuser_client, zone, first, last, talks):
    event = make_event(zone, first, last, talks)

    boards = {}
    for day in by_day(event, talks):
        response = superuser_client.get(f"/admin/schedule/talk/board/{event.pk}/{day}/")
        board = response.context["board"]
        boards[day] = (
            response.status_code,
            [card.talk.title for card in board.cards],
            {link.date.isoformat(): link.talk_count for link in board.days},
        )

    expected = by_day(event, talks)
    counts = {day: len(titles) for day, titles in expected.items()}
    assert boards == {day: (200, titles, counts) for day, titles in expected.items()}


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_admin_day_filter_at_the_ends_of_the_calendar_lists_nothing(superuser_client, day):
    make_event("Pacific/Kiritimati", datetime.date(2024, 5, 1), datetime.date(2024, 5, 1), [])
    TalkFactory(event=EventFactory(time_zone="Pacific/Pago_Pago"), title="Elsewhere")

    response = superuser_client.get("/admin/schedule/talk/", {"day": day})

    assert (response.status_code, list(response.context["cl"].result_list)) == (200, [])
