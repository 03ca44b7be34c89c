import datetime
import html
import re
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.test import Client

from conference.admin_site import ORGANISERS_GROUP
from conference.models import Event
from schedule.models import Talk
from tests.factories import EventFactory, TalkFactory, UserFactory

PASSWORD = "correct horse battery staple"
UTC = datetime.UTC


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
    # The call for proposals: run in full, its reviews and history only read.
    expected |= {
        ("proposals", f"{action}_{model}")
        for model in [
            "call",
            "sessiontype",
            "question",
            "reviewcategory",
            "decisiontemplate",
            "proposal",
        ]
        for action in ["add", "change", "delete", "view"]
    } | {
        ("proposals", f"view_{model}") for model in ["review", "reviewscore", "proposalstatechange"]
    }
    # Schedule releases: made on the event's page, past ones only read.
    expected |= {("schedule", "add_release"), ("schedule", "view_release")}
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

    content = response.content.decode()
    assert f'<a href="/admin/schedule/talk/board/{event.pk}/">Board</a>' in content
    assert f'<a href="/admin/schedule/talk/add/?event={event.pk}">Add a talk</a>' in content


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


# Changing an event's zone --------------------------------------------------------------------


def zone_event():
    """KVM Forum in Madrid, with the opening at 10:00 CET and a talk at 00:30 on its first day."""
    event = EventFactory(name="KVM Forum", slug="kvm", time_zone="Europe/Madrid")
    for title, hour, minute in (("Opening", 10, 0), ("Keynote", 11, 0), ("Early bird", 0, 30)):
        start = datetime.datetime(2012, 11, 7, hour, minute, tzinfo=MADRID)
        TalkFactory(
            event=event, title=title, start=start, end=start + datetime.timedelta(minutes=45)
        )
    return event


MADRID = zoneinfo.ZoneInfo("Europe/Madrid")
QUESTION = (
    "The zone changes from Europe/Madrid to Europe/Lisbon. Say below whether the event's "
    "3 scheduled talks keep their wall-clock times or their instants, then save again."
)
WALL_CLOCK_CHOICE = (
    "Their wall-clock times: 3 talks: Wed 7 Nov 00:30 CET stays 00:30 WET in Europe/Lisbon "
    "(an hour later in UTC), e.g. “Early bird”."
)
INSTANTS_CHOICE = (
    "Their instants: 3 talks: Wed 7 Nov 00:30 CET in Europe/Madrid becomes Tue 6 Nov 23:30 WET "
    "in Europe/Lisbon (an hour earlier on the venue's clock), e.g. “Early bird”."
)
OUTSIDE = (
    "With their instants, 1 talk falls outside the event's dates, 7 Nov to 9 Nov 2012 in "
    "Europe/Lisbon: “Early bird” (Tue 6 Nov 23:30 WET). Tick “Save even though 1 talk falls "
    "outside the event's dates” to save anyway."
)


def change_event(client, event, **changes):
    return client.post(
        f"/admin/conference/event/{event.pk}/change/", event_form(event, **changes), follow=True
    )


def form_of(response):
    return response.context["adminform"].form


def talk_page_when(slug):
    """The public talk page's "When", as an attendee reads it."""
    page = Client().get(f"/kvm/talks/{slug}/").content.decode()
    when = re.search(r"<dt>When</dt>\s*<dd>(.*?)</dd>", page, re.S).group(1)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", when)).split())


def talk_starts(event):
    return {talk.title: talk.start for talk in Talk.objects.filter(event=event)}


def test_changing_the_zone_of_an_event_with_talks_asks_what_they_keep(organiser_client):
    event = zone_event()
    before = talk_starts(event)

    response = change_event(organiser_client, event, time_zone="Europe/Lisbon")

    form = form_of(response)
    assert form.errors == {"time_zone": [QUESTION]}
    assert [str(label) for _, label in form.fields["talks_keep"].choices] == [
        WALL_CLOCK_CHOICE,
        INSTANTS_CHOICE,
    ]
    content = response.content.decode()
    assert 'value="wall_clock" id="id_talks_keep_0" checked' in content
    assert html.escape("With their instants: 1 talk falls outside the event's dates") in content
    assert '<input type="hidden" name="save_outside_dates"' in content  # asked once it is chosen
    assert talk_starts(event) == before
    assert Event.objects.get(pk=event.pk).time_zone == "Europe/Madrid"


