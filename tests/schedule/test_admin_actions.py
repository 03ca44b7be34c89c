"""Tests of the admin actions on talks and events, through the admin change lists."""

import csv
import io

import pytest

from conference.models import Room
from schedule.clashes import Code, schedule_problems
from schedule.models import Talk
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    scheduled_talk,
    venue_time,
)

TALKS = "/admin/schedule/talk/"
EVENTS = "/admin/conference/event/"
BULK_EDIT_TEMPLATE = "admin/schedule/talk/bulk_edit.html"


@pytest.fixture
def hall(event):
    return RoomFactory(event=event, name="Hall", slug="hall", position=0)


def run_action(client, action, objects, *, url=TALKS, **data):
    return client.post(
        url,
        {"action": action, "_selected_action": [obj.pk for obj in objects], **data},
        follow=True,
    )


def shown(response):
    return [(message.level_tag, message.message) for message in response.context["messages"]]


def template_names(response):
    return [template.name for template in response.templates]


# Publish, unpublish, cancel


@pytest.mark.parametrize(
    ("action", "field", "before", "after", "message"),
    [
        ("publish", "is_published", False, True, "2 talks published."),
        ("unpublish", "is_published", True, False, "2 talks unpublished."),
        ("cancel", "is_cancelled", False, True, "2 talks cancelled."),
    ],
)
def test_flag_actions_change_the_selected_talks(
    organiser_client, event, action, field, before, after, message
):
    selected = [
        scheduled_talk(event, "A", (9, 0), (10, 0), **{field: before}),
        scheduled_talk(event, "B", (10, 0), (11, 0), **{field: before}),
    ]
    scheduled_talk(event, "Not selected", (11, 0), (12, 0), **{field: before})

    response = run_action(organiser_client, action, selected)

    assert response.redirect_chain == [(TALKS, 302)]
    assert shown(response) == [("success", message)]
    assert dict(Talk.objects.values_list("title", field)) == {
        "A": after,
        "B": after,
        "Not selected": before,
    }


def test_cancelled_talks_stay_listed_in_the_admin(organiser_client, event):
    a = scheduled_talk(event, "A", (9, 0), (10, 0))

    run_action(organiser_client, "cancel", [a])
    response = organiser_client.get(TALKS, {"is_cancelled__exact": "1"})

    assert [t.title for t in response.context["cl"].result_list] == ["A"]


# Set the track


def test_set_track_asks_for_a_track_of_the_talks_event(organiser_client, event):
    TrackFactory(event=event, name="Storage")
    TrackFactory(event=event, name="Networking")
    TrackFactory(name="Another event's")
    a = scheduled_talk(event, "A", (9, 0), (10, 0))
    b = scheduled_talk(event, "B <b>bold</b>", (10, 0), (11, 0), slug="b")

    response = run_action(organiser_client, "set_track", [a, b])

    assert response.status_code == 200
    assert BULK_EDIT_TEMPLATE in template_names(response)
    assert response.redirect_chain == []
    choices = [label for _, label in response.context["form"].fields["track"].choices]
    assert choices == ["— no track —", "Networking", "Storage"]
    content = response.content.decode()
    assert f'<input type="hidden" name="_selected_action" value="{a.pk}">' in content
    assert f'<input type="hidden" name="_selected_action" value="{b.pk}">' in content
    assert '<input type="hidden" name="action" value="set_track">' in content
    assert '<input type="submit" name="apply" value="Apply" class="default">' in content
    assert 'B &lt;b&gt;bold&lt;/b&gt; <span class="quiet">(Wed 7 Nov 10:00–11:00 CET)' in (content)
    assert "<b>bold</b>" not in content


