"""Tests of the bulk edits of selected talks, and of their CSV export."""

import csv
import datetime
import io

import pytest

from schedule.models import Talk
from schedule.services.bulk import (
    CSV_HEADER,
    BulkEditError,
    BulkEditResult,
    spreadsheet_safe,
    talks_cancel,
    talks_export_csv,
    talks_publish,
    talks_set_room,
    talks_set_track,
    talks_shift,
    talks_unpublish,
)
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    scheduled_talk,
)

UTC = datetime.UTC


@pytest.fixture
def hall(event):
    return RoomFactory(event=event, name="Hall", slug="hall", position=0)


@pytest.fixture
def annex(event):
    return RoomFactory(event=event, name="Annex", slug="annex", position=1)


def times(*talks):
    """Each talk's stored start and end, as the venue's clock shows them."""
    shown = {}
    for stored in Talk.objects.filter(pk__in=[t.pk for t in talks]).select_related("event"):
        start, end = stored.event.local_time(stored.start), stored.event.local_time(stored.end)
        shown[stored.title] = f"{start:%d %H:%M}–{end:%d %H:%M}"
    return shown


def counts(result):
    return (result.changed, result.unchanged, result.skipped)


# Publication and cancellation


@pytest.mark.parametrize(
    ("service", "field", "before", "after", "summary"),
    [
        (
            talks_publish,
            "is_published",
            [False, False, True],
            [True, True, True],
            "2 talks published; 1 already was.",
        ),
        (
            talks_unpublish,
            "is_published",
            [True, False, True],
            [False, False, False],
            "2 talks unpublished; 1 already was.",
        ),
        (
            talks_cancel,
            "is_cancelled",
            [False, False, False],
            [True, True, True],
            "3 talks cancelled.",
        ),
        (
            talks_cancel,
            "is_cancelled",
            [True, True],
            [True, True],
            "0 talks cancelled; 2 already were.",
        ),
    ],
)
def test_flag_edits_set_the_flag_and_count(event, service, field, before, after, summary):
    talks = [
        scheduled_talk(event, f"Talk {n}", (9 + n, 0), (10 + n, 0), **{field: value})
        for n, value in enumerate(before)
    ]

    result = service(talks=Talk.objects.filter(event=event))

    assert [getattr(Talk.objects.get(pk=t.pk), field) for t in talks] == after
    assert result.summary() == summary


def test_flag_edits_touch_only_the_selected_talks(event):
    chosen = scheduled_talk(event, "Chosen", (9, 0), (10, 0), is_published=False)
    other = scheduled_talk(event, "Other", (10, 0), (11, 0), is_published=False)

    talks_publish(talks=[chosen])

    assert list(Talk.objects.order_by("title").values_list("title", "is_published")) == [
        ("Chosen", True),
        ("Other", False),
    ]
    assert Talk.objects.get(pk=other.pk).updated == other.updated


def test_cancelled_talks_stay_in_the_database_and_leave_the_public_list(event):
    kept = scheduled_talk(event, "Kept", (9, 0), (10, 0))
    dropped = scheduled_talk(event, "Dropped", (10, 0), (11, 0))

    talks_cancel(talks=[dropped])

    assert Talk.objects.filter(event=event).count() == 2
    assert list(Talk.objects.published()) == [kept]


def test_flag_edits_may_span_events(event):
    other_event = EventFactory(name="Other")
    talks = [
        scheduled_talk(event, "Here", (9, 0), (10, 0), is_published=False),
        TalkFactory(event=other_event, title="There", is_published=False),
    ]

    result = talks_publish(talks=talks)

    assert counts(result) == (2, 0, 0)


# Tracks


def test_talks_set_track_moves_the_talks(event):
    storage = TrackFactory(event=event, name="Storage")
    a = scheduled_talk(event, "A", (9, 0), (10, 0))
    b = scheduled_talk(event, "B", (10, 0), (11, 0), track=storage)

    result = talks_set_track(talks=[a, b], track=storage)

    assert counts(result) == (1, 1, 0)
    assert result.summary() == "1 talk moved to track “Storage”; 1 already was."
    assert set(Talk.objects.values_list("track__name", flat=True)) == {"Storage"}


