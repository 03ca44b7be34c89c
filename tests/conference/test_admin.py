import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.test import Client

from conference.admin_site import ORGANISERS_GROUP
from conference.models import Event
from tests.factories import EventFactory, UserFactory

PASSWORD = "correct horse battery staple"


def test_organisers_group_has_exactly_the_programme_permissions(db):
    group = Group.objects.get(name=ORGANISERS_GROUP)

    granted = set(group.permissions.values_list("content_type__app_label", "codename"))

    expected = {
        (app_label, f"{action}_{model}")
        for app_label, models in {
            "conference": ["event", "room", "track"],
            "schedule": ["talk", "talkspeaker"],
            "speakers": ["speaker", "speakerlink"],
        }.items()
        for model in models
        for action in ["add", "change", "delete", "view"]
    }
    assert granted == expected
    assert not group.permissions.filter(content_type__app_label="auth").exists()


def test_group_member_without_staff_flag_signs_in_to_the_admin(client, organiser):
    assert not organiser.is_staff

    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "organiser", "password": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [("/admin/", 302)]
    content = response.content.decode()
    assert "Talks" in content
    assert "Events" in content
    assert "Speakers" in content
    assert "Users" not in content


def test_account_outside_the_group_cannot_sign_in_to_the_admin(client, db):
    UserFactory(username="attendee")

    response = client.post(
        "/admin/login/?next=/admin/", {"username": "attendee", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "Please enter the correct username and password for a staff account" in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_organiser_cannot_manage_accounts_or_groups(organiser_client):
    assert organiser_client.get("/admin/auth/user/").status_code == 403
    assert organiser_client.get("/admin/auth/group/").status_code == 403


def test_organiser_creates_an_event_with_rooms_and_tracks_inline(organiser_client):
    response = organiser_client.post(
        "/admin/conference/event/add/",
        {
            "name": "DevConf",
            "slug": "devconf",
            "tagline": "",
            "is_published": "on",
            "start_date": "2026-06-10",
            "end_date": "2026-06-12",
            "time_zone": "Europe/Prague",
            "location": "Brno, Czechia",
            "description": "",
            "website": "",
            "rooms-TOTAL_FORMS": "2",
            "rooms-INITIAL_FORMS": "0",
            "rooms-0-name": "Aula",
            "rooms-0-slug": "aula",
            "rooms-0-capacity": "400",
            "rooms-0-position": "0",
            "rooms-1-name": "E104",
            "rooms-1-slug": "e104",
            "rooms-1-capacity": "",
            "rooms-1-position": "1",
            "tracks-TOTAL_FORMS": "1",
            "tracks-INITIAL_FORMS": "0",
            "tracks-0-name": "Kernel",
            "tracks-0-slug": "kernel",
            "tracks-0-colour": "#aa3300",
            "tracks-0-position": "0",
        },
    )

    assert response.status_code == 302
    event = Event.objects.get(slug="devconf")
    assert [(room.name, room.capacity) for room in event.rooms.all()] == [
        ("Aula", 400),
        ("E104", None),
    ]
    assert [(track.name, track.colour) for track in event.tracks.all()] == [("Kernel", "#aa3300")]


def test_event_form_rejects_an_unknown_zone(organiser_client):
    response = organiser_client.post(
        "/admin/conference/event/add/",
        {
            "name": "Broken",
            "slug": "broken",
            "start_date": "2026-06-12",
            "end_date": "2026-06-10",
            "time_zone": "Mars/Olympus",
            "rooms-TOTAL_FORMS": "0",
            "rooms-INITIAL_FORMS": "0",
            "tracks-TOTAL_FORMS": "0",
            "tracks-INITIAL_FORMS": "0",
        },
    )

    errors = response.context["adminform"].form.errors
    assert "Mars/Olympus is not one of the available choices." in errors["time_zone"][0]
    assert not Event.objects.filter(slug="broken").exists()


def test_event_form_rejects_reversed_dates_with_a_message(organiser_client):
    response = organiser_client.post(
        "/admin/conference/event/add/",
        {
            "name": "Backwards",
            "slug": "backwards",
            "start_date": "2026-06-12",
            "end_date": "2026-06-10",
            "time_zone": "Europe/Prague",
            "rooms-TOTAL_FORMS": "0",
            "rooms-INITIAL_FORMS": "0",
            "tracks-TOTAL_FORMS": "0",
            "tracks-INITIAL_FORMS": "0",
        },
    )

    assert "The event cannot end before it starts." in response.content.decode()
    assert not Event.objects.filter(slug="backwards").exists()


def test_event_list_shows_talk_counts(organiser_client):
    from tests.factories import TalkFactory

    event = EventFactory(name="KVM Forum")
    TalkFactory.create_batch(3, event=event)

    response = organiser_client.get("/admin/conference/event/")

    assert [(row.name, row.talk_count) for row in response.context["cl"].result_list] == [
        ("KVM Forum", 3)
    ]


@pytest.mark.parametrize("path", ["/admin/conference/room/", "/admin/conference/track/"])
def test_room_and_track_lists_name_their_event(organiser_client, path):
    from tests.factories import RoomFactory, TrackFactory

    event = EventFactory(name="oVirt Workshop")
    RoomFactory(event=event, name="Auditorium")
    TrackFactory(event=event, name="Auditorium")

    response = organiser_client.get(path)

    content = response.content.decode()
    assert "Auditorium" in content
    assert "oVirt Workshop" in content


def test_permissions_exist_for_every_model_the_group_names(db):
    assert Permission.objects.filter(codename="change_talkspeaker").exists()


def test_event_list_links_each_event_to_its_schedule_board(organiser_client):
    event = EventFactory(name="KVM Forum")

    response = organiser_client.get("/admin/conference/event/")

    assert (
        f'<a href="/admin/schedule/talk/board/{event.pk}/">Board</a>' in response.content.decode()
    )


# Two organisers editing one event -----------------------------------------------------------

STAMP = re.compile(r'name="seen_updated" value="([^"]*)"')


def event_form(event, **changes):
    """What the event's change form posts, as drawn for ``event``."""
    data = {
        "name": event.name,
        "slug": event.slug,
        "tagline": event.tagline,
        "is_published": "on",
        "start_date": event.start_date,
        "end_date": event.end_date,
        "time_zone": event.time_zone,
        "location": event.location,
        "description": event.description,
        "website": event.website,
        "rooms-TOTAL_FORMS": "0",
        "rooms-INITIAL_FORMS": "0",
        "tracks-TOTAL_FORMS": "0",
        "tracks-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def opened_event_form(client, event):
    """The form as the organiser's browser received it: the event's fields and its stamp."""
    page = client.get(f"/admin/conference/event/{event.pk}/change/").content.decode()
    return event_form(event, seen_updated=STAMP.search(page).group(1))


def test_saving_an_event_someone_changed_since_the_page_was_drawn_is_refused(organiser_client):
    event = EventFactory(name="KVM Forum", location="Barcelona, Spain", time_zone="Europe/Madrid")
    dee = UserFactory(username="dee")
    dee.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    other = Client()
    other.force_login(dee)
    first, second = opened_event_form(organiser_client, event), opened_event_form(other, event)

    with time_machine.travel(datetime.datetime(2026, 3, 2, 14, 5, tzinfo=datetime.UTC)):
        saved = organiser_client.post(
            f"/admin/conference/event/{event.pk}/change/", {**first, "location": "Prague"}
        )
    refused = other.post(
        f"/admin/conference/event/{event.pk}/change/", {**second, "tagline": "Dee's tagline"}
    )

    assert (saved.status_code, refused.status_code) == (302, 200)
    assert refused.context["adminform"].form.non_field_errors() == [
        "Someone else saved this event at 15:05 CET since you opened it. "
        "Reload the page to see their changes, then make yours again."
    ]
    event.refresh_from_db()
    assert (event.location, event.tagline) == ("Prague", "")


def test_the_event_change_form_carries_the_stamp_of_the_event_it_shows(organiser_client):
    event = EventFactory()

    form = opened_event_form(organiser_client, event)

    assert form["seen_updated"] == event.updated.isoformat()
