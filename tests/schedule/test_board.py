import datetime
import re

import pytest
from django.contrib.auth.models import Permission

from schedule.clashes import Code
from schedule.models import Talk
from schedule.services.board import BoardConflict, BoardError, talk_move, talks_swap
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    UserFactory,
    venue_time,
)

UTC = datetime.UTC


def utc(*args):
    return datetime.datetime(*args, tzinfo=UTC)


@pytest.fixture
def event(db):
    # 7–9 November 2012 in Madrid (CET, UTC+01:00).
    return EventFactory(name="KVM Forum", time_zone="Europe/Madrid")


@pytest.fixture
def rooms(event):
    return {
        "A": RoomFactory(event=event, name="Room A", slug="a", position=0),
        "B": RoomFactory(event=event, name="Room B", slug="b", position=1),
    }


def talk_at(event, title, room, day, hour, minute, minutes=30, **kwargs):
    start = venue_time(event, 2012, 11, day, hour, minute)
    return TalkFactory(
        event=event,
        title=title,
        slug=title.lower().replace(" ", "-"),
        room=room,
        start=start,
        end=start + datetime.timedelta(minutes=minutes),
        **kwargs,
    )


def board_url(event, day="2012-11-07"):
    return f"/admin/schedule/talk/board/{event.pk}/{day}/"


def move_url(event):
    return f"/admin/schedule/talk/board/{event.pk}/move/"


def swap_url(event):
    return f"/admin/schedule/talk/board/{event.pk}/swap/"


def move_data(talk, *, room=None, day="2012-11-07", start="", **extra):
    return {
        "talk": talk.pk,
        "room": room.pk if room else "",
        "day": day,
        "start": start,
        "seen_updated": talk.updated.isoformat(),
        "board_day": "2012-11-07",
        **extra,
    }


def swap_data(first, second, **extra):
    return {
        "first": first.pk,
        "second": second.pk,
        "seen_first": first.updated.isoformat(),
        "seen_second": second.updated.isoformat(),
        "board_day": "2012-11-07",
        **extra,
    }


def shown_messages(response):
    return [str(message) for message in response.context["messages"]]


def card_html(content, talk):
    """The markup of ``talk``'s card on the board."""
    match = re.search(rf'<article [^>]*id="talk-{talk.pk}".*?</article>', content, re.S)
    return match.group(0)


def place(talk):
    talk.refresh_from_db()
    return (talk.room.name if talk.room else None, talk.start, talk.end)


# The board page ------------------------------------------------------------


def test_board_start_redirects_to_the_first_day(organiser_client, event):
    response = organiser_client.get(f"/admin/schedule/talk/board/{event.pk}/")

    assert response.status_code == 302
    assert response["Location"] == board_url(event, "2012-11-07")


def test_board_shows_rooms_as_columns_and_cards_with_title_speakers_track_and_time(
    organiser_client, event, rooms
):
    kernel = TrackFactory(event=event, name="Kernel", colour="#d62728")
    talk = talk_at(
        event,
        "Virtio status",
        rooms["B"],
        7,
        9,
        0,
        track=kernel,
        speakers=[SpeakerFactory(name="Rusty Russell"), SpeakerFactory(name="Avi Kivity")],
    )

    response = organiser_client.get(board_url(event))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Times are in Europe/Madrid (CET, UTC+01:00)." in content
    assert re.findall(r'class="board-room" [^>]*>([^<]+)<', content) == [
        "Room A",
        "Room B",
        "No room",
    ]
    board = response.context["board"]
    assert [(card.talk.title, card.grid_row, card.grid_column) for card in board.cards] == [
        # Rows from the day's first hour, 09:00, in 15-minute steps after the header row.
        ("Virtio status", "2 / 4", 3)
    ]
    card = card_html(content, talk)
    assert "Virtio status</a></h3>" in card
    assert '<p class="board-speakers">Rusty Russell, Avi Kivity</p>' in card
    assert "--track-colour: #d62728;" in card
    assert "Kernel</span>" in card
    assert '<time datetime="2012-11-07T09:00:00+01:00">09:00–09:30</time>' in card
    assert f'data-stamp="{talk.updated.isoformat()}"' in card


def test_board_rows_cover_the_days_hours_and_every_empty_cell_is_a_drop_target(
    organiser_client, event, rooms
):
    talk_at(event, "Early", rooms["B"], 7, 9, 10)
    talk_at(event, "Late", rooms["A"], 7, 21, 10)
    talk_at(event, "Another day", rooms["A"], 8, 7, 0)

    response = organiser_client.get(board_url(event))

    rows = response.context["board"].rows
    # From the hour of the first start to the last end (21:40) rounded up to 22:00.
    assert (rows[0].time_value, rows[-1].time_value, len(rows)) == ("09:00", "21:45", 52)
    content = response.content.decode()
    assert content.count("data-drop-cell") == 52 * 3
    assert (
        f'data-drop-cell data-room="{rooms["B"].pk}" data-day="2012-11-07" data-time="10:15"'
        in content
    )
    assert 'data-drop-cell data-room="" data-day="2012-11-07" data-time="10:15"' in content