def test_talks_set_track_to_none_clears_it(event):
    storage = TrackFactory(event=event, name="Storage")
    a = scheduled_talk(event, "A", (9, 0), (10, 0), track=storage)

    result = talks_set_track(talks=[a], track=None)

    assert result.summary() == "1 talk left without a track."
    assert Talk.objects.get(pk=a.pk).track is None


def test_talks_set_track_refuses_another_events_track(event):
    a = scheduled_talk(event, "A", (9, 0), (10, 0))
    elsewhere = TrackFactory(name="Elsewhere")

    with pytest.raises(BulkEditError) as caught:
        talks_set_track(talks=[a], track=elsewhere)

    assert str(caught.value) == "The track “Elsewhere” belongs to another event, not KVM Forum."
    assert Talk.objects.get(pk=a.pk).track is None


@pytest.mark.parametrize("service", [talks_set_track, talks_set_room])
def test_talks_set_place_refuses_talks_of_several_events(event, service):
    a = scheduled_talk(event, "A", (9, 0), (10, 0))
    b = TalkFactory(event=EventFactory(name="DevConf"), title="B")
    keyword = "track" if service is talks_set_track else "room"

    with pytest.raises(BulkEditError) as caught:
        service(talks=[a, b], **{keyword: None})

    assert str(caught.value) == (
        "The selected talks belong to 2 events (DevConf, KVM Forum); select talks of one event."
    )


# Rooms


@pytest.mark.parametrize(
    ("moving", "staying", "saved"),
    [
        (((9, 0), (10, 0)), ((10, 0), (11, 0)), True),  # touching
        (((9, 0), (10, 0)), ((8, 0), (9, 0)), True),  # touching, before
        (((9, 0), (10, 0)), ((9, 30), (10, 30)), False),  # overlap
        (((9, 0), (10, 0)), ((9, 0), (10, 0)), False),  # same times
        (((9, 0), (10, 0)), ((9, 15), (9, 45)), False),  # inside
    ],
)
def test_talks_set_room_checks_the_room_is_free(event, hall, annex, moving, staying, saved):
    staying_talk = scheduled_talk(event, "Staying", *staying, room=hall)
    moving_talk = scheduled_talk(event, "Moving", *moving, room=annex)

    result = talks_set_room(talks=[moving_talk], room=hall)

    assert result.saved is saved
    assert Talk.objects.get(pk=moving_talk.pk).room == (hall if saved else annex)
    assert Talk.objects.get(pk=staying_talk.pk).room == hall


def test_talks_set_room_refusal_lists_the_clashes_and_saves_nothing(event, hall, annex):
    scheduled_talk(event, "Keynote", (9, 0), (10, 0), room=hall)
    free = scheduled_talk(event, "Free", (11, 0), (12, 0), room=annex)
    clashing = scheduled_talk(event, "Clashing", (9, 30), (10, 0), room=annex)

    result = talks_set_room(talks=[free, clashing], room=hall)

    assert result.summary() == "Nothing was moved to room “Hall”: the talks would be in 1 clash."
    assert [problem.message for problem in result.problems] == [
        "“Clashing” is in Hall at the same time as “Keynote” (Wed 07 Nov 09:00–10:00)."
    ]
    assert dict(Talk.objects.values_list("title", "room__name")) == {
        "Keynote": "Hall",
        "Free": "Annex",
        "Clashing": "Annex",
    }


def test_talks_set_room_checks_the_moved_talks_against_each_other(event, hall):
    a = scheduled_talk(event, "A", (9, 0), (10, 0))
    b = scheduled_talk(event, "B", (9, 30), (10, 30))

    result = talks_set_room(talks=[a, b], room=hall)

    assert [problem.message for problem in result.problems] == [
        "“B” is in Hall at the same time as “A” (Wed 07 Nov 09:00–10:00)."
    ]
    assert Talk.objects.filter(room__isnull=False).count() == 0


