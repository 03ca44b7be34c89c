"""A speaker whose profile lacks a bio or photo adds them beside their proposal."""

import datetime
import io

import pytest
from django.utils import timezone
from PIL import Image

from proposals.models import Proposal
from proposals.states import State
from speakers.models import Speaker
from tests.factories import UserFactory
from tests.proposals.builders import proposal_form_data

SUBMIT_URL = "/kvm-forum-2012/cfp/submit/"


def _jpeg(name="me.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), (200, 30, 30)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer


@pytest.fixture
def newcomer(db):
    """Signed in from the call's mail link: an account, no speaker profile yet."""
    return UserFactory(username="nadia", first_name="Nadia", last_name="Ngata")


def test_a_newcomer_is_asked_for_a_bio_and_photo_with_their_first_proposal(client, call, newcomer):
    client.force_login(newcomer)

    page = client.get(SUBMIT_URL).content.decode()

    assert "Your speaker profile" in page
    assert 'name="profile-bio"' in page
    assert 'name="profile-photo_upload"' in page
    assert 'enctype="multipart/form-data"' in page


def test_handing_in_without_a_bio_is_refused_and_writes_nothing(client, call, newcomer):
    client.force_login(newcomer)

    response = client.post(SUBMIT_URL, proposal_form_data(call, **{"profile-bio": "  "}))

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert (Proposal.objects.count(), Speaker.objects.count()) == (0, 0)


def test_a_draft_needs_no_bio(client, call, newcomer):
    client.force_login(newcomer)
    data = proposal_form_data(call, **{"profile-bio": ""})
    del data["submit"]
    data["save_draft"] = "1"

    client.post(SUBMIT_URL, data)

    assert Proposal.objects.get().state == State.DRAFT
    assert Speaker.objects.get(user=newcomer).bio == ""


def test_the_bio_and_photo_given_with_the_proposal_are_on_the_new_profile(client, call, newcomer):
    client.force_login(newcomer)

    client.post(
        SUBMIT_URL,
        proposal_form_data(
            call, **{"profile-bio": "I *maintain* QEMU.", "profile-photo_upload": _jpeg()}
        ),
    )

    speaker = Speaker.objects.get(user=newcomer)
    assert (speaker.name, speaker.bio) == ("Nadia Ngata", "I *maintain* QEMU.")
    assert speaker.photo
    assert speaker.photo_thumbnail
    assert list(Proposal.objects.get().speakers.all()) == [speaker]
    # Complete now: the next proposal asks for nothing more.
    assert "Your speaker profile" not in client.get(SUBMIT_URL).content.decode()


def test_a_photo_sent_with_a_refused_form_waits_and_is_saved_by_the_next_post(
    client, call, speaker
):
    client.force_login(speaker.user)

    first = client.post(
        SUBMIT_URL, proposal_form_data(call, title="", **{"profile-photo_upload": _jpeg()})
    ).content.decode()
    token = first.split('name="profile-held_photo" value="', 1)[1].split('"', 1)[0]
    speaker.refresh_from_db()
    assert not speaker.photo
    assert "Your new photo, not saved yet" in first

    client.post(SUBMIT_URL, proposal_form_data(call, **{"profile-held_photo": token}))

    speaker.refresh_from_db()
    assert speaker.photo
    assert Proposal.objects.get().title == "Live migration"


def test_a_file_that_is_no_photo_is_refused_by_name_and_nothing_is_saved(client, call, speaker):
    client.force_login(speaker.user)
    fake = io.BytesIO(b"not an image at all")
    fake.name = "me.jpg"

    response = client.post(SUBMIT_URL, proposal_form_data(call, **{"profile-photo_upload": fake}))

    assert response.status_code == 400
    assert "This file is not an image we can read (JPEG, PNG, WebP or GIF)." in (
        response.content.decode()
    )
    assert Proposal.objects.count() == 0
    speaker.refresh_from_db()
    assert not speaker.photo


def test_a_proposal_refused_at_the_deadline_saves_no_bio_either(client, call, newcomer):
    Speaker.objects.create(name="Nadia", slug="nadia", user=newcomer)
    client.force_login(newcomer)
    page = client.get(SUBMIT_URL)
    call.closes = timezone.now() - datetime.timedelta(seconds=1)
    call.opens = call.closes - datetime.timedelta(days=1)
    call.save()

    client.post(SUBMIT_URL, proposal_form_data(call, **{"profile-bio": "Too late."}))

    assert "profile-bio" in page.content.decode()
    assert Speaker.objects.get(user=newcomer).bio == ""
    assert Proposal.objects.count() == 0


def test_editing_as_a_co_speaker_completes_the_co_speakers_profile_not_the_submitters(
    client, call, speaker, other_speaker, make_proposal
):
    proposal = make_proposal(speaker, state=State.DRAFT)
    proposal.speakers.add(other_speaker)
    client.force_login(other_speaker.user)
    data = proposal_form_data(call, **{"profile-bio": "Block layer."})
    del data["submit"]
    data["save_draft"] = "1"

    client.post(f"/accounts/proposals/{proposal.uuid}/", data)

    other_speaker.refresh_from_db()
    speaker.refresh_from_db()
    assert (other_speaker.bio, speaker.bio) == ("Block layer.", "KVM.")