def test_board_runs_past_midnight_for_a_late_talk(organiser_client, event, rooms):
    talk_at(event, "Late night", rooms["A"], 7, 23, 30, minutes=60)

    response = organiser_client.get(board_url(event))

    rows = response.context["board"].rows
    assert [(row.day_value, row.time_value) for row in rows[-3:]] == [
        ("2012-11-08", "00:15"),
        ("2012-11-08", "00:30"),
        ("2012-11-08", "00:45"),
    ]
    content = response.content.decode()
    assert (
        '<time datetime="2012-11-08T00:00:00+01:00">00:00</time> <small>+1 day</small>' in content
    )
    assert (
        f'data-drop-cell data-room="{rooms["B"].pk}" data-day="2012-11-08" data-time="00:15"'
        in content
    )


def test_board_lists_unscheduled_talks_on_the_side(organiser_client, event, rooms):
    talk_at(event, "Scheduled", rooms["A"], 7, 9, 0)
    TalkFactory(event=event, title="Waiting for a slot", start=None, end=None)

    response = organiser_client.get(board_url(event))

    board = response.context["board"]
    assert [card.talk.title for card in board.unscheduled] == ["Waiting for a slot"]
    assert [card.talk.title for card in board.cards] == ["Scheduled"]
    side = response.content.decode().split('<aside class="board-side"')[1]
    assert "Waiting for a slot</a></h3>" in side
    assert "Scheduled</a></h3>" not in side


def move_dialog_html(content):
    return re.search(r'<dialog id="board-move".*?</dialog>', content, re.S).group(0)


def test_board_has_one_move_form_and_each_card_a_link_to_it(organiser_client, event, rooms):
    talks = [talk_at(event, f"Talk {hour}", rooms["A"], 7, hour, 0) for hour in (9, 10, 11)]

    content = organiser_client.get(board_url(event)).content.decode()

    # The room and day lists are on the page once, not once per card.
    assert content.count('<select name="room">') == 1
    dialog = move_dialog_html(content)
    assert " open" not in dialog.split(">")[0]
    for talk in talks:
        card = card_html(content, talk)
        assert f'href="?move={talk.pk}#board-move"' in card
        assert "<select" not in card
        assert f'data-room="{rooms["A"].pk}"' in card


def test_move_link_without_javascript_opens_the_form_filled_in_for_that_talk(
    organiser_client, event, rooms
):
    talk = talk_at(event, "Virtio <status>", rooms["B"], 8, 11, 15)

    content = organiser_client.get(board_url(event, "2012-11-08") + f"?move={talk.pk}").content
    dialog = move_dialog_html(content.decode())

    assert dialog.startswith('<dialog id="board-move" class="board-move-dialog"')
    assert " open>" in dialog.split("\n")[0]
    assert (
        'Move <span data-move-title data-text-title="“%(title)s”">“Virtio &lt;status&gt;”</span>'
        in dialog
    )
    assert f'name="talk" value="{talk.pk}"' in dialog
    assert f'name="seen_updated" value="{talk.updated.isoformat()}"' in dialog
    assert f'<option value="{rooms["B"].pk}" selected>Room B</option>' in dialog
    assert '<option value="2012-11-08" selected>' in dialog
    assert 'name="start" value="11:15"' in dialog


@pytest.mark.parametrize("value", ["nonsense", "999999", ""])
def test_move_link_to_a_talk_not_on_the_board_opens_no_form(organiser_client, event, rooms, value):
    talk_at(event, "Virtio status", rooms["A"], 7, 9, 0)

    content = organiser_client.get(board_url(event) + f"?move={value}").content.decode()

    assert " open>" not in move_dialog_html(content).split("\n")[0]


def test_board_marks_both_clashing_cards_with_the_error_and_warnings(
    organiser_client, event, rooms
):
    speaker = SpeakerFactory(name="Avi Kivity", bio="")
    first = talk_at(event, "First", rooms["A"], 7, 9, 0, speakers=[speaker])
    second = talk_at(event, "Second", rooms["A"], 7, 9, 15, speakers=[SpeakerFactory(bio="Bio")])
    calm = talk_at(event, "Calm", rooms["B"], 7, 9, 0, speakers=[SpeakerFactory(bio="Bio")])
    talk_at(event, "Later", rooms["A"], 7, 11, 0, speakers=[SpeakerFactory(bio="Bio")])

    response = organiser_client.get(board_url(event))

    content = response.content.decode()
    clash = "“Second” is in Room A at the same time as “First” (Wed 07 Nov 09:00–09:30)."
    first_card, second_card = card_html(content, first), card_html(content, second)
    assert first_card.startswith('<article class="board-card has-errors"')
    assert second_card.startswith('<article class="board-card has-errors"')
    assert f'<li class="board-problem-error"><strong>Error:</strong> {clash}</li>' in first_card
    assert f'<li class="board-problem-error"><strong>Error:</strong> {clash}</li>' in second_card
    assert f'title="{clash} Avi Kivity has no bio."' in first_card
    # An icon and a count on the card, the messages in a list opened on demand.
    assert (
        '<span class="board-marker" aria-hidden="true">⚠</span> 1 error, 1 warning</summary>'
        in (first_card)
    )
    assert '<span class="board-marker" aria-hidden="true">⚠</span> 1 error</summary>' in (
        second_card
    )
    assert "<li>Avi Kivity has no bio.</li>" in first_card
    assert card_html(content, calm).startswith('<article class="board-card" ')
    board = response.context["board"]
    assert (board.error_count, board.warning_count) == (1, 1)
    # The clashing pair share Room A's column side by side; the others have it to themselves.
    assert [(card.talk.title, card.grid_column, card.lane, card.lanes) for card in board.cards] == [
        ("First", 2, 0, 2),
        ("Calm", 3, 0, 1),
        ("Second", 2, 1, 2),
        ("Later", 2, 0, 1),
    ]