def test_a_german_organiser_reads_the_zone_question_with_german_days_and_months(
    organiser_client,
):
    event = zone_event()
    organiser_client.cookies["django_language"] = "de"

    response = change_event(organiser_client, event, time_zone="Europe/Lisbon")

    choices = [str(label) for _, label in form_of(response).fields["talks_keep"].choices]
    assert "Mi 7 Nov 00:30 CET" in choices[0]
    assert "Di 6 Nov 23:30 WET" in choices[1]
    assert "Wed" not in " ".join(choices)


def test_talks_keeping_their_wall_clock_times_show_the_same_times_in_the_new_zone(
    organiser_client,
):
    event = zone_event()
    shown_before = talk_page_when(Talk.objects.get(title="Opening").slug)
    change_event(organiser_client, event, time_zone="Europe/Lisbon")

    response = change_event(
        organiser_client,
        event,
        time_zone="Europe/Lisbon",
        zone_asked="Europe/Lisbon",
        talks_keep="wall_clock",
    )

    assert response.redirect_chain == [("/admin/conference/event/", 302)]
    messages = [str(message) for message in response.context["messages"]]
    assert messages[0] == (
        f"The talks kept their wall-clock times. {WALL_CLOCK_CHOICE.split(': ', 1)[1]}"
    )
    assert (shown_before, talk_page_when(Talk.objects.get(title="Opening").slug)) == (
        "Wednesday 7 November 2012, 10:00–10:45 CET (Europe/Madrid)",
        "Wednesday 7 November 2012, 10:00–10:45 WET (Europe/Lisbon)",
    )
    assert talk_starts(event)["Opening"] == datetime.datetime(2012, 11, 7, 10, 0, tzinfo=UTC)


def test_talks_keeping_their_instants_stay_at_their_moment_in_utc(organiser_client):
    event = Event.objects.get(pk=zone_event().pk)
    Talk.objects.filter(title="Early bird").delete()
    before = talk_starts(event)

    asked = change_event(organiser_client, event, time_zone="Europe/Lisbon")
    response = change_event(
        organiser_client,
        event,
        time_zone="Europe/Lisbon",
        zone_asked="Europe/Lisbon",
        talks_keep="instants",
    )

    assert form_of(asked).errors["time_zone"] == [QUESTION.replace("3 scheduled", "2 scheduled")]
    assert response.redirect_chain == [("/admin/conference/event/", 302)]
    assert talk_starts(event) == before
    assert talk_page_when(Talk.objects.get(title="Opening").slug) == (
        "Wednesday 7 November 2012, 09:00–09:45 WET (Europe/Lisbon)"
    )


def test_a_change_that_takes_talks_outside_the_dates_needs_a_tick(organiser_client):
    event = zone_event()
    before = talk_starts(event)
    answer = {"time_zone": "Europe/Lisbon", "zone_asked": "Europe/Lisbon", "talks_keep": "instants"}

    refused = change_event(organiser_client, event, **answer)
    ticked_for_another_count = change_event(
        organiser_client, event, **answer, save_outside_dates="on", outside_asked="instants:2"
    )
    saved = change_event(
        organiser_client, event, **answer, save_outside_dates="on", outside_asked="instants:1"
    )

    assert form_of(refused).errors == {"save_outside_dates": [OUTSIDE]}
    assert 'type="checkbox" name="save_outside_dates"' in refused.content.decode()
    assert 'name="outside_asked" value="instants:1"' in refused.content.decode()
    assert form_of(ticked_for_another_count).errors == {"save_outside_dates": [OUTSIDE]}
    assert saved.redirect_chain == [("/admin/conference/event/", 302)]
    assert [str(message) for message in saved.context["messages"]][1] == (
        "1 talk falls outside the event's dates, 7 Nov to 9 Nov 2012 in Europe/Lisbon: "
        "“Early bird” (Tue 6 Nov 23:30 WET)."
    )
    assert talk_starts(event) == before
    assert Event.objects.get(pk=event.pk).time_zone == "Europe/Lisbon"