def test_talks_set_room_ignores_cancelled_and_unscheduled_talks_in_the_room(event, hall):
    scheduled_talk(event, "Cancelled", (9, 0), (10, 0), room=hall, is_cancelled=True)
    unscheduled = TalkFactory(event=event, title="Unscheduled", start=None, end=None)
    moving = scheduled_talk(event, "Moving", (9, 0), (10, 0))

    result = talks_set_room(talks=[moving, unscheduled], room=hall)

    assert counts(result) == (2, 0, 0)
    assert result.summary() == "2 talks moved to room “Hall”."


def test_talks_set_room_to_none_clears_it(event, hall):
    a = scheduled_talk(event, "A", (9, 0), (10, 0), room=hall)
    b = scheduled_talk(event, "B", (10, 0), (11, 0))

    result = talks_set_room(talks=[a, b], room=None)

    assert result.summary() == "1 talk left without a room; 1 already was."
    assert Talk.objects.filter(room__isnull=False).count() == 0


def test_talks_set_room_refuses_another_events_room(event):
    a = scheduled_talk(event, "A", (9, 0), (10, 0))

    with pytest.raises(BulkEditError) as caught:
        talks_set_room(talks=[a], room=RoomFactory(name="Elsewhere"))

    assert str(caught.value) == "The room “Elsewhere” belongs to another event, not KVM Forum."


# Shifting


@pytest.mark.parametrize(
    ("selected", "minutes", "expected"),
    [
        pytest.param(["A"], 30, {"A": "07 09:30–07 10:30", "B": "07 11:00–07 12:00"}, id="later"),
        pytest.param(
            ["A"], -60, {"A": "07 08:00–07 09:00", "B": "07 11:00–07 12:00"}, id="earlier"
        ),
        pytest.param(
            ["A"], 60, {"A": "07 10:00–07 11:00", "B": "07 11:00–07 12:00"}, id="touching"
        ),
        pytest.param(
            ["A", "B"],
            120,
            {"A": "07 11:00–07 12:00", "B": "07 13:00–07 14:00"},
            id="onto a moved talk's old time",
        ),
        pytest.param(
            ["A"], 90, {"A": "07 09:00–07 10:00", "B": "07 11:00–07 12:00"}, id="into B: refused"
        ),
        pytest.param(
            ["B"], 720, {"A": "07 09:00–07 10:00", "B": "07 23:00–08 00:00"}, id="to midnight"
        ),
        pytest.param(
            ["B"],
            750,
            {"A": "07 09:00–07 10:00", "B": "07 23:30–08 00:30"},
            id="across midnight",
        ),
        pytest.param(
            ["B"],
            60 * 24 + 750,
            {"A": "07 09:00–07 10:00", "B": "07 11:00–07 12:00"},
            id="past the last day: refused",
        ),
        pytest.param(
            ["A"],
            -600,
            {"A": "07 09:00–07 10:00", "B": "07 11:00–07 12:00"},
            id="before the first day: refused",
        ),
    ],
)
def test_talks_shift(event, hall, selected, minutes, expected):
    talks = {
        "A": scheduled_talk(event, "A", (9, 0), (10, 0), room=hall),
        "B": scheduled_talk(event, "B", (11, 0), (12, 0), room=hall),
    }

    talks_shift(talks=[talks[title] for title in selected], minutes=minutes)

    assert times(*talks.values()) == expected