def test_board_marks_a_warning_only_card_amber(organiser_client, event, rooms):
    lonely = talk_at(event, "Lonely", rooms["A"], 7, 9, 0)  # published, no speaker

    response = organiser_client.get(board_url(event))

    card = card_html(response.content.decode(), lonely)
    assert card.startswith('<article class="board-card has-warnings"')
    assert "<li>“Lonely” is published without a speaker.</li>" in card


def test_board_escapes_titles_and_names(organiser_client, event, rooms):
    talk_at(
        event,
        '<script>alert("t")</script>',
        rooms["A"],
        7,
        9,
        0,
        speakers=[SpeakerFactory(name="<b>Bold</b>")],
    )

    content = organiser_client.get(board_url(event)).content.decode()

    assert "<script>alert" not in content
    assert 'data-title="&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;"' in content
    assert "&lt;b&gt;Bold&lt;/b&gt;" in content


@pytest.mark.parametrize("day", ["2012-11-06", "2012-11-10", "2012-13-01", "today"])
def test_board_of_a_day_outside_the_event_is_not_found(organiser_client, event, day):
    assert organiser_client.get(board_url(event, day)).status_code == 404


def test_board_of_an_unknown_event_is_not_found(organiser_client, db):
    assert organiser_client.get("/admin/schedule/talk/board/999/2012-11-07/").status_code == 404


def test_board_needs_the_admin_and_the_change_talk_permission(client, event):
    outsider = UserFactory(username="outsider")
    client.force_login(outsider)

    response = client.get(board_url(event))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


@pytest.mark.parametrize("method", ["get", "post_move", "post_swap"])
def test_staff_without_the_change_talk_permission_is_forbidden(client, event, rooms, method):
    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_talk"))
    client.force_login(viewer)
    first = talk_at(event, "First", rooms["A"], 7, 9, 0)
    second = talk_at(event, "Second", rooms["B"], 7, 9, 0)

    if method == "get":
        response = client.get(board_url(event))
    elif method == "post_move":
        response = client.post(move_url(event), move_data(first, room=rooms["B"], start="11:00"))
    else:
        response = client.post(swap_url(event), swap_data(first, second))

    assert response.status_code == 403
    assert place(first) == ("Room A", utc(2012, 11, 7, 8, 0), utc(2012, 11, 7, 8, 30))


