"""A new zone for an event: what ``zone_change_plan`` says it does, and ``event_change_zone``."""

import datetime
import html
import re
import zoneinfo

import pytest
from django.test import Client

from conference.models import Event
from conference.services import (
    KEEP_INSTANTS,
    KEEP_WALL_CLOCK,
    ZoneChangeError,
    event_change_zone,
    zone_change_plan,
)
from conference.venue_time import venue_datetime
from schedule.models import Talk
from tests.factories import EventFactory, TalkFactory

UTC = datetime.UTC


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


def at(zone, *args, fold=0):
    return datetime.datetime(*args, tzinfo=zoneinfo.ZoneInfo(zone), fold=fold)


def plan_for(zone, to_zone, keep, talks, first, last):
    event = EventFactory.build(time_zone=zone, start_date=first, end_date=last)
    built = [
        TalkFactory.build(event=event, title=title, start=start, end=end)
        for title, start, end in talks
    ]
    return zone_change_plan(
        talks=built, from_zone=zone, to_zone=to_zone, keep=keep, first_day=first, last_day=last
    )


NOV_7, NOV_9 = datetime.date(2012, 11, 7), datetime.date(2012, 11, 9)

# (from zone, to zone, keep, talks as (title, start, end), event's dates,
#  the talks' new (start, end) in UTC, refusals, warnings, titles taken outside the dates)
PLANS = [
    pytest.param(
        "Europe/Madrid",
        "Europe/Lisbon",
        KEEP_WALL_CLOCK,
        [("Opening", utc(2012, 11, 7, 9, 0), utc(2012, 11, 7, 10, 0))],
        (NOV_7, NOV_9),
        [(utc(2012, 11, 7, 10, 0), utc(2012, 11, 7, 11, 0))],
        [],
        [],
        [],
        id="wall-clock-10:00-madrid-stays-10:00-lisbon-an-hour-later",
    ),
    pytest.param(
        "Europe/Madrid",
        "Europe/Lisbon",
        KEEP_INSTANTS,
        [("Opening", utc(2012, 11, 7, 9, 0), utc(2012, 11, 7, 10, 0))],
        (NOV_7, NOV_9),
        [(utc(2012, 11, 7, 9, 0), utc(2012, 11, 7, 10, 0))],
        [],
        [],
        [],
        id="instants-stay",
    ),
    pytest.param(
        "Europe/Madrid",
        "Europe/Lisbon",
        KEEP_INSTANTS,
        [("Just after midnight", utc(2012, 11, 6, 23, 30), utc(2012, 11, 7, 0, 0))],
        (NOV_7, NOV_9),
        [(utc(2012, 11, 6, 23, 30), utc(2012, 11, 7, 0, 0))],
        [],
        [],
        ["Just after midnight"],
        id="instants-00:30-madrid-is-23:30-the-day-before-in-lisbon-outside",
    ),
    pytest.param(
        "Europe/Madrid",
        "Europe/Lisbon",
        KEEP_INSTANTS,
        [("Already outside", utc(2012, 11, 5, 9, 0), utc(2012, 11, 5, 10, 0))],
        (NOV_7, NOV_9),
        [(utc(2012, 11, 5, 9, 0), utc(2012, 11, 5, 10, 0))],
        [],
        [],
        [],
        id="a-talk-outside-before-is-not-taken-outside",
    ),
    pytest.param(
        "Europe/Lisbon",
        "Europe/Madrid",
        KEEP_INSTANTS,
        [("Until midnight", utc(2012, 11, 9, 22, 0), utc(2012, 11, 9, 23, 0))],
        (NOV_7, NOV_9),
        [(utc(2012, 11, 9, 22, 0), utc(2012, 11, 9, 23, 0))],
        [],
        [],
        [],
        id="ending-at-midnight-on-the-last-day-is-inside",
    ),
    pytest.param(
        "Europe/London",
        "Europe/Madrid",
        KEEP_WALL_CLOCK,
        [("Night owls", at("Europe/London", 2025, 3, 30, 2, 30), utc(2025, 3, 30, 2, 0))],
        (datetime.date(2025, 3, 29), datetime.date(2025, 3, 30)),
        [],
        [
            "“Night owls” starts at 02:30 on Sun 30 Mar 2025, a time the clocks in Europe/Madrid "
            "skip: move the talk first, or keep the talks' instants."
        ],
        [],
        [],
        id="a-time-the-new-zone-skips-is-refused",
    ),
    pytest.param(
        "Europe/London",
        "Europe/Madrid",
        KEEP_WALL_CLOCK,
        [("Night owls", utc(2025, 10, 26, 2, 30), utc(2025, 10, 26, 3, 30))],
        (datetime.date(2025, 10, 25), datetime.date(2025, 10, 26)),
        [(utc(2025, 10, 26, 0, 30), utc(2025, 10, 26, 2, 30))],
        [],
        [
            "“Night owls” starts at 02:30 on Sun 26 Oct 2025, which Europe/Madrid shows twice: "
            "it keeps the first, at UTC+02:00 (CEST)."
        ],
        [],
        id="a-time-the-new-zone-repeats-keeps-the-first-with-a-warning",
    ),
    pytest.param(
        "America/New_York",
        "America/Chicago",
        KEEP_WALL_CLOCK,
        [("The second 01:30", utc(2025, 11, 2, 6, 30), utc(2025, 11, 2, 6, 45))],
        (datetime.date(2025, 11, 1), datetime.date(2025, 11, 2)),
        [(utc(2025, 11, 2, 7, 30), utc(2025, 11, 2, 7, 45))],
        [],
        [
            "“The second 01:30” starts at 01:30 on Sun 2 Nov 2025, which America/Chicago shows "
            "twice: it keeps the second, at UTC-06:00 (CST).",
            "“The second 01:30” ends at 01:45 on Sun 2 Nov 2025, which America/Chicago shows "
            "twice: it keeps the second, at UTC-06:00 (CST).",
        ],
        [],
        id="the-second-of-a-repeated-hour-stays-the-second",
    ),
    pytest.param(
        "America/New_York",
        "America/Phoenix",
        KEEP_WALL_CLOCK,
        [("Over the repeat", utc(2025, 11, 2, 5, 50), utc(2025, 11, 2, 6, 10))],
        (datetime.date(2025, 11, 1), datetime.date(2025, 11, 2)),
        [],
        [
            "“Over the repeat” would end before it starts in America/Phoenix, whose clocks go "
            "back at another time: move the talk first, or keep the talks' instants."
        ],
        [],
        [],
        id="01:50-to-the-second-01:10-would-end-before-it-starts",
    ),
    pytest.param(
        "Europe/Madrid",
        "Europe/Paris",
        KEEP_WALL_CLOCK,
        [("Opening", utc(2012, 11, 7, 9, 0), utc(2012, 11, 7, 10, 0))],
        (NOV_7, NOV_9),
        [(utc(2012, 11, 7, 9, 0), utc(2012, 11, 7, 10, 0))],
        [],
        [],
        [],
        id="same-offsets-nothing-moves",
    ),
    pytest.param(
        "Europe/Madrid",
        "Europe/Lisbon",
        KEEP_WALL_CLOCK,
        [("Unscheduled", None, None)],
        (NOV_7, NOV_9),
        [],
        [],
        [],
        [],
        id="an-unscheduled-talk-is-left-alone",
    ),
]