def test_set_track_applies_the_choice(organiser_client, event):
    storage = TrackFactory(event=event, name="Storage")
    a = scheduled_talk(event, "A", (9, 0), (10, 0))
    b = scheduled_talk(event, "B", (10, 0), (11, 0))

    response = run_action(organiser_client, "set_track", [a, b], track=storage.pk, apply="Apply")

    assert response.redirect_chain == [(TALKS, 302)]
    assert shown(response) == [("success", "2 talks moved to track “Storage”.")]
    assert set(Talk.objects.values_list("track__name", flat=True)) == {"Storage"}


def test_set_track_refuses_another_events_track(organiser_client, event):
    elsewhere = TrackFactory(name="Elsewhere")
    a = scheduled_talk(event, "A", (9, 0), (10, 0))

    response = run_action(organiser_client, "set_track", [a], track=elsewhere.pk, apply="Apply")

    assert BULK_EDIT_TEMPLATE in template_names(response)
    assert response.context["form"].errors == {
        "track": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert Talk.objects.get(pk=a.pk).track is None


@pytest.mark.parametrize("action", ["set_track", "set_room", "export_csv"])
def test_actions_needing_one_event_refuse_talks_of_several(organiser_client, event, action):
    a = scheduled_talk(event, "A", (9, 0), (10, 0))
    b = TalkFactory(event=EventFactory(name="DevConf"), title="B")

    response = run_action(organiser_client, action, [a, b])

    assert response.redirect_chain == [(TALKS, 302)]
    assert shown(response) == [
        (
            "error",
            "The selected talks belong to 2 events (DevConf, KVM Forum); "
            "select talks of one event.",
        )
    ]


# Set the room


def test_set_room_offers_the_events_rooms_and_moves_the_talks(organiser_client, event, hall):
    RoomFactory(name="Another event's")
    a = scheduled_talk(event, "A", (9, 0), (10, 0))

    page = run_action(organiser_client, "set_room", [a])
    response = run_action(organiser_client, "set_room", [a], room=hall.pk, apply="Apply")

    choices = [label for _, label in page.context["form"].fields["room"].choices]
    assert choices == ["— no room —", "Hall"]
    assert shown(response) == [("success", "1 talk moved to room “Hall”.")]
    assert Talk.objects.get(pk=a.pk).room == hall


def test_set_room_refuses_a_clash_and_lists_it(organiser_client, event, hall):
    scheduled_talk(event, "Keynote", (9, 0), (10, 0), room=hall)
    a = scheduled_talk(event, "A", (9, 30), (10, 30))

    response = run_action(organiser_client, "set_room", [a], room=hall.pk, apply="Apply")

    assert shown(response) == [
        ("error", "Nothing was moved to room “Hall”: the talks would be in 1 clash."),
        ("error", "“A” is in Hall at the same time as “Keynote” (Wed 07 Nov 09:00–10:00)."),
    ]
    assert Talk.objects.get(pk=a.pk).room is None


def test_set_room_to_no_room(organiser_client, event, hall):
    a = scheduled_talk(event, "A", (9, 0), (10, 0), room=hall)

    response = run_action(organiser_client, "set_room", [a], room="", apply="Apply")

    assert shown(response) == [("success", "1 talk left without a room.")]
    assert Talk.objects.get(pk=a.pk).room is None


# Shift


def test_shift_asks_for_minutes(organiser_client, event):
    a = scheduled_talk(event, "A", (9, 0), (10, 0))

    response = run_action(organiser_client, "shift_times", [a])

    assert BULK_EDIT_TEMPLATE in template_names(response)
    content = response.content.decode()
    assert 'name="minutes"' in content
    assert '<input type="hidden" name="action" value="shift_times">' in content


@pytest.mark.parametrize(
    ("minutes", "errors"),
    [
        ("", ["This field is required."]),
        ("soon", ["Enter a whole number."]),
        ("1.5", ["Enter a whole number."]),
        ("0", ["A shift of 0 minutes changes nothing."]),
        ("10081", ["Ensure this value is less than or equal to 10080."]),
        ("-10081", ["Ensure this value is greater than or equal to -10080."]),
    ],
)
def test_shift_refuses_bad_minutes(organiser_client, event, minutes, errors):
    a = scheduled_talk(event, "A", (9, 0), (10, 0))

    response = run_action(organiser_client, "shift_times", [a], minutes=minutes, apply="Apply")

    assert response.context["form"].errors == {"minutes": errors}
    assert Talk.objects.get(pk=a.pk).start == a.start


def test_shift_moves_the_talks_earlier(organiser_client, event, hall):
    a = scheduled_talk(event, "A", (9, 0), (10, 0), room=hall)
    b = scheduled_talk(event, "B", (10, 0), (11, 0), room=hall)

    response = run_action(organiser_client, "shift_times", [a, b], minutes="-30", apply="Apply")

    assert response.redirect_chain == [(TALKS, 302)]
    assert shown(response) == [("success", "2 talks shifted by -30 minutes.")]
    assert list(Talk.objects.order_by("start").values_list("start", "end")) == [
        (venue_time(event, 2012, 11, 7, 8, 30), venue_time(event, 2012, 11, 7, 9, 30)),
        (venue_time(event, 2012, 11, 7, 9, 30), venue_time(event, 2012, 11, 7, 10, 30)),
    ]


def test_shift_saves_nothing_when_a_talk_would_clash_and_offers_to_shift_despite_it(
    organiser_client, event, hall
):
    avi = SpeakerFactory(name="Avi Kivity")
    a = scheduled_talk(event, "A", (9, 0), (10, 0), room=hall)
    b = scheduled_talk(event, "B", (10, 0), (11, 0), speakers=[avi])
    scheduled_talk(event, "C", (11, 0), (12, 0), room=hall, speakers=[avi])

    response = run_action(organiser_client, "shift_times", [a, b], minutes="90", apply="Apply")

    assert BULK_EDIT_TEMPLATE in template_names(response)
    assert response.context["form"].non_field_errors() == [
        "Nothing was shifted by +90 minutes: the talks would be in 2 clashes.",
        "“C” is in Hall at the same time as “A” (Wed 07 Nov 10:30–11:30).",
        "Avi Kivity speaks in “B” while speaking in “C” (Wed 07 Nov 11:00–12:00).",
        "Tick “Shift despite the clash” to shift anyway.",
    ]
    content = response.content.decode()
    assert '<input type="checkbox" name="despite_clashes"' in content
    assert 'class="vCheckboxLabel">Shift despite the clash</label>' in content
    assert 'name="minutes" value="90"' in content
    assert list(Talk.objects.order_by("title").values_list("start", flat=True)) == [
        a.start,
        b.start,
        venue_time(event, 2012, 11, 7, 11, 0),
    ]


def test_shift_offers_no_despite_box_before_a_clash(organiser_client, event):
    a = scheduled_talk(event, "A", (9, 0), (10, 0))

    content = run_action(organiser_client, "shift_times", [a]).content.decode()

    assert '<input type="hidden" name="despite_clashes"' in content
    assert "Shift despite the clash" not in content


def test_shift_despite_the_clash_saves_and_warns(organiser_client, event, hall):
    a = scheduled_talk(event, "A", (9, 0), (10, 0), room=hall)
    scheduled_talk(event, "B", (10, 0), (11, 0), room=hall)

    response = run_action(
        organiser_client,
        "shift_times",
        [a],
        minutes="30",
        despite_clashes="on",
        apply="Apply",
    )

    assert response.redirect_chain == [(TALKS, 302)]
    assert shown(response) == [
        ("warning", "1 talk shifted by +30 minutes, despite 1 clash."),
        ("warning", "“B” is in Hall at the same time as “A” (Wed 07 Nov 09:30–10:30)."),
    ]
    assert Talk.objects.get(pk=a.pk).start == venue_time(event, 2012, 11, 7, 9, 30)


def test_shift_of_talks_in_a_clash_accepted_before_is_saved(organiser_client, event, hall):
    # Saved despite the clash in the talk form, days ago.
    a = scheduled_talk(event, "A", (9, 0), (10, 0), room=hall)
    b = scheduled_talk(event, "B", (9, 30), (10, 30), room=hall)

    response = run_action(organiser_client, "shift_times", [a, b], minutes="60", apply="Apply")

    assert shown(response) == [("success", "2 talks shifted by +60 minutes.")]
    assert list(Talk.objects.order_by("title").values_list("start", flat=True)) == [
        venue_time(event, 2012, 11, 7, 10, 0),
        venue_time(event, 2012, 11, 7, 10, 30),
    ]


# CSV export


def test_export_csv_downloads_the_selected_talks(organiser_client, event, hall):
    avi = SpeakerFactory(name="Avi Kivity")
    a = scheduled_talk(
        event, "Virtualización", (9, 0), (9, 45), slug="virt", room=hall, speakers=[avi]
    )
    hostile = scheduled_talk(event, "Hostile", (10, 0), (10, 30))
    Talk.objects.filter(pk=hostile.pk).update(title='=HYPERLINK("http://evil")')
    scheduled_talk(event, "Not selected", (11, 0), (12, 0))

    response = run_action(organiser_client, "export_csv", [a, hostile])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kvm-talks.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        [
            "day",
            "start",
            "end",
            "time zone",
            "room",
            "track",
            "title",
            "speakers",
            "kind",
            "status",
            "url",
        ],
        [
            "2012-11-07",
            "09:00",
            "09:45",
            "Europe/Madrid",
            "Hall",
            "",
            "Virtualización",
            "Avi Kivity",
            "Talk",
            "published",
            "http://testserver/kvm/talks/virt/",
        ],
        [
            "2012-11-07",
            "10:00",
            "10:30",
            "Europe/Madrid",
            "",
            "",
            '\'=HYPERLINK("http://evil")',
            "",
            "Talk",
            "published",
            "http://testserver/kvm/talks/hostile/",
        ],
    ]