@pytest.mark.parametrize("talk_count", [10, 100])
def test_board_queries_do_not_grow_with_talks(
    organiser_client, event, talk_count, django_assert_num_queries
):
    rooms = [RoomFactory(event=event) for _ in range(5)]
    track = TrackFactory(event=event)
    speakers = [SpeakerFactory() for _ in range(20)]
    for number in range(talk_count):
        start = venue_time(event, 2012, 11, 7 + number % 3, 9, 0) + datetime.timedelta(
            minutes=30 * (number // 15)
        )
        TalkFactory(
            event=event,
            room=rooms[number % 5],
            track=track,
            start=start,
            end=start + datetime.timedelta(minutes=30),
            speakers=[speakers[number % 20], speakers[(number + 1) % 20]],
        )
    TalkFactory(event=event, start=None, end=None)

    # The day's talks are loaded with their speakers; the other days' only as times.
    with django_assert_num_queries(11):
        response = organiser_client.get(board_url(event))

    assert len(response.context["board"].cards) == len(range(0, talk_count, 3))


@pytest.mark.parametrize("room_count", [10, 30])
def test_board_queries_do_not_grow_with_rooms(
    organiser_client, event, room_count, django_assert_num_queries
):
    rooms = [RoomFactory(event=event, position=number) for number in range(room_count)]
    for number, room in enumerate(rooms):
        start = venue_time(event, 2012, 11, 7, 9, 0) + datetime.timedelta(minutes=15 * number)
        TalkFactory(
            event=event,
            room=room,
            start=start,
            end=start + datetime.timedelta(minutes=30),
            speakers=[SpeakerFactory()],
        )

    with django_assert_num_queries(11):
        response = organiser_client.get(board_url(event))

    content = response.content.decode()
    assert content.count('class="board-room"') == room_count + 1  # and "No room"
    assert content.count("<article ") == room_count


def test_board_of_a_day_without_talks_shows_working_hours(organiser_client, event, rooms):
    talk_at(event, "Another day", rooms["A"], 8, 7, 0)

    response = organiser_client.get(board_url(event))

    rows = response.context["board"].rows
    assert (rows[0].time_value, rows[-1].time_value) == ("09:00", "17:45")


# Moving with the form (what a drop sends too) --------------------------------


def test_move_saves_keeps_the_length_and_redirects_to_the_board(organiser_client, event, rooms):
    talk = talk_at(event, "Virtio status", rooms["A"], 7, 9, 0, minutes=45)
    stamp = talk.updated

    response = organiser_client.post(
        move_url(event), move_data(talk, room=rooms["B"], day="2012-11-08", start="11:15")
    )

    assert response.status_code == 302
    assert response["Location"] == board_url(event) + f"#talk-{talk.pk}"
    assert place(talk) == ("Room B", utc(2012, 11, 8, 10, 15), utc(2012, 11, 8, 11, 0))
    assert talk.updated > stamp
    board = organiser_client.get(response["Location"])
    assert shown_messages(board) == ["Moved “Virtio status” to Room B, Thu 8 Nov 11:15–12:00 CET."]


def test_move_without_a_start_unschedules_the_talk(organiser_client, event, rooms):
    talk = talk_at(event, "Virtio status", rooms["A"], 7, 9, 0)

    response = organiser_client.post(move_url(event), move_data(talk), follow=True)

    assert place(talk) == (None, None, None)
    assert shown_messages(response) == ["Moved “Virtio status” to the unscheduled talks."]
    assert [card.talk.title for card in response.context["board"].unscheduled] == ["Virtio status"]


def test_move_of_an_unscheduled_talk_with_a_planned_length_keeps_that_length(
    organiser_client, event, rooms
):
    talk_at(event, "Usual", rooms["A"], 7, 9, 0, minutes=40)
    workshop = TalkFactory(event=event, title="Workshop", start=None, end=None, planned_minutes=120)

    board = organiser_client.get(board_url(event)).content.decode()
    organiser_client.post(move_url(event), move_data(workshop, room=rooms["B"], start="10:00"))

    assert "Unscheduled, 120 min" in board
    assert place(workshop) == ("Room B", utc(2012, 11, 7, 9, 0), utc(2012, 11, 7, 11, 0))


def test_move_of_an_unscheduled_talk_gives_it_the_usual_slot(organiser_client, event, rooms):
    talk_at(event, "Usual", rooms["A"], 7, 9, 0, minutes=40)
    waiting = TalkFactory(event=event, title="Waiting", start=None, end=None)

    organiser_client.post(move_url(event), move_data(waiting, room=rooms["B"], start="10:00"))

    assert place(waiting) == ("Room B", utc(2012, 11, 7, 9, 0), utc(2012, 11, 7, 9, 40))


def test_move_into_an_occupied_slot_is_refused_with_the_clash_and_saves_nothing(
    organiser_client, event, rooms
):
    talk_at(event, "Keynote", rooms["B"], 7, 10, 0, minutes=60)
    talk = talk_at(event, "Virtio status", rooms["A"], 7, 9, 0)
    before = (place(talk), talk.updated)

    response = organiser_client.post(
        move_url(event), move_data(talk, room=rooms["B"], start="10:15"), follow=True
    )

    assert (place(talk), talk.updated) == before
    assert shown_messages(response) == [
        "“Virtio status” was not moved: “Virtio status” is in Room B at the same time as "
        "“Keynote” (Wed 07 Nov 10:00–11:00)."
    ]
    # The board offers to save it anyway, and only now.
    content = response.content.decode()
    opening = content.index('id="board-retry"')
    retry = content[opening : content.index("</section>", opening)]
    assert "Move “Virtio status” to Room B, Wed 7 Nov 10:15 CET despite the clash" in retry
    assert '<input type="checkbox" name="force" value="1" required>' in retry
    assert f'<input type="hidden" name="talk" value="{talk.pk}">' in retry
    assert 'name="force"' not in content.replace(retry, "")


def test_move_with_force_saves_despite_the_clash_and_says_so(organiser_client, event, rooms):
    talk_at(event, "Keynote", rooms["B"], 7, 10, 0, minutes=60)
    talk = talk_at(event, "Virtio status", rooms["A"], 7, 9, 0)

    response = organiser_client.post(
        move_url(event), move_data(talk, room=rooms["B"], start="10:15", force="1"), follow=True
    )

    assert place(talk) == ("Room B", utc(2012, 11, 7, 9, 15), utc(2012, 11, 7, 9, 45))
    assert shown_messages(response) == [
        "Moved “Virtio status” to Room B, Wed 7 Nov 10:15–10:45 CET. Saved despite the clash: "
        "“Virtio status” is in Room B at the same time as “Keynote” (Wed 07 Nov 10:00–11:00)."
    ]
    assert "board-retry" not in response.content.decode()


def test_move_that_puts_a_speaker_in_two_places_is_refused(organiser_client, event, rooms):
    avi = SpeakerFactory(name="Avi Kivity")
    talk_at(event, "KVM today", rooms["B"], 7, 10, 0, speakers=[avi])
    talk = talk_at(event, "KVM tomorrow", rooms["A"], 7, 9, 0, speakers=[avi])

    response = organiser_client.post(
        move_url(event), move_data(talk, room=rooms["A"], start="10:00"), follow=True
    )

    assert place(talk) == ("Room A", utc(2012, 11, 7, 8, 0), utc(2012, 11, 7, 8, 30))
    assert shown_messages(response) == [
        "“KVM tomorrow” was not moved: Avi Kivity speaks in “KVM tomorrow” while speaking in "
        "“KVM today” (Wed 07 Nov 10:00–10:30)."
    ]


def test_move_with_a_stale_stamp_is_a_conflict_and_changes_nothing(organiser_client, event, rooms):
    talk = talk_at(event, "Virtio status", rooms["A"], 7, 9, 0)
    seen = move_data(talk, room=rooms["B"], start="12:00")
    # Another organiser moves the talk after this board was drawn.
    Talk.objects.filter(pk=talk.pk).update(
        start=utc(2012, 11, 7, 10, 0),
        end=utc(2012, 11, 7, 10, 30),
        updated=utc(2012, 11, 7, 9, 42, 0, 123456),
    )

    response = organiser_client.post(move_url(event), seen, follow=True)

    assert place(talk) == ("Room A", utc(2012, 11, 7, 10, 0), utc(2012, 11, 7, 10, 30))
    assert talk.updated == utc(2012, 11, 7, 9, 42, 0, 123456)
    assert shown_messages(response) == [
        "Someone else changed “Virtio status” at 10:42 CET (it is now: Room A, Wed 7 Nov "
        "11:00 CET). The board now shows their change; make your move again if it still "
        "makes sense."
    ]


def test_second_of_two_moves_from_the_same_board_is_a_conflict(organiser_client, event, rooms):
    talk = talk_at(event, "Virtio status", rooms["A"], 7, 9, 0)
    first = move_data(talk, room=rooms["B"], start="12:00")
    second = move_data(talk, room=rooms["A"], start="15:00")

    organiser_client.post(move_url(event), first)
    response = organiser_client.post(move_url(event), second, follow=True)

    assert place(talk) == ("Room B", utc(2012, 11, 7, 11, 0), utc(2012, 11, 7, 11, 30))
    assert shown_messages(response)[-1].startswith("Someone else changed “Virtio status” at ")


def test_move_of_a_deleted_talk_says_so(organiser_client, event, rooms):
    talk = talk_at(event, "Gone", rooms["A"], 7, 9, 0)
    data = move_data(talk, room=rooms["B"], start="12:00")
    talk.delete()

    response = organiser_client.post(move_url(event), data, follow=True)

    assert shown_messages(response) == [
        "The talk was not moved. That talk is not on this event's board any more; "
        "someone may have deleted it."
    ]


def test_move_to_a_room_of_another_event_is_refused(organiser_client, event, rooms):
    elsewhere = RoomFactory(name="Elsewhere")
    talk = talk_at(event, "Virtio status", rooms["A"], 7, 9, 0)

    response = organiser_client.post(
        move_url(event), move_data(talk, room=elsewhere, start="12:00"), follow=True
    )

    assert place(talk) == ("Room A", utc(2012, 11, 7, 8, 0), utc(2012, 11, 7, 8, 30))
    assert shown_messages(response) == [
        "The talk was not moved. That room is not one of this event's rooms."
    ]


def test_move_of_a_talk_of_another_event_is_refused(organiser_client, event, rooms):
    other = TalkFactory(title="Other event's talk")
    before = place(other)

    response = organiser_client.post(
        move_url(event), move_data(other, room=rooms["A"], start="12:00"), follow=True
    )

    assert place(other) == before
    assert shown_messages(response)[0].startswith("The talk was not moved. That talk is not")


def test_move_to_a_time_the_clocks_skip_is_refused(organiser_client, rooms_in_spring):
    event, room = rooms_in_spring
    talk = TalkFactory(
        event=event,
        room=room,
        start=venue_time(event, 2013, 3, 30, 9, 0),
        end=venue_time(event, 2013, 3, 30, 10, 0),
    )
    before = place(talk)

    response = organiser_client.post(
        move_url(event),
        move_data(talk, room=room, day="2013-03-31", start="02:30", board_day="2013-03-30"),
        follow=True,
    )

    assert place(talk) == before
    assert shown_messages(response) == [
        "The talk was not moved. 2013-03-31 02:30 does not exist in Europe/Madrid: "
        "the clocks skip it."
    ]


@pytest.fixture
def rooms_in_spring(db):
    # Clocks in Madrid go from 02:00 to 03:00 on 31 March 2013.
    event = EventFactory(
        time_zone="Europe/Madrid",
        start_date=datetime.date(2013, 3, 30),
        end_date=datetime.date(2013, 3, 31),
    )
    return event, RoomFactory(event=event, name="Hall")


def test_move_over_the_clock_change_keeps_the_real_length(organiser_client, rooms_in_spring):
    event, room = rooms_in_spring
    talk = TalkFactory(
        event=event,
        room=room,
        start=venue_time(event, 2013, 3, 30, 9, 0),
        end=venue_time(event, 2013, 3, 30, 10, 30),
    )

    organiser_client.post(
        move_url(event),
        move_data(talk, room=room, day="2013-03-31", start="01:30", board_day="2013-03-30"),
    )

    # 01:30 CET is 00:30 UTC; 90 minutes later clocks show 04:00 CEST.
    assert place(talk) == ("Hall", utc(2013, 3, 31, 0, 30), utc(2013, 3, 31, 2, 0))


def test_move_needs_a_post(organiser_client, event):
    assert organiser_client.get(move_url(event)).status_code == 405


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"seen_updated": ""}, "The board sent no version of the talk"),
        ({"seen_updated": "yesterday"}, "The board sent an unreadable version of the talk"),
        ({"start": "25:00"}, "Enter a valid time."),
        ({"day": ""}, "Give the day of the new start."),
    ],
)
def test_move_with_bad_input_is_refused_with_a_message(
    organiser_client, event, rooms, change, message
):
    talk = talk_at(event, "Virtio status", rooms["A"], 7, 9, 0)
    data = {**move_data(talk, room=rooms["B"], start="12:00"), **change}

    response = organiser_client.post(move_url(event), data, follow=True)

    assert place(talk) == ("Room A", utc(2012, 11, 7, 8, 0), utc(2012, 11, 7, 8, 30))
    (shown,) = shown_messages(response)
    assert shown.startswith(f"The talk was not moved. {message}")