@pytest.mark.parametrize(
    ("zone", "to_zone", "keep", "talks", "dates", "moved", "refusals", "warnings", "outside"),
    PLANS,
)
def test_zone_change_plan(zone, to_zone, keep, talks, dates, moved, refusals, warnings, outside):
    plan = plan_for(zone, to_zone, keep, talks, *dates)

    assert [(move.new_start, move.new_end) for move in plan.moves] == moved
    assert (list(plan.refusals), list(plan.warnings)) == (refusals, warnings)
    assert [move.talk.title for move in plan.outside] == outside


def test_zone_change_plan_says_what_changes_for_each_answer():
    talks = [
        ("Opening", utc(2012, 11, 7, 9, 0), utc(2012, 11, 7, 10, 0)),
        ("Keynote", utc(2012, 11, 8, 9, 0), utc(2012, 11, 8, 10, 0)),
    ]

    wall_clock = plan_for("Europe/Madrid", "Europe/Lisbon", KEEP_WALL_CLOCK, talks, NOV_7, NOV_9)
    instants = plan_for("Europe/Madrid", "Europe/Lisbon", KEEP_INSTANTS, talks, NOV_7, NOV_9)

    assert wall_clock.summary == (
        "2 talks: Wed 7 Nov 10:00 CET stays 10:00 WET in Europe/Lisbon (an hour later in UTC), "
        "e.g. “Opening”.",
    )
    assert instants.summary == (
        "2 talks: Wed 7 Nov 10:00 CET in Europe/Madrid becomes Wed 7 Nov 09:00 WET in "
        "Europe/Lisbon (an hour earlier on the venue's clock), e.g. “Opening”.",
    )
    assert (wall_clock.changes_anything, instants.changes_anything) == (True, True)