def test_talk_actions_are_offered_on_the_change_list(organiser_client, event):
    response = organiser_client.get(TALKS)

    choices = [name for name, _ in response.context["action_form"].fields["action"].choices]
    assert choices == [
        "",
        "delete_selected",
        "set_track",
        "set_room",
        "shift_times",
        "publish",
        "unpublish",
        "cancel",
        "export_csv",
    ]


# Assign rooms, on the event change list


def test_assign_rooms_action_gives_the_2012_agenda_rooms(organiser_client, kvm_forum):
    response = run_action(organiser_client, "assign_rooms", [kvm_forum], url=EVENTS)

    assert response.redirect_chain == [(EVENTS, 302)]
    assert shown(response) == [
        (
            "success",
            "Event kvm-forum-2012: 34 talks assigned to rooms, 0 kept in the room they had, "
            "0 left without a room (breaks, cancelled or unscheduled). "
            "Rooms: 3 created (Room 1, Room 2, Room 3), 3 in use.",
        )
    ]
    assert list(Room.objects.values_list("name", flat=True)) == ["Room 1", "Room 2", "Room 3"]
    assert [p for p in schedule_problems(kvm_forum) if p.code == Code.ROOM_OVERLAP] == []


def test_assign_rooms_action_twice_changes_nothing_the_second_time(organiser_client, kvm_forum):
    run_action(organiser_client, "assign_rooms", [kvm_forum], url=EVENTS)

    response = run_action(organiser_client, "assign_rooms", [kvm_forum], url=EVENTS)

    assert shown(response) == [
        (
            "info",
            "Event kvm-forum-2012: 0 talks assigned to rooms, 34 kept in the room they had, "
            "0 left without a room (breaks, cancelled or unscheduled). "
            "Rooms: 0 created, 3 in use.",
        )
    ]
    assert Room.objects.count() == 3