# Swapping ------------------------------------------------------------------


def test_swap_exchanges_rooms_and_starts_each_keeping_its_length(organiser_client, event, rooms):
    first = talk_at(event, "First", rooms["A"], 7, 9, 0, minutes=45)
    second = talk_at(event, "Second", rooms["B"], 7, 11, 0, minutes=30)

    response = organiser_client.post(swap_url(event), swap_data(first, second), follow=True)

    assert place(first) == ("Room B", utc(2012, 11, 7, 10, 0), utc(2012, 11, 7, 10, 45))
    assert place(second) == ("Room A", utc(2012, 11, 7, 8, 0), utc(2012, 11, 7, 8, 30))
    assert shown_messages(response) == [
        "Swapped “First” (Room B, Wed 7 Nov 11:00–11:45 CET) and “Second” "
        "(Room A, Wed 7 Nov 09:00–09:30 CET)."
    ]


def test_swap_that_would_clash_is_refused_and_changes_neither(organiser_client, event, rooms):
    avi = SpeakerFactory(name="Avi Kivity")
    first = talk_at(event, "First", rooms["A"], 7, 9, 0, speakers=[avi])
    second = talk_at(event, "Second", rooms["B"], 7, 11, 0)
    talk_at(event, "Avi at eleven", rooms["A"], 7, 11, 0, speakers=[avi])
    before = (place(first), place(second))

    response = organiser_client.post(swap_url(event), swap_data(first, second), follow=True)

    assert (place(first), place(second)) == before
    assert shown_messages(response) == [
        "“First” and “Second” were not swapped: Avi Kivity speaks in “First” while speaking in "
        "“Avi at eleven” (Wed 07 Nov 11:00–11:30)."
    ]
    content = response.content.decode()
    assert "Swap “First” and “Second” despite the clash" in content