def test_zone_change_plan_groups_talks_the_clock_changes_move_differently():
    # New York changes its clocks three weeks before Madrid in the spring.
    talks = [
        ("Before both changes", utc(2025, 3, 3, 14, 0), utc(2025, 3, 3, 15, 0)),
        ("Between the changes", utc(2025, 3, 17, 13, 0), utc(2025, 3, 17, 14, 0)),
    ]
    first, last = datetime.date(2025, 3, 3), datetime.date(2025, 3, 17)

    plan = plan_for("America/New_York", "Europe/Madrid", KEEP_WALL_CLOCK, talks, first, last)

    assert plan.summary == (
        "1 talk: Mon 3 Mar 09:00 EST stays 09:00 CET in Europe/Madrid (6 hours earlier in UTC), "
        "e.g. “Before both changes”.",
        "1 talk: Mon 17 Mar 09:00 EDT stays 09:00 CET in Europe/Madrid (5 hours earlier in UTC), "
        "e.g. “Between the changes”.",
    )


def test_zone_change_plan_of_zones_with_the_same_clocks_changes_nothing():
    talks = [("Opening", utc(2012, 11, 7, 9, 0), utc(2012, 11, 7, 10, 0))]

    plan = plan_for("Europe/Madrid", "Europe/Paris", KEEP_WALL_CLOCK, talks, NOV_7, NOV_9)

    assert not plan.changes_anything


# event_change_zone --------------------------------------------------------------------------


def madrid_event():
    event = EventFactory(slug="kvm", time_zone="Europe/Madrid")
    for title, hour in (("Opening", 10), ("Keynote", 11)):
        start = venue_datetime(datetime.datetime(2012, 11, 7, hour, 0), "Europe/Madrid")
        TalkFactory(
            event=event, title=title, start=start, end=start + datetime.timedelta(minutes=45)
        )
    TalkFactory(event=event, title="Unscheduled", start=None, end=None)
    return event


def talk_when(response):
    """The talk page's "When": ``Wednesday 7 November 2012, 10:00–10:45 CET (Europe/Madrid)``."""
    when = re.search(r"<dt>When</dt>\s*<dd>(.*?)</dd>", response.content.decode(), re.S).group(1)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", when)).split())


def talk_times(event):
    return {
        talk.title: (talk.start, talk.end)
        for talk in Talk.objects.filter(event=event).order_by("title")
    }


