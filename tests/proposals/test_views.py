"""The call's page, proposing and the speaker's own proposals, through the test client."""

import datetime
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.utils import timezone

from proposals import views
from proposals.models import Proposal, ProposalStateChange
from proposals.states import State
from speakers.models import Speaker
from tests.proposals.builders import proposal_form_data


def test_call_page_shows_text_deadline_in_venue_zone_types_and_tracks(client, call):
    call.closes = datetime.datetime(2030, 3, 1, 23, 0, tzinfo=datetime.UTC)
    call.save()

    content = client.get("/kvm-forum-2012/cfp/").content.decode()

    assert "Tell us about <strong>virtualisation</strong>." in content
    # 23:00 UTC is midnight in Madrid, the next day there.
    assert (
        "00:00</time> <span data-zone-abbreviation>CET</span> on Saturday 2 March 2030" in content
    )
    assert 'data-zone-label data-event-label="Europe/Madrid"' in content
    assert "data-zone-toggle" in content
    assert "Talk: 40 minutes" in content
    assert "Workshop: 120 minutes" in content
    assert "<li>Kernel</li>" in content
    assert "Storage" not in content
    assert 'href="/kvm-forum-2012/cfp/submit/"' in content


def test_call_page_after_the_deadline_says_it_is_closed(client, call):
    call.opens = timezone.now() - datetime.timedelta(days=5)
    call.closes = timezone.now() - datetime.timedelta(hours=1)
    call.save()

    content = client.get("/kvm-forum-2012/cfp/").content.decode()

    assert "The call for proposals is closed" in content
    assert "/cfp/submit/" not in content


def test_event_without_call_has_no_call_page(client, event):
    assert client.get("/kvm-forum-2012/cfp/").status_code == 404


def test_visitor_gets_a_single_use_link_that_signs_in_and_opens_the_form(client, call):
    response = client.post(
        "/kvm-forum-2012/cfp/submit/", {"name": "Paolo Bonzini", "email": "paolo@example.org"}
    )

    assert "If paolo@example.org can receive a sign-in link" in response.content.decode()
    assert [message.to for message in mail.outbox] == [["paolo@example.org"]]
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    speaker = Speaker.objects.get(email="paolo@example.org")
    assert speaker.name == "Paolo Bonzini"

    client.get(link)  # opening the link (a mail scanner) does not spend it
    signed_in = client.post(link)
    assert signed_in["Location"] == "/kvm-forum-2012/cfp/submit/"
    form = client.get("/kvm-forum-2012/cfp/submit/").content.decode()
    for label in [
        "Title",
        "Abstract",
        "Description",
        "Session type",
        "Track",
        "Notes for the organisers",
    ]:
        assert re.search(rf"<label[^>]*>\s*{label}\b", form), label
    client.logout()
    assert client.post(link).status_code == 400  # used once


def test_sign_in_link_is_not_mailed_for_an_organiser_account(client, call, organiser):
    organiser.email = "boss@example.org"
    organiser.save()

    response = client.post(
        "/kvm-forum-2012/cfp/submit/", {"name": "Boss", "email": "boss@example.org"}
    )

    assert "If boss@example.org can receive a sign-in link" in response.content.decode()
    assert mail.outbox == []


def test_speaker_submits_a_proposal_is_mailed_and_history_recorded(
    client, call, speaker, required_question, send_outbox
):
    client.force_login(speaker.user)

    response = client.post(
        "/kvm-forum-2012/cfp/submit/",
        proposal_form_data(call, **{f"question_{required_question.pk}": "yes"}),
    )

    assert response["Location"] == "/accounts/proposals/"
    proposal = Proposal.objects.get()
    assert (proposal.title, proposal.state, list(proposal.speakers.all())) == (
        "Live migration",
        State.SUBMITTED,
        [speaker],
    )
    assert proposal.answers == {str(required_question.pk): "yes"}
    change = ProposalStateChange.objects.get()
    assert (change.by, change.from_state, change.to_state) == (speaker.user, "draft", "submitted")
    assert mail.outbox == []  # queued in the outbox until send_mail runs
    assert [m.subject for m in send_outbox()] == ["Your proposal “Live migration” is submitted"]
    listing = client.get("/accounts/proposals/").content.decode()
    assert re.search(
        r"<td>KVM Forum 2012</td>\s*<td>Live migration</td>\s*<td>Talk</td>\s*<td>Submitted</td>",
        listing,
    )