def test_a_zone_changed_again_after_the_question_is_asked_again(organiser_client):
    event = zone_event()

    response = change_event(
        organiser_client,
        event,
        time_zone="Atlantic/Azores",
        zone_asked="Europe/Lisbon",
        talks_keep="wall_clock",
    )

    assert form_of(response).errors == {
        "time_zone": [QUESTION.replace("Europe/Lisbon", "Atlantic/Azores")]
    }
    assert Event.objects.get(pk=event.pk).time_zone == "Europe/Madrid"


def test_a_wall_clock_time_the_new_zone_skips_is_refused_naming_the_talk(organiser_client):
    london = zoneinfo.ZoneInfo("Europe/London")
    event = EventFactory(
        slug="kvm",
        time_zone="Europe/London",
        start_date=datetime.date(2025, 3, 29),
        end_date=datetime.date(2025, 3, 30),
    )
    start = datetime.datetime(2025, 3, 30, 2, 30, tzinfo=london)
    TalkFactory(
        event=event, title="Night owls", start=start, end=start + datetime.timedelta(hours=1)
    )
    before = talk_starts(event)

    response = change_event(
        organiser_client,
        event,
        time_zone="Europe/Madrid",
        zone_asked="Europe/Madrid",
        talks_keep="wall_clock",
    )

    assert form_of(response).errors == {
        "talks_keep": [
            "“Night owls” starts at 02:30 on Sun 30 Mar 2025, a time the clocks in "
            "Europe/Madrid skip: move the talk first, or keep the talks' instants."
        ]
    }
    assert talk_starts(event) == before
    assert Event.objects.get(pk=event.pk).time_zone == "Europe/London"


def test_a_wall_clock_time_the_new_zone_repeats_keeps_the_first_with_a_warning(organiser_client):
    event = EventFactory(
        slug="kvm",
        time_zone="Europe/London",
        start_date=datetime.date(2025, 10, 25),
        end_date=datetime.date(2025, 10, 26),
    )
    start = datetime.datetime(2025, 10, 26, 2, 30, tzinfo=UTC)  # 02:30 GMT
    TalkFactory(
        event=event, title="Night owls", start=start, end=start + datetime.timedelta(hours=1)
    )

    response = change_event(
        organiser_client,
        event,
        time_zone="Europe/Madrid",
        zone_asked="Europe/Madrid",
        talks_keep="wall_clock",
    )

    messages = [str(message) for message in response.context["messages"]]
    assert response.redirect_chain == [("/admin/conference/event/", 302)]
    assert messages[1] == (
        "“Night owls” starts at 02:30 on Sun 26 Oct 2025, which Europe/Madrid shows twice: "
        "it keeps the first, at UTC+02:00 (CEST)."
    )
    assert talk_starts(event)["Night owls"] == datetime.datetime(2025, 10, 26, 0, 30, tzinfo=UTC)


def test_saving_an_event_without_changing_its_zone_asks_nothing(organiser_client):
    event = zone_event()
    before = talk_starts(event)

    response = change_event(organiser_client, event, location="Prague, Czechia")

    assert response.redirect_chain == [("/admin/conference/event/", 302)]
    assert Event.objects.get(pk=event.pk).location == "Prague, Czechia"
    assert talk_starts(event) == before


@pytest.mark.parametrize(
    ("zone", "talks"),
    [("Europe/Paris", True), ("Europe/Lisbon", False)],
    ids=["a-zone-with-the-same-clocks", "an-event-without-scheduled-talks"],
)
def test_a_zone_change_that_moves_no_talk_asks_nothing(organiser_client, zone, talks):
    event = zone_event()
    if not talks:
        Talk.objects.filter(event=event).update(start=None, end=None)
    before = talk_starts(event)

    response = change_event(organiser_client, event, time_zone=zone)

    assert response.redirect_chain == [("/admin/conference/event/", 302)]
    assert (Event.objects.get(pk=event.pk).time_zone, talk_starts(event)) == (zone, before)


def test_the_zone_question_escapes_talk_titles(organiser_client):
    event = zone_event()
    Talk.objects.filter(title="Early bird").update(title="<script>alert(1)</script>")

    response = change_event(organiser_client, event, time_zone="Europe/Lisbon")

    content = response.content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "e.g. “&lt;script&gt;alert(1)&lt;/script&gt;”." in content
    assert "“&lt;script&gt;alert(1)&lt;/script&gt;” (Tue 6 Nov 23:30 WET)" in content