def test_swap_with_force_saves_despite_the_clash(organiser_client, event, rooms):
    avi = SpeakerFactory(name="Avi Kivity")
    first = talk_at(event, "First", rooms["A"], 7, 9, 0, speakers=[avi])
    second = talk_at(event, "Second", rooms["B"], 7, 11, 0)
    talk_at(event, "Avi at eleven", rooms["A"], 7, 11, 0, speakers=[avi])

    response = organiser_client.post(
        swap_url(event), swap_data(first, second, force="1"), follow=True
    )

    assert place(first) == ("Room B", utc(2012, 11, 7, 10, 0), utc(2012, 11, 7, 10, 30))
    assert place(second) == ("Room A", utc(2012, 11, 7, 8, 0), utc(2012, 11, 7, 8, 30))
    assert shown_messages(response)[0].endswith(
        "Saved despite the clash: Avi Kivity speaks in “First” while speaking in "
        "“Avi at eleven” (Wed 07 Nov 11:00–11:30)."
    )


def test_swap_with_one_stale_stamp_changes_neither(organiser_client, event, rooms):
    first = talk_at(event, "First", rooms["A"], 7, 9, 0)
    second = talk_at(event, "Second", rooms["B"], 7, 11, 0)
    data = swap_data(first, second)
    Talk.objects.filter(pk=second.pk).update(updated=utc(2012, 11, 7, 9, 42))

    response = organiser_client.post(swap_url(event), data, follow=True)

    assert place(first) == ("Room A", utc(2012, 11, 7, 8, 0), utc(2012, 11, 7, 8, 30))
    assert place(second) == ("Room B", utc(2012, 11, 7, 10, 0), utc(2012, 11, 7, 10, 30))
    assert shown_messages(response)[0].startswith("Someone else changed “Second” at 10:42 CET")


