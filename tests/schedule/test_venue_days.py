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
from pathlib import Path

import icalendar
import jsonschema
import pytest
import xmlschema
from django.core.exceptions import ValidationError

from conference.venue_time import venue_datetime
from tests.factories import EventFactory, TalkFactory, UserFactory
from tests.schedule.page_reading import shown_days

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

    response = client.get("/odd-days/schedule/", {"day": "all"})

    assert response.status_code == 200
    expected = [(day, titles) for day, titles in by_day(event, talks).items() if titles]
    assert shown_days(response) == expected
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


# Days that never existed at the venue -----------------------------------------------------------

SCHEMAS = Path(__file__).parent.parent / "data" / "voc-schedule"

# (zone, first date, last date, the date the zone skipped, talks as (title, wall-clock start)).
SKIPPED_DAY_EVENTS = [
    pytest.param(
        "Pacific/Kiritimati",
        datetime.date(1994, 12, 30),
        datetime.date(1995, 1, 1),
        "1994-12-31",
        [("Friday", (1994, 12, 30, 10, 0)), ("New Year's Day", (1995, 1, 1, 10, 0))],
        id="kiritimati-1994-12-31",
    ),
    pytest.param(
        "Pacific/Apia",
        datetime.date(2011, 12, 29),
        datetime.date(2011, 12, 31),
        "2011-12-30",
        [("Thursday", (2011, 12, 29, 10, 0)), ("Saturday", (2011, 12, 31, 10, 0))],
        id="apia-2011-12-30",
    ),
    pytest.param(
        "Pacific/Apia",
        datetime.date(2011, 12, 30),
        datetime.date(2012, 1, 1),
        "2011-12-30",
        [("Saturday", (2011, 12, 31, 10, 0)), ("Sunday", (2012, 1, 1, 10, 0))],
        id="apia-the-first-date-skipped",
    ),
]


def make_skipped_day_event(zone, first, last, talks):
    return make_event(
        zone,
        first,
        last,
        [(title, when, 60, f"{when[0]:04d}-{when[1]:02d}-{when[2]:02d}") for title, when in talks],
    )


def talk_days(talks):
    return {f"{when[0]:04d}-{when[1]:02d}-{when[2]:02d}": [title] for title, when in talks}


def day_tabs(response):
    """The schedule page's day tabs: ``[(label, day), ...]``, "All days" left out."""
    nav = re.search(r'<nav class="day-switcher.*?</nav>', response.content.decode(), re.S).group()
    return re.findall(r'href="\?day=([0-9-]+)"[^>]*>([^<]+)</a>', nav)


@pytest.mark.parametrize(("zone", "first", "last", "skipped", "talks"), SKIPPED_DAY_EVENTS)
def test_a_skipped_date_is_not_one_of_the_events_days(db, zone, first, last, skipped, talks):
    event = make_skipped_day_event(zone, first, last, talks)

    assert [day.isoformat() for day in event.days] == list(talk_days(talks))
    assert skipped not in [day.isoformat() for day in event.days]


@pytest.mark.parametrize(("zone", "first", "last", "skipped", "talks"), SKIPPED_DAY_EVENTS)
def test_schedule_offers_a_tab_for_each_existing_day_only(
    client, db, zone, first, last, skipped, talks
):
    make_skipped_day_event(zone, first, last, talks)

    response = client.get("/odd-days/schedule/")
    tabs = day_tabs(response)
    pages = {day: page_titles(client.get("/odd-days/schedule/", {"day": day})) for day, _ in tabs}

    assert [day for day, _ in tabs] == list(talk_days(talks))
    assert pages == talk_days(talks)


@pytest.mark.parametrize(("zone", "first", "last", "skipped", "talks"), SKIPPED_DAY_EVENTS)
def test_the_schedule_of_a_skipped_date_is_not_found_as_a_date_outside_the_event(
    client, db, zone, first, last, skipped, talks
):
    make_skipped_day_event(zone, first, last, talks)

    skipped_page = client.get("/odd-days/schedule/", {"day": skipped})
    outside_page = client.get("/odd-days/schedule/", {"day": "2030-01-01"})

    assert (skipped_page.status_code, outside_page.status_code) == (404, 404)
    for page in (skipped_page, outside_page):
        assert "<h1>Page not found</h1>" in page.content.decode()
        assert page_titles(page) == []


