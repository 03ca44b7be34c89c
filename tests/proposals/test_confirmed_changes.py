"""A confirmed proposal and its talk: the talk follows its words, or the call locks them."""

import datetime

import pytest
from django.utils import timezone

from proposals.decisions import proposal_talk_create
from proposals.models import Call
from proposals.states import State


@pytest.fixture
def confirmed(call, speaker, make_proposal):
    """A confirmed workshop whose call closed yesterday, and the talk it became."""
    call.opens = timezone.now() - datetime.timedelta(days=30)
    call.closes = timezone.now() - datetime.timedelta(days=1)
    call.save()
    proposal = make_proposal(
        speaker,
        title="Live migration",
        state=State.CONFIRMED,
        session_type=call.session_types.get(name="Workshop"),
        description="For reviewers.",
    )
    proposal_talk_create(proposal=proposal)
    return proposal


def shown_messages(response):
    return [str(message) for message in response.context["messages"]]


def _lock(call):
    call.confirmed_changes = Call.ConfirmedChanges.LOCKED
    call.save()


def test_a_confirmed_workshop_becomes_a_talk_of_its_session_types_length(confirmed):
    assert (confirmed.talk.planned_minutes, confirmed.talk.start) == (120, None)


def test_speaker_edits_a_confirmed_proposal_after_the_deadline_and_the_talk_follows(
    client, confirmed, speaker
):
    client.force_login(speaker.user)
    listing = client.get("/accounts/proposals/").content.decode()
    page = client.get(f"/accounts/proposals/{confirmed.uuid}/").content.decode()

    response = client.post(
        f"/accounts/proposals/{confirmed.uuid}/",
        {"title": "Live migration, revisited", "abstract": "Moving VMs faster.", "description": ""},
        follow=True,
    )

    assert f'href="/accounts/proposals/{confirmed.uuid}/"' in listing
    assert "shows in the programme too" in page
    assert 'name="session_type"' not in page
    talk = confirmed.talk
    talk.refresh_from_db()
    assert (talk.title, talk.abstract, talk.slug) == (
        "Live migration, revisited",
        "Moving VMs faster.",
        "live-migration",
    )
    assert shown_messages(response) == [
        "“Live migration, revisited” is saved; its talk in the programme says the same."
    ]


def test_a_confirmed_proposal_without_a_title_is_refused_and_the_talk_keeps_its_own(
    client, confirmed, speaker
):
    client.force_login(speaker.user)

    response = client.post(
        f"/accounts/proposals/{confirmed.uuid}/",
        {"title": "", "abstract": "Moving VMs faster.", "description": ""},
    )

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    confirmed.talk.refresh_from_db()
    assert (confirmed.talk.title, confirmed.talk.abstract) == ("Live migration", "Moving VMs.")


def test_a_locked_call_refuses_the_speakers_edit_of_a_confirmed_proposal(
    client, call, confirmed, speaker
):
    _lock(call)
    client.force_login(speaker.user)

    listing = client.get("/accounts/proposals/").content.decode()
    response = client.post(
        f"/accounts/proposals/{confirmed.uuid}/",
        {"title": "Something else", "abstract": "Other.", "description": ""},
        follow=True,
    )

    assert f'href="/accounts/proposals/{confirmed.uuid}/"' not in listing
    assert shown_messages(response) == [
        "The organisers locked confirmed proposals: write to them to change “Live migration”."
    ]
    confirmed.refresh_from_db()
    confirmed.talk.refresh_from_db()
    assert (confirmed.title, confirmed.talk.title) == ("Live migration", "Live migration")


def test_another_speaker_cannot_edit_a_confirmed_proposal(client, confirmed, other_speaker):
    client.force_login(other_speaker.user)

    response = client.post(
        f"/accounts/proposals/{confirmed.uuid}/",
        {"title": "Taken over", "abstract": "Mine.", "description": ""},
    )

    assert response.status_code == 404
    confirmed.talk.refresh_from_db()
    assert confirmed.talk.title == "Live migration"


def _admin_change_data(proposal, **overrides):
    data = {
        "call": proposal.call_id,
        "submitter": proposal.submitter_id,
        "speakers": [speaker.pk for speaker in proposal.speakers.all()],
        "title": proposal.title,
        "abstract": proposal.abstract,
        "description": proposal.description,
        "session_type": proposal.session_type_id,
        "track": "",
        "notes": "",
    }
    for prefix in ("state_changes", "invitations", "reviews"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    data.update(overrides)
    return data


def test_an_organisers_change_to_a_confirmed_proposal_reaches_its_talk(organiser_client, confirmed):
    url = f"/admin/proposals/proposal/{confirmed.pk}/change/"

    response = organiser_client.post(
        url, _admin_change_data(confirmed, title="Live migration at scale"), follow=True
    )

    confirmed.talk.refresh_from_db()
    assert confirmed.talk.title == "Live migration at scale"
    assert "Its talk “Live migration at scale” took the new title and abstract." in (
        shown_messages(response)
    )


def test_a_locked_call_shows_a_confirmed_proposals_title_read_only_in_the_admin(
    organiser_client, call, confirmed
):
    _lock(call)
    url = f"/admin/proposals/proposal/{confirmed.pk}/change/"

    page = organiser_client.get(url).content.decode()
    organiser_client.post(url, _admin_change_data(confirmed, title="Changed anyway"))

    assert 'name="title"' not in page
    confirmed.refresh_from_db()
    confirmed.talk.refresh_from_db()
    assert (confirmed.title, confirmed.talk.title) == ("Live migration", "Live migration")