def test_swap_of_a_talk_with_itself_is_refused(organiser_client, event, rooms):
    talk = talk_at(event, "Alone", rooms["A"], 7, 9, 0)

    response = organiser_client.post(swap_url(event), swap_data(talk, talk), follow=True)

    assert shown_messages(response) == ["“Alone” cannot be swapped with itself."]


# The services ----------------------------------------------------------------

# Room A holds "Busy" 09:00–09:30 on 7 Nov; its speaker also gives "Other" in
# Room B 11:00–11:30; "Cancelled" sat in Room B 14:00–15:00. The moved talk is
# 30 minutes long and shares Busy's speaker only where the case says so.
MOVE_CASES = [
    # (case, room, (day, hour, minute) or None, shares speaker, saved, codes)
    ("touching the end of another", "A", (7, 9, 30), False, True, []),
    ("touching the start of another", "A", (7, 8, 30), False, True, []),
    ("same start, same room", "A", (7, 9, 0), False, False, [Code.ROOM_OVERLAP]),
    ("overlapping the end", "A", (7, 9, 15), False, False, [Code.ROOM_OVERLAP]),
    ("same time, other room", "B", (7, 9, 0), False, True, []),
    ("speaker elsewhere at once", "B", (7, 9, 0), True, False, [Code.SPEAKER_OVERLAP]),
    ("speaker, touching", "B", (7, 9, 30), True, True, []),
    ("over a cancelled talk", "B", (7, 14, 0), False, True, []),
    ("no room, in parallel", None, (7, 9, 0), False, True, []),
    ("across midnight, mid-event", "A", (8, 23, 45), False, True, []),
    ("across midnight, last day", "A", (9, 23, 45), False, False, [Code.OUTSIDE_EVENT]),
    ("before the event", "A", (6, 10, 0), False, False, [Code.OUTSIDE_EVENT]),
    ("unscheduled", None, None, True, True, []),
]


@pytest.mark.parametrize(
    ("room_name", "when", "shares_speaker", "saved", "codes"),
    [case[1:] for case in MOVE_CASES],
    ids=[case[0] for case in MOVE_CASES],
)
def test_talk_move_cases(event, rooms, room_name, when, shares_speaker, saved, codes):
    avi = SpeakerFactory(name="Avi Kivity")
    talk_at(event, "Busy", rooms["A"], 7, 9, 0, speakers=[avi])
    talk_at(event, "Other", rooms["B"], 7, 11, 0, speakers=[avi])
    talk_at(event, "Cancelled", rooms["B"], 7, 14, 0, minutes=60, is_cancelled=True)
    speakers = [avi] if shares_speaker else [SpeakerFactory()]
    moved = talk_at(event, "Moved", rooms["B"], 8, 15, 0, speakers=speakers)
    start = venue_time(event, 2012, 11, *when) if when else None

    result = talk_move(
        talk=moved,
        room=rooms.get(room_name),
        start=start,
        seen_updated=moved.updated,
    )

    assert (result.saved, [problem.code for problem in result.problems]) == (saved, codes)
    if saved:
        end = start + datetime.timedelta(minutes=30) if start else None
        assert place(moved) == (room_name and f"Room {room_name}", start, end)
    else:
        assert place(moved) == ("Room B", utc(2012, 11, 8, 14, 0), utc(2012, 11, 8, 14, 30))


def clock_place(talk, event):
    """Where ``talk`` is, as the venue's clock reads it: ``("Room A", "09:00", "09:30")``."""
    talk.refresh_from_db()
    start, end = event.local_time(talk.start), event.local_time(talk.end)
    return (talk.room.name, f"{start:%H:%M}", f"{end:%H:%M}")


SWAP_CASES = [
    # (case, first, second, places after the swap (None: refused), clash codes), where a
    # talk is (room, start on 7 Nov, minutes) and a place (room, start, end) at the venue.
    (
        "same length, two rooms",
        ("Room A", (9, 0), 30),
        ("Room B", (11, 0), 30),
        [("Room B", "11:00", "11:30"), ("Room A", "09:00", "09:30")],
        [],
    ),
    (
        "neighbours of one length",
        ("Room A", (9, 0), 30),
        ("Room A", (9, 30), 30),
        [("Room A", "09:30", "10:00"), ("Room A", "09:00", "09:30")],
        [],
    ),
    (
        "long after short: runs into it",
        ("Room A", (9, 0), 30),
        ("Room A", (9, 30), 60),
        None,
        [Code.ROOM_OVERLAP],
    ),
    (
        "short after long: a gap opens",
        ("Room A", (9, 0), 60),
        ("Room A", (10, 0), 30),
        [("Room A", "10:00", "11:00"), ("Room A", "09:00", "09:30")],
        [],
    ),
]