def test_draft_needs_only_a_title_and_is_kept(client, call, speaker, required_question):
    client.force_login(speaker.user)

    client.post(
        "/kvm-forum-2012/cfp/submit/",
        {
            "title": "Half an idea",
            "save_draft": "1",
            "submission_key": "6a0d3b8e-7b2b-4c5c-9a55-0d7c2c0e4d12",
        },
    )

    proposal = Proposal.objects.get()
    assert (proposal.title, proposal.state, proposal.abstract) == ("Half an idea", "draft", "")
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"question": ""}, "This field is required."),
        ({"title": "x" * 301}, "Ensure this value has at most 300 characters (it has 301)."),
        ({"abstract": "x" * 2001}, "Ensure this value has at most 2000 characters (it has 2001)."),
        ({"abstract": ""}, "This field is required."),
    ],
)
def test_bad_submission_says_what_is_wrong_and_writes_nothing(
    client, call, speaker, required_question, change, message
):
    client.force_login(speaker.user)
    data = proposal_form_data(call, **{f"question_{required_question.pk}": "yes"})
    if "question" in change:
        data[f"question_{required_question.pk}"] = change.pop("question")
    data |= change

    response = client.post("/kvm-forum-2012/cfp/submit/", data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Proposal.objects.count() == 0
    assert mail.outbox == []


def test_same_form_posted_twice_makes_one_proposal(client, call, speaker):
    client.force_login(speaker.user)

    client.post("/kvm-forum-2012/cfp/submit/", proposal_form_data(call))
    second = client.post("/kvm-forum-2012/cfp/submit/", proposal_form_data(call), follow=True)

    assert Proposal.objects.count() == 1
    assert "This proposal was already sent" in second.content.decode()


def test_submission_after_the_deadline_is_refused_and_writes_nothing(client, call, speaker):
    client.force_login(speaker.user)
    call.opens = timezone.now() - datetime.timedelta(days=5)
    call.closes = timezone.now() - datetime.timedelta(seconds=1)
    call.save()

    response = client.post("/kvm-forum-2012/cfp/submit/", proposal_form_data(call), follow=True)

    assert "The call for proposals is closed" in response.content.decode()
    assert Proposal.objects.count() == 0


def test_speaker_edits_and_withdraws_own_proposal_until_the_deadline(
    client, call, speaker, make_proposal, send_outbox
):
    proposal = make_proposal(speaker)
    client.force_login(speaker.user)

    edit = proposal_form_data(call, title="Faster migration", save="1")
    client.post(f"/accounts/proposals/{proposal.uuid}/", edit)
    client.post(f"/accounts/proposals/{proposal.uuid}/withdraw/")

    proposal.refresh_from_db()
    assert (proposal.title, proposal.state) == ("Faster migration", "withdrawn")
    assert [m.subject for m in send_outbox()] == ["Your proposal “Faster migration” is withdrawn"]


def test_speaker_reaches_only_their_own_proposals(
    client, call, speaker, other_speaker, make_proposal
):
    theirs = make_proposal(other_speaker, title="Kevin's secret")
    client.force_login(speaker.user)

    assert client.get(f"/accounts/proposals/{theirs.uuid}/").status_code == 404
    assert (
        client.post(
            f"/accounts/proposals/{theirs.uuid}/", proposal_form_data(call, save="1")
        ).status_code
        == 404
    )
    assert client.post(f"/accounts/proposals/{theirs.uuid}/withdraw/").status_code == 404
    assert "Kevin's secret" not in client.get("/accounts/proposals/").content.decode()
    theirs.refresh_from_db()
    assert (theirs.title, theirs.state) == ("Kevin's secret", "submitted")


def test_hostile_title_is_inert_on_the_speakers_list(client, call, speaker, make_proposal):
    make_proposal(speaker, title="<script>alert(1)</script>")
    client.force_login(speaker.user)

    content = client.get("/accounts/proposals/").content.decode()

    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_cached_call_page_lives_no_longer_than_until_the_deadline(rf, call):
    call.closes = timezone.now() + datetime.timedelta(seconds=30)
    call.save()
    request = rf.get("/kvm-forum-2012/cfp/")
    request.user = AnonymousUser()

    response = views.call_page(request, event_slug="kvm-forum-2012")

    assert 1 <= response.page_cache_seconds <= 30