@pytest.mark.django_db
def test_event_change_zone_keeping_wall_clock_rewrites_every_talk_in_one_go():
    event = madrid_event()
    url = f"/kvm/talks/{Talk.objects.get(title='Opening').slug}/"
    before = talk_when(Client().get(url))

    plan = event_change_zone(event=event, zone="Europe/Lisbon", keep=KEEP_WALL_CLOCK)

    after = talk_when(Client().get(url))
    assert talk_times(event) == {
        "Keynote": (utc(2012, 11, 7, 11, 0), utc(2012, 11, 7, 11, 45)),
        "Opening": (utc(2012, 11, 7, 10, 0), utc(2012, 11, 7, 10, 45)),
        "Unscheduled": (None, None),
    }
    assert Event.objects.get(pk=event.pk).time_zone == "Europe/Lisbon"
    assert len(plan.moves) == 2
    assert (before, after) == (
        "Wednesday 7 November 2012, 10:00–10:45 CET (Europe/Madrid)",
        "Wednesday 7 November 2012, 10:00–10:45 WET (Europe/Lisbon)",
    )


@pytest.mark.django_db
def test_event_change_zone_keeping_instants_leaves_the_talks_alone():
    event = madrid_event()
    before = talk_times(event)

    event_change_zone(event=event, zone="Europe/Lisbon", keep=KEEP_INSTANTS)

    assert talk_times(event) == before
    assert Event.objects.get(pk=event.pk).time_zone == "Europe/Lisbon"


@pytest.mark.django_db
def test_event_change_zone_refuses_talks_outside_the_dates_unless_allowed():
    event = madrid_event()
    start = venue_datetime(datetime.datetime(2012, 11, 7, 0, 30), "Europe/Madrid")
    TalkFactory(event=event, title="Early", start=start, end=start + datetime.timedelta(hours=1))
    before = talk_times(event)

    with pytest.raises(ZoneChangeError) as error:
        event_change_zone(event=event, zone="Europe/Lisbon", keep=KEEP_INSTANTS)

    assert error.value.messages == [
        "1 talk falls outside the event's dates, 7 Nov to 9 Nov 2012 in Europe/Lisbon: "
        "“Early” (Tue 6 Nov 23:30 WET)."
    ]
    assert (talk_times(event), Event.objects.get(pk=event.pk).time_zone) == (
        before,
        "Europe/Madrid",
    )
    event_change_zone(event=event, zone="Europe/Lisbon", keep=KEEP_INSTANTS, allow_outside=True)
    assert Event.objects.get(pk=event.pk).time_zone == "Europe/Lisbon"


@pytest.mark.django_db
def test_event_change_zone_refuses_a_time_the_new_zone_skips_and_changes_nothing():
    event = EventFactory(
        time_zone="Europe/London",
        start_date=datetime.date(2025, 3, 29),
        end_date=datetime.date(2025, 3, 30),
    )
    start = venue_datetime(datetime.datetime(2025, 3, 30, 2, 30), "Europe/London")
    TalkFactory(
        event=event, title="Night owls", start=start, end=start + datetime.timedelta(hours=1)
    )
    TalkFactory(event=event, title="Morning", start=start + datetime.timedelta(hours=8))
    before = talk_times(event)

    with pytest.raises(ZoneChangeError) as error:
        event_change_zone(event=event, zone="Europe/Madrid", keep=KEEP_WALL_CLOCK)

    assert error.value.messages == [
        "“Night owls” starts at 02:30 on Sun 30 Mar 2025, a time the clocks in Europe/Madrid "
        "skip: move the talk first, or keep the talks' instants."
    ]
    assert (talk_times(event), Event.objects.get(pk=event.pk).time_zone) == (
        before,
        "Europe/London",
    )


@pytest.mark.django_db
def test_saving_an_event_with_a_new_zone_outside_the_admin_keeps_the_instants():
    event = madrid_event()
    before = talk_times(event)

    event.time_zone = "Europe/Lisbon"
    event.save()

    assert talk_times(event) == before