@pytest.mark.parametrize(
    ("first_at", "second_at", "after", "codes"),
    [case[1:] for case in SWAP_CASES],
    ids=[case[0] for case in SWAP_CASES],
)
def test_talks_swap_cases(event, rooms, first_at, second_at, after, codes):
    by_name = {room.name: room for room in rooms.values()}
    first_room, (hour, minute), minutes = first_at
    first = talk_at(event, "First", by_name[first_room], 7, hour, minute, minutes=minutes)
    second_room, (hour, minute), minutes = second_at
    second = talk_at(event, "Second", by_name[second_room], 7, hour, minute, minutes=minutes)
    before = [clock_place(first, event), clock_place(second, event)]

    result = talks_swap(
        first=first, second=second, seen_first=first.updated, seen_second=second.updated
    )

    assert (result.saved, [problem.code for problem in result.problems]) == (
        after is not None,
        codes,
    )
    assert [clock_place(first, event), clock_place(second, event)] == (after or before)


def test_talks_swap_with_an_unscheduled_talk_unschedules_the_other(event, rooms):
    placed = talk_at(event, "Placed", rooms["A"], 7, 9, 0, minutes=45)
    waiting = TalkFactory(event=event, title="Waiting", start=None, end=None)

    result = talks_swap(
        first=waiting, second=placed, seen_first=waiting.updated, seen_second=placed.updated
    )

    assert result.saved
    # The waiting talk had no length of its own: it takes the event's usual slot.
    assert place(waiting) == ("Room A", utc(2012, 11, 7, 8, 0), utc(2012, 11, 7, 8, 45))
    assert place(placed) == (None, None, None)


def test_talks_swap_reports_a_clash_between_the_pair_once(event, rooms):
    avi = SpeakerFactory(name="Avi Kivity")
    # Swapped, First runs 09:30–10:00 in Room B and Second 09:00–10:00 in Room A.
    first = talk_at(event, "First", rooms["A"], 7, 9, 0, minutes=30, speakers=[avi])
    second = talk_at(event, "Second", rooms["B"], 7, 9, 30, minutes=60, speakers=[avi])

    result = talks_swap(
        first=first, second=second, seen_first=first.updated, seen_second=second.updated
    )

    assert [problem.code for problem in result.problems] == [Code.SPEAKER_OVERLAP]


def test_talk_move_with_a_stale_stamp_raises_a_conflict(event, rooms):
    talk = talk_at(event, "Virtio status", rooms["A"], 7, 9, 0)
    seen = talk.updated
    talk.title = "Virtio status, revised"
    talk.save()

    with pytest.raises(BoardConflict) as raised:
        talk_move(talk=talk, room=rooms["B"], start=None, seen_updated=seen)

    assert str(raised.value).startswith("Someone else changed “Virtio status, revised” at ")
    assert place(talk) == ("Room A", utc(2012, 11, 7, 8, 0), utc(2012, 11, 7, 8, 30))


def test_talk_move_to_a_room_of_another_event_raises(event, rooms):
    talk = talk_at(event, "Virtio status", rooms["A"], 7, 9, 0)
    elsewhere = RoomFactory(name="Elsewhere")

    with pytest.raises(BoardError, match=r"Elsewhere is a room of another event\."):
        talk_move(talk=talk, room=elsewhere, start=None, seen_updated=talk.updated)


def test_talks_swap_across_events_raises(event, rooms):
    talk = talk_at(event, "Here", rooms["A"], 7, 9, 0)
    other = TalkFactory(title="There")

    with pytest.raises(BoardError, match="are talks of different events"):
        talks_swap(first=talk, second=other, seen_first=talk.updated, seen_second=other.updated)


def test_a_days_board_marks_what_the_whole_events_rules_find_for_its_talks(
    organiser_client, event, rooms
):
    # Loaded by day, the board must still see a clash across midnight, judge a
    # talk's length by the whole event's usual slot and count every day's talks.
    for hour in (9, 10, 11):
        talk_at(event, f"Usual {hour}", rooms["B"], 7, hour, 0)
    late = talk_at(event, "Late night", rooms["A"], 7, 23, 30, minutes=60)
    early = talk_at(event, "Past midnight", rooms["A"], 8, 0, 0)
    long_one = talk_at(event, "Very long", rooms["B"], 8, 9, 0, minutes=120)

    response = organiser_client.get(board_url(event, "2012-11-08"))

    board = response.context["board"]
    cards = {card.talk.title: card for card in board.cards}
    assert set(cards) == {"Past midnight", "Very long"}
    assert cards["Past midnight"].errors == [
        f"“{early.title}” is in Room A at the same time as “{late.title}” (Wed 07 Nov 23:30–00:30)."
    ]
    assert "“Very long” runs 120 minutes; the usual slot is 30." in cards["Very long"].warnings
    assert [(link.date.day, link.talk_count) for link in board.days] == [(7, 4), (8, 2), (9, 0)]
    assert long_one.pk in {card.talk.pk for card in board.cards}
