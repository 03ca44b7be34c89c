import datetime

import pytest

from schedule.timetable import build_timetable
from tests.factories import EventFactory, RoomFactory, TalkFactory, scheduled_talk, venue_time


def layout(event, talks, now=None, use_rooms=True):
    now = now or datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
    talks = sorted(talks, key=lambda talk: talk.start)
    return build_timetable(event, talks, now=now, use_rooms=use_rooms)


def test_grid_rows_are_the_moments_talks_start_or_end(event):
    hall, lab = (
        RoomFactory(event=event, name="Hall", position=0),
        RoomFactory(event=event, name="Lab", position=1),
    )
    long_talk = scheduled_talk(event, "Long", (9, 0), (10, 0), room=hall)
    first = scheduled_talk(event, "First", (9, 0), (9, 30), room=lab)
    second = scheduled_talk(event, "Second", (9, 30), (10, 0), room=lab)

    (day,) = layout(event, [long_talk, first, second])

    assert [room.name for room in day.rooms] == ["Hall", "Lab"]
    assert [(entry.talk.title, entry.grid_row, entry.grid_column) for entry in day.entries] == [
        ("Long", "2 / 4", "2"),
        ("First", "2 / 3", "3"),
        ("Second", "3 / 4", "3"),
    ]
    assert [(label.time.strftime("%H:%M"), label.grid_row) for label in day.time_labels] == [
        ("09:00", 2),
        ("09:30", 3),
    ]


def test_break_without_room_spans_every_room(event):
    hall = RoomFactory(event=event, name="Hall")
    RoomFactory(event=event, name="Lab")
    talk = scheduled_talk(event, "Talk", (9, 0), (10, 0), room=hall)
    lunch = scheduled_talk(event, "Lunch", (12, 0), (13, 0), kind="break")

    (day,) = layout(event, [talk, lunch])

    assert day.entries[1].grid_column == "2 / -1"
    assert day.entries[1].spans_all_rooms


def test_roomless_talks_are_grouped_by_start_time(event):
    talks = [
        scheduled_talk(event, "A", (13, 0), (13, 40)),
        scheduled_talk(event, "B", (13, 0), (13, 40)),
        scheduled_talk(event, "C", (13, 40), (14, 20)),
    ]

    (day,) = layout(event, talks, use_rooms=False)

    assert [
        (slot.start.strftime("%H:%M"), [e.talk.title for e in slot.entries]) for slot in day.slots
    ] == [("13:00", ["A", "B"]), ("13:40", ["C"])]
    assert day.rooms == []


def test_days_follow_the_venue_clock_not_utc(event):
    # 00:30 in Madrid on the 8th is still the 7th in UTC.
    late = scheduled_talk(event, "After midnight", (0, 30), (1, 0), day=8)
    early = scheduled_talk(event, "Morning", (9, 0), (10, 0))

    days = layout(event, [early, late], use_rooms=False)

    assert [(day.date.isoformat(), [e.talk.title for e in day.entries]) for day in days] == [
        ("2012-11-07", ["Morning"]),
        ("2012-11-08", ["After midnight"]),
    ]


def test_talk_across_midnight_belongs_to_the_day_it_starts(event):
    party = scheduled_talk(event, "Party", (23, 0), (1, 0), end_day=8)

    (day,) = layout(event, [party])

    assert day.date == datetime.date(2012, 11, 7)
    assert day.entries[0].end.strftime("%d %H:%M") == "08 01:00"


@pytest.mark.parametrize(
    ("clock", "now_titles", "next_titles"),
    [
        ((8, 0), [], ["A", "B"]),
        ((9, 0), ["A", "B"], ["C"]),
        ((9, 29), ["A", "B"], ["C"]),
        # Touching: A ends at 9:30 as C starts, so at 9:30 only C is on.
        ((9, 30), ["C"], []),
        ((11, 0), [], []),
    ],
)
def test_now_and_next_are_computed_in_the_event_zone(event, clock, now_titles, next_titles):
    talks = [
        scheduled_talk(event, "A", (9, 0), (9, 30)),
        scheduled_talk(event, "B", (9, 0), (9, 30)),
        scheduled_talk(event, "C", (9, 30), (10, 0)),
    ]
    now = venue_time(event, 2012, 11, 7, *clock)

    (day,) = layout(event, talks, now=now, use_rooms=False)

    assert day.is_today
    assert [entry.talk.title for entry in day.now_entries] == now_titles
    assert [entry.talk.title for entry in day.next_entries] == next_titles


def test_now_is_not_marked_on_other_days(event):
    talk = scheduled_talk(event, "Talk", (9, 0), (10, 0), day=8)

    (day,) = layout(event, [talk], now=venue_time(event, 2012, 11, 7, 9, 30))

    assert not day.is_today
    assert day.now_entries == []
    assert day.next_entries == []


def test_talks_sharing_a_room_at_once_are_kept_off_the_grid(event):
    hall = RoomFactory(event=event, name="Hall")
    fine = scheduled_talk(event, "Fine", (9, 0), (10, 0), room=hall)
    first = scheduled_talk(event, "Clash A", (11, 0), (12, 0), room=hall)
    second = scheduled_talk(event, "Clash B", (11, 30), (12, 30), room=hall)

    (day,) = layout(event, [fine, first, second])

    assert [entry.talk.title for entry in day.entries] == ["Fine"]
    assert [entry.talk.title for entry in day.unplaced] == ["Clash A", "Clash B"]


def test_day_whose_talks_all_clash_keeps_them_to_be_confirmed(event):
    hall = RoomFactory(event=event, name="Hall")
    first = scheduled_talk(event, "Clash A", (11, 0), (12, 0), room=hall)
    second = scheduled_talk(event, "Clash B", (11, 30), (12, 30), room=hall)

    (day,) = layout(event, [first, second])

    assert day.is_grid
    assert day.entries == []
    assert [entry.talk.title for entry in day.unplaced] == ["Clash A", "Clash B"]
    assert day.first_start == first.start


def test_talks_in_the_hour_the_clocks_repeat_get_rows_in_time_order(db):
    havana = EventFactory(time_zone="America/Havana")
    hall = RoomFactory(event=havana, name="Hall")
    # 00:00-00:30 at -04, 00:30 at -04 to the second 00:00 (-05), then 00:00-00:30 at -05.
    first_start = datetime.datetime(2024, 11, 3, 4, 0, tzinfo=datetime.UTC)
    half_hour = datetime.timedelta(minutes=30)
    talks = [
        TalkFactory(
            event=havana,
            room=hall,
            title=title,
            start=first_start + index * half_hour,
            end=first_start + (index + 1) * half_hour,
        )
        for index, title in enumerate(["First", "Middle", "Last"])
    ]
    now = datetime.datetime(2024, 11, 3, 5, 10, tzinfo=datetime.UTC)  # 00:10 at -05

    (day,) = layout(havana, talks, now=now)

    assert [(entry.talk.title, entry.grid_row) for entry in day.entries] == [
        ("First", "2 / 3"),
        ("Middle", "3 / 4"),
        ("Last", "4 / 5"),
    ]
    assert [(label.clock, label.grid_row) for label in day.time_labels] == [
        ("00:00", 2),
        ("00:30", 3),
        ("00:00", 4),
    ]
    assert [entry.talk.title for entry in day.now_entries] == ["Last"]