def test_talks_shift_is_all_or_nothing(event, hall):
    avi = SpeakerFactory(name="Avi Kivity")
    first = scheduled_talk(event, "First", (9, 0), (10, 0), room=hall)
    second = scheduled_talk(event, "Second", (10, 0), (11, 0), speakers=[avi])
    scheduled_talk(event, "Avi elsewhere", (11, 0), (11, 30), speakers=[avi])

    result = talks_shift(talks=[first, second], minutes=30)

    assert result.saved is False
    assert result.summary() == "Nothing was shifted by +30 minutes: the talks would be in 1 clash."
    assert [problem.message for problem in result.problems] == [
        "Avi Kivity speaks in “Avi elsewhere” while speaking in “Second” (Wed 07 Nov 10:30–11:30)."
    ]
    assert times(first, second) == {"First": "07 09:00–07 10:00", "Second": "07 10:00–07 11:00"}


def test_talks_shift_lists_every_kind_of_clash(event, hall):
    a = scheduled_talk(event, "A", (9, 0), (10, 0), room=hall)
    scheduled_talk(event, "B", (10, 0), (11, 0), room=hall)
    late = scheduled_talk(event, "Late", (22, 0), (23, 0), day=8)

    result = talks_shift(talks=[a, late], minutes=90)

    assert [problem.message for problem in result.problems] == [
        "“Late” (Thu 08 Nov 23:30–00:30) is outside the event's dates, "
        "07 Nov to 08 Nov 2012 in Europe/Madrid.",
        "“A” is in Hall at the same time as “B” (Wed 07 Nov 10:00–11:00).",
    ]


def test_talks_shift_leaves_unscheduled_talks_alone(event):
    a = scheduled_talk(event, "A", (9, 0), (10, 0))
    unscheduled = TalkFactory(event=event, title="Unscheduled", start=None, end=None)

    result = talks_shift(talks=[a, unscheduled], minutes=-15)

    assert counts(result) == (1, 0, 1)
    assert result.summary() == "1 talk shifted by -15 minutes; 1 without times left alone."
    assert Talk.objects.get(pk=unscheduled.pk).start is None


def test_talks_shift_moves_cancelled_talks_without_checking_them(event, hall):
    blocker = scheduled_talk(event, "Blocker", (9, 30), (10, 30), room=hall)
    cancelled = scheduled_talk(event, "Cancelled", (9, 0), (9, 30), room=hall, is_cancelled=True)

    result = talks_shift(talks=[cancelled], minutes=30)

    assert result.saved is True
    assert times(cancelled, blocker)["Cancelled"] == "07 09:30–07 10:00"


def test_talks_shift_counts_elapsed_time_across_a_change_of_the_clocks(db):
    # Madrid's clocks went back from 03:00 CEST to 02:00 CET on 28 October 2012.
    event = EventFactory(
        start_date=datetime.date(2012, 10, 27),
        end_date=datetime.date(2012, 10, 28),
        time_zone="Europe/Madrid",
    )
    late = TalkFactory(
        event=event,
        start=datetime.datetime(2012, 10, 27, 23, 0, tzinfo=UTC),  # 01:00 CEST
        end=datetime.datetime(2012, 10, 28, 0, 0, tzinfo=UTC),
    )

    talks_shift(talks=[late], minutes=120)

    late.refresh_from_db()
    assert (late.start, late.end) == (
        datetime.datetime(2012, 10, 28, 1, 0, tzinfo=UTC),  # 02:00 CET, after the change
        datetime.datetime(2012, 10, 28, 2, 0, tzinfo=UTC),
    )


def test_talks_shift_checks_each_event_against_its_own_talks(event, hall):
    other = EventFactory(start_date=datetime.date(2012, 11, 7), end_date=datetime.date(2012, 11, 8))
    here = scheduled_talk(event, "Here", (9, 0), (10, 0), room=hall)
    room = RoomFactory(event=other, name="Salon")
    there = scheduled_talk(other, "There", (9, 0), (10, 0), room=room)
    scheduled_talk(other, "Busy there", (10, 0), (11, 0), room=room)

    result = talks_shift(talks=[here, there], minutes=30)

    assert [problem.message for problem in result.problems] == [
        "“Busy there” is in Salon at the same time as “There” (Wed 07 Nov 09:30–10:30)."
    ]