@pytest.mark.parametrize(("zone", "first", "last", "skipped", "talks"), SKIPPED_DAY_EVENTS)
def test_exports_number_the_existing_days_and_validate(
    client, db, zone, first, last, skipped, talks
):
    make_skipped_day_event(zone, first, last, talks)
    xsd = xmlschema.XMLSchema(SCHEMAS / "schedule.xml.xsd")
    validator = jsonschema.Draft6Validator(
        json.loads((SCHEMAS / "schedule.schema.json").read_text()),
        format_checker=jsonschema.FormatChecker(
            formats=[*jsonschema.Draft6Validator.FORMAT_CHECKER.checkers, "date", "uuid"]
        ),
    )

    xml = client.get("/odd-days/schedule.xml").content
    document = json.loads(client.get("/odd-days/schedule.json").content)

    assert [error.reason for error in xsd.iter_errors(xml.decode())] == []
    assert [error.message for error in validator.iter_errors(document)] == []
    expected = [(index, day) for index, day in enumerate(talk_days(talks), start=1)]
    root = ET.fromstring(xml)
    conference = document["schedule"]["conference"]
    assert [(int(day.get("index")), day.get("date")) for day in root.iter("day")] == expected
    assert [(day["index"], day["date"]) for day in conference["days"]] == expected
    assert (root.findtext("conference/days"), conference["daysCount"]) == (str(len(expected)), 2)
    assert (root.findtext("conference/start"), conference["start"]) == (expected[0][1],) * 2
    assert all(day.get("start") < day.get("end") for day in root.iter("day"))
    assert all(day["day_start"] < day["day_end"] for day in conference["days"])


@pytest.mark.parametrize(("zone", "first", "last", "skipped", "talks"), SKIPPED_DAY_EVENTS)
def test_board_offers_only_existing_days_and_refuses_a_skipped_one(
    superuser_client, zone, first, last, skipped, talks
):
    event = make_skipped_day_event(zone, first, last, talks)

    opened = superuser_client.get(f"/admin/schedule/talk/board/{event.pk}/")
    board = superuser_client.get(opened.url)
    skipped_board = superuser_client.get(f"/admin/schedule/talk/board/{event.pk}/{skipped}/")

    first_day = next(iter(talk_days(talks)))
    assert opened.url == f"/admin/schedule/talk/board/{event.pk}/{first_day}/"
    assert [link.date.isoformat() for link, _ in board.context["day_urls"]] == list(
        talk_days(talks)
    )
    assert f"/{skipped}/" not in board.content.decode()
    assert f'value="{skipped}"' not in board.content.decode()
    assert skipped_board.status_code == 404


@pytest.mark.parametrize(("zone", "first", "last", "skipped", "talks"), SKIPPED_DAY_EVENTS)
def test_admin_day_filter_offers_only_existing_days(
    superuser_client, zone, first, last, skipped, talks
):
    event = make_skipped_day_event(zone, first, last, talks)

    response = superuser_client.get("/admin/schedule/talk/", {"event__id__exact": event.pk})

    (day_filter,) = [spec for spec in response.context["cl"].filter_specs if spec.title == "day"]
    assert [value for value, _ in day_filter.lookup_choices] == list(talk_days(talks))
    assert f"day={skipped}" not in response.content.decode()


def test_an_event_of_skipped_dates_only_is_refused(db):
    event = EventFactory.build(
        time_zone="Pacific/Apia",
        start_date=datetime.date(2011, 12, 30),
        end_date=datetime.date(2011, 12, 30),
    )

    with pytest.raises(ValidationError) as error:
        event.full_clean()

    assert error.value.message_dict == {
        "start_date": [
            "Pacific/Apia skipped 30 December 2011 altogether: the clocks at the venue never "
            "showed it, so the event would have no day. Choose dates the venue had."
        ]
    }


def test_an_event_with_a_skipped_date_and_a_day_the_venue_had_is_valid(db):
    event = EventFactory.build(
        slug="new-year",
        time_zone="Pacific/Kiritimati",
        start_date=datetime.date(1994, 12, 31),
        end_date=datetime.date(1995, 1, 1),
    )

    event.full_clean()

    assert event.days == [datetime.date(1995, 1, 1)]
