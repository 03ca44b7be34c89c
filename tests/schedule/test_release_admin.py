"""The admin's "Release schedule" page of an event, and the read-only list of releases."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from schedule.models import Release, Talk
from tests.factories import (
    EventFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    UserFactory,
    venue_time,
)

# About releasing itself: requests release nothing by themselves (tests/auto_release.py).
pytestmark = pytest.mark.manual_releases


def page_url(event):
    return reverse("admin:schedule_release_schedule", args=[event.pk])


def seen(response):
    """The stamp of the changes the page showed, as its form posts it."""
    return re.search(r'name="seen" value="([0-9a-f]+)"', response.content.decode())[1]


def post(client, event, **fields):
    shown = client.get(page_url(event))
    data = {"name": "", "comment": "", "notify": "on", "seen": seen(shown)} | fields
    return client.post(page_url(event), data, follow=True)


def texts(response, selector_id):
    """The text of the rows of the table ``release-<kind>`` on the page."""
    html = response.content.decode()
    table = re.search(rf'<table class="release-group" id="{selector_id}">(.*?)</table>', html, re.S)
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", table[1])
    return [(title, text.replace("&gt;", ">")) for title, text in rows]


def flash(response):
    return [str(message) for message in response.context["messages"]]


def test_the_page_shows_the_changes_before_anything_is_written(
    organiser_client, released_event, edit_working_schedule
):
    edit_working_schedule(released_event)
    public_before = list(Talk.released.values_list("pk", "title", "start", "room", "is_cancelled"))

    response = organiser_client.get(page_url(released_event))

    assert response.status_code == 200
    assert texts(response, "release-new") == [
        ("Lightning", "Wed 7 Nov 12:00–12:15 CET, Annex; by no speakers")
    ]
    assert texts(response, "release-cancelled") == [
        ("Network", "Wed 7 Nov 11:00–11:30 CET, Hall; by Bob")
    ]
    assert texts(response, "release-moved") == [
        ("Keynote", "Wed 7 Nov 09:00–09:30 CET, Hall → Wed 7 Nov 10:00–10:30 CET, Annex"),
        ("Storage", "Wed 7 Nov 10:00–10:30 CET, Hall → Wed 7 Nov 11:30–12:00 CET, Hall"),
    ]
    content = response.content.decode()
    assert "4 changes. Times are in Europe/Madrid (CET, UTC+01:00)." in content
    assert "“Lightning” is published without a speaker." in content  # the warning
    # Ada's talk moved; Bob's was cancelled, but he has no email.
    assert "1 speaker will be told of their changed talks" in content
    assert 'name="name" value="2"' in content
    assert re.search(r'<input type="checkbox" name="notify"[^>]* checked>', content)
    assert 'name="release_anyway"' not in content  # no error, nothing to override
    preview = f'href="/{released_event.slug}/schedule/working/">Preview the working schedule</a>'
    assert preview in content
    assert list(Release.objects.values_list("name", flat=True)) == ["1"]
    assert (
        list(Talk.released.values_list("pk", "title", "start", "room", "is_cancelled"))
        == public_before
    )


def test_posting_releases_makes_it_current_and_names_it_in_the_message(
    organiser_client, organiser, released_event, edit_working_schedule
):
    edit_working_schedule(released_event)

    response = post(organiser_client, released_event, name="1.1", comment="Rooms settled.")

    assert response.redirect_chain == [
        (
            reverse("admin:schedule_release_changelist") + f"?event__id__exact={released_event.pk}",
            302,
        )
    ]
    assert flash(response) == [
        "Released “1.1” of KVM Forum with 4 changes; 1 speaker will be told."
    ]
    release = Release.objects.get(is_current=True)
    assert (release.name, release.comment, release.released_by) == (
        "1.1",
        "Rooms settled.",
        organiser,
    )
    assert sorted(Talk.released.current().values_list("title", flat=True)) == [
        "Keynote",
        "Lightning",
        "Network",
        "Storage",
    ]
    assert Talk.released.current().get(title="Keynote").room.name == "Annex"


def test_a_release_without_telling_the_speakers_says_so(
    organiser_client, released_event, edit_working_schedule
):
    edit_working_schedule(released_event)

    response = post(organiser_client, released_event, notify="")

    assert flash(response) == ["Released “2” of KVM Forum with 4 changes; 0 speakers will be told."]


def test_errors_block_the_release_until_release_anyway_is_ticked(organiser_client, released_event):
    Talk.objects.filter(title="Storage").update(
        start=venue_time(released_event, 2012, 11, 7, 9, 15),
        end=venue_time(released_event, 2012, 11, 7, 9, 45),
    )

    shown = organiser_client.get(page_url(released_event))
    refused = post(organiser_client, released_event)

    content = shown.content.decode()
    assert "1 error that block the release" in content
    assert 'name="release_anyway"' in content
    assert refused.redirect_chain == []
    assert "The schedule has 1 clash-rule error(s), the first: " in refused.content.decode()
    assert "Fix them, or release anyway." in refused.content.decode()
    assert list(Release.objects.values_list("name", flat=True)) == ["1"]

    released = post(organiser_client, released_event, release_anyway="on")

    assert flash(released) == ["Released “2” of KVM Forum with 1 change; 0 speakers will be told."]
    assert Release.objects.get(is_current=True).name == "2"


def test_zero_changes_show_the_services_message_and_release_nothing(
    organiser_client, released_event
):
    shown = organiser_client.get(page_url(released_event))
    refused = post(organiser_client, released_event, name="again")

    message = "Nothing changed since release “1”: attendees already see this schedule."
    assert message in shown.content.decode()
    assert refused.redirect_chain == []
    assert f'<p class="errornote">{message} </p>' in refused.content.decode().replace("&quot;", '"')
    assert Release.objects.count() == 1


def test_a_taken_name_is_refused_on_the_form(
    organiser_client, released_event, edit_working_schedule
):
    edit_working_schedule(released_event)

    refused = post(organiser_client, released_event, name="1")

    assert "KVM Forum already has a release named “1”." in refused.content.decode()
    assert Release.objects.count() == 1


def test_a_schedule_changed_since_the_page_was_shown_is_not_released(
    organiser_client, released_event, edit_working_schedule
):
    edit_working_schedule(released_event)
    shown = organiser_client.get(page_url(released_event))
    Talk.objects.filter(title="Keynote").update(
        start=venue_time(released_event, 2012, 11, 8, 10, 0),
        end=venue_time(released_event, 2012, 11, 8, 10, 30),
    )

    response = organiser_client.post(
        page_url(released_event), {"name": "2", "notify": "on", "seen": seen(shown)}
    )

    assert response.status_code == 200
    assert "The schedule changed since the page was shown" in response.content.decode()
    assert "Thu 8 Nov 10:00–10:30 CET, Annex" in response.content.decode()
    assert seen(response) != seen(shown)
    assert Release.objects.count() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, released_event):
    response = client.get(page_url(released_event))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=")


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_who_may_not_add_a_release_are_forbidden(
    client, released_event, edit_working_schedule, method
):
    edit_working_schedule(released_event)
    editor = UserFactory(username="editor", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_talk", "view_release"])
    )
    client.force_login(editor)

    if method == "get":
        response = client.get(page_url(released_event))
    else:
        response = client.post(page_url(released_event), {"name": "2", "notify": "on"})

    assert response.status_code == 403
    assert Release.objects.count() == 1


def test_the_event_page_links_to_the_release_page_for_organisers_only(
    organiser_client, client, released_event
):
    change_url = reverse("admin:conference_event_change", args=[released_event.pk])
    editor = UserFactory(username="editor", is_staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_event", "view_event"])
    )

    organisers_page = organiser_client.get(change_url).content.decode()
    client.force_login(editor)
    editors_page = client.get(change_url).content.decode()

    link = f'<a href="{page_url(released_event)}">Release schedule</a>'
    assert link in organisers_page
    assert link not in editors_page


def test_the_release_list_is_read_only_with_its_talk_count(
    organiser_client, released_event, edit_working_schedule
):
    edit_working_schedule(released_event)
    post(organiser_client, released_event, comment="Rooms settled.")
    release = Release.objects.get(name="2")

    listing = organiser_client.get(reverse("admin:schedule_release_changelist"))
    detail = organiser_client.get(reverse("admin:schedule_release_change", args=[release.pk]))
    delete = organiser_client.post(reverse("admin:schedule_release_delete", args=[release.pk]))

    rows = [(row.name, row.event.name, row.talk_count) for row in listing.context["cl"].result_list]
    assert rows == [("2", "KVM Forum", 4), ("1", "KVM Forum", 3)]
    assert f'<a href="{page_url(released_event)}">Release schedule: KVM Forum</a>' in (
        listing.content.decode()
    )
    EventFactory(name="Other Conf")
    filtered = organiser_client.get(
        reverse("admin:schedule_release_changelist") + f"?event__id__exact={released_event.pk}"
    ).content.decode()
    unfiltered = organiser_client.get(reverse("admin:schedule_release_changelist")).content.decode()
    assert "Release schedule: Other Conf" in unfiltered
    assert "Release schedule: Other Conf" not in filtered
    assert "Release schedule: KVM Forum" in filtered
    content = detail.content.decode()
    assert "Rooms settled." in content
    assert 'name="_save"' not in content
    assert delete.status_code == 403
    assert Release.objects.count() == 2


@pytest.mark.parametrize("talk_count", [5, 50])
def test_the_page_makes_the_same_queries_whatever_the_number_of_changes(
    organiser_client, released_event, talk_count, django_assert_max_num_queries
):
    hall = released_event.rooms.get(name="Hall")
    speaker = SpeakerFactory(bio="A bio.", email="someone@example.org")
    for number in range(talk_count):
        start = venue_time(released_event, 2012, 11, 8, 9, 0) + datetime.timedelta(minutes=number)
        TalkFactory(
            event=released_event,
            room=hall,
            start=start,
            end=start + datetime.timedelta(minutes=1),
            speakers=[speaker],
            track=TrackFactory(event=released_event),
        )

    with django_assert_max_num_queries(13):
        response = organiser_client.get(page_url(released_event))

    assert len(texts(response, "release-new")) == talk_count