def test_talks_shift_by_zero_is_refused(event):
    with pytest.raises(BulkEditError) as caught:
        talks_shift(talks=[scheduled_talk(event, "A", (9, 0), (10, 0))], minutes=0)

    assert str(caught.value) == "A shift of 0 minutes changes nothing; give a number of minutes."


def test_bulk_edit_result_saved_and_summary_of_a_refusal():
    result = BulkEditResult(done="shifted by +5 minutes", problems=["one", "two"])

    assert result.saved is False
    assert result.summary() == "Nothing was shifted by +5 minutes: the talks would be in 2 clashes."


# CSV export


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturn", "'\rReturn"),
        ("Live migration = fast", "Live migration = fast"),
        (" =spaced", " =spaced"),
        ("", ""),
        ("Virtualización", "Virtualización"),
    ],
)
def test_spreadsheet_safe(value, cell):
    assert spreadsheet_safe(value) == cell


def export(talks):
    out = io.StringIO()
    written = talks_export_csv(talks=talks, file=out, site_url="https://conf.example.org")
    text = out.getvalue()
    return written, text, list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_talks_export_csv_writes_a_row_per_talk_cell_by_cell(event, hall, annex):
    storage = TrackFactory(event=event, name="Storage")
    avi, anthony = SpeakerFactory(name="Avi Kivity"), SpeakerFactory(name="Anthony Liguori")
    talks = [
        scheduled_talk(
            event, "Keynote", (9, 0), (9, 15), room=hall, kind="keynote", speakers=[avi]
        ),
        scheduled_talk(
            event,
            "Virtualización",
            (9, 15),
            (10, 0),
            room=annex,
            track=storage,
            slug="virtualizacion",
            speakers=[anthony, avi],
            is_published=False,
        ),
        scheduled_talk(event, "Late", (23, 30), (0, 30), day=7, end_day=8, is_cancelled=True),
        TalkFactory(event=event, title="Unscheduled", slug="unscheduled", start=None, end=None),
    ]

    written, text, rows = export(talks)

    assert written == 4
    assert text.startswith("\ufeffday,start,end,time zone,")
    assert rows == [
        CSV_HEADER,
        [
            "2012-11-07",
            "09:00",
            "09:15",
            "Europe/Madrid",
            "Hall",
            "",
            "Keynote",
            "Avi Kivity",
            "Keynote",
            "published",
            "https://conf.example.org/kvm/talks/keynote/",
        ],
        [
            "2012-11-07",
            "09:15",
            "10:00",
            "Europe/Madrid",
            "Annex",
            "Storage",
            "Virtualización",
            "Anthony Liguori, Avi Kivity",
            "Talk",
            "draft",
            "https://conf.example.org/kvm/talks/virtualizacion/",
        ],
        [
            "2012-11-07",
            "23:30",
            "00:30",
            "Europe/Madrid",
            "",
            "",
            "Late",
            "",
            "Talk",
            "cancelled",
            "https://conf.example.org/kvm/talks/late/",
        ],
        [
            "",
            "",
            "",
            "Europe/Madrid",
            "",
            "",
            "Unscheduled",
            "",
            "Talk",
            "published",
            "https://conf.example.org/kvm/talks/unscheduled/",
        ],
    ]


def test_talks_export_csv_orders_parallel_talks_by_room(event, hall, annex):
    in_annex = scheduled_talk(event, "Zeta", (9, 0), (10, 0), room=annex)
    in_hall = scheduled_talk(event, "Omega", (9, 0), (10, 0), room=hall)
    roomless = scheduled_talk(event, "Alpha", (9, 0), (10, 0))

    _, _, rows = export([in_annex, in_hall, roomless])

    assert [row[6] for row in rows[1:]] == ["Alpha", "Omega", "Zeta"]


def test_talks_export_csv_keeps_hostile_text_inert(event):
    hostile = scheduled_talk(
        event, "Hostile", (9, 0), (10, 0), speakers=[SpeakerFactory(name="@admin")]
    )
    Talk.objects.filter(pk=hostile.pk).update(title='=HYPERLINK("http://evil")')

    _, _, rows = export([hostile])

    assert rows[1][6] == '\'=HYPERLINK("http://evil")'
    assert rows[1][7] == "'@admin"


def test_talks_export_csv_refuses_talks_of_several_events(event):
    talks = [
        scheduled_talk(event, "A", (9, 0), (10, 0)),
        TalkFactory(event=EventFactory(name="DevConf")),
    ]

    with pytest.raises(BulkEditError):
        export(talks)


# Clashes the organiser had already accepted


@pytest.mark.parametrize(
    ("selected", "minutes", "saved", "messages"),
    [
        pytest.param(["Late"], 30, True, [], id="old clash untouched"),
        pytest.param(["Old", "Older"], 15, True, [], id="old clash moved together"),
        pytest.param(["Older"], 15, True, [], id="old clash still there, same talks"),
        pytest.param(["Older"], 60, True, [], id="old clash resolved"),
        pytest.param(
            ["Late"],
            -120,
            False,
            ["“Late” is in Hall at the same time as “Older” (Wed 07 Nov 09:30–10:30)."],
            id="new clash with a talk of the old one",
        ),
        pytest.param(
            ["Older"],
            120,
            False,
            ["“Late” is in Hall at the same time as “Older” (Wed 07 Nov 11:30–12:30)."],
            id="old clash resolved, a new one made",
        ),
    ],
)
def test_talks_shift_refuses_only_the_clashes_it_creates(
    event, hall, selected, minutes, saved, messages
):
    talks = {
        "Old": scheduled_talk(event, "Old", (9, 0), (10, 0), room=hall),
        "Older": scheduled_talk(event, "Older", (9, 30), (10, 30), room=hall),  # accepted long ago
        "Late": scheduled_talk(event, "Late", (12, 0), (13, 0), room=hall),
    }
    before = times(*talks.values())

    result = talks_shift(talks=[talks[title] for title in selected], minutes=minutes)

    assert result.saved is saved
    assert [problem.message for problem in result.problems] == messages
    assert (times(*talks.values()) == before) is not saved


def test_talks_shift_keeps_an_old_speaker_clash_of_the_shifted_talk(event, hall):
    avi = SpeakerFactory(name="Avi Kivity")
    # Avi speaks in both at once: the organiser saved it despite the clash.
    shifted = scheduled_talk(event, "Shifted", (9, 0), (10, 0), room=hall, speakers=[avi])
    scheduled_talk(event, "Panel", (9, 0), (12, 0), speakers=[avi])

    result = talks_shift(talks=[shifted], minutes=30)

    assert result.summary() == "1 talk shifted by +30 minutes."
    assert times(shifted) == {"Shifted": "07 09:30–07 10:30"}


def test_talks_shift_despite_the_clashes_saves_and_lists_them(event, hall):
    a = scheduled_talk(event, "A", (9, 0), (10, 0), room=hall)
    scheduled_talk(event, "B", (10, 0), (11, 0), room=hall)

    result = talks_shift(talks=[a], minutes=30, despite_clashes=True)

    assert result.saved is True
    assert result.summary() == "1 talk shifted by +30 minutes, despite 1 clash."
    assert [problem.message for problem in result.problems] == [
        "“B” is in Hall at the same time as “A” (Wed 07 Nov 09:30–10:30)."
    ]
    assert times(a) == {"A": "07 09:30–07 10:30"}


def test_talks_set_room_refuses_only_the_clashes_it_creates(event, hall, annex):
    # An overlap in the Hall the organiser accepted; the move takes both along.
    a = scheduled_talk(event, "A", (9, 0), (10, 0), room=hall)
    b = scheduled_talk(event, "B", (9, 30), (10, 30), room=hall)

    result = talks_set_room(talks=[a, b], room=annex)

    assert result.summary() == "2 talks moved to room “Annex”."
