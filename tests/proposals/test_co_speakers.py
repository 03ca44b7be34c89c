"""Co-speakers: invited by email from the proposal, on it only once they accept, links used once."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from proposals.co_speakers import co_speaker_invitation_accept, co_speaker_invite
from proposals.models import CoSpeakerInvitation
from proposals.services import ProposalRefused
from proposals.states import State
from speakers.models import Speaker


def _invite(client, proposal, email="paolo@example.org", name="Paolo Bonzini"):
    return client.post(
        f"/accounts/proposals/{proposal.uuid}/co-speakers/",
        {"name": name, "email": email},
        follow=True,
    )


def _link_of(message):
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def _speaker_names(proposal):
    return sorted(speaker.name for speaker in proposal.speakers.all())


def test_speaker_invites_a_co_speaker_who_is_pending_until_they_accept(
    client, call, speaker, make_proposal
):
    proposal = make_proposal(speaker)
    client.force_login(speaker.user)

    page = _invite(client, proposal).content.decode()

    assert "paolo@example.org is invited; they join the proposal once they accept." in page
    assert re.search(r'<ul class="pending-invitations"><li>paolo@example.org \(invited ', page)
    assert _speaker_names(proposal) == ["Avi Kivity"]
    [invitation_mail] = mail.outbox  # at once, not through the outbox
    assert invitation_mail.to == ["paolo@example.org"]
    assert invitation_mail.subject == "Avi Kivity invites you to speak at KVM Forum 2012"
    assert "give “Live migration” with them at KVM Forum 2012" in invitation_mail.body
    assert "/kvm-forum-2012/cfp/invitation/" in invitation_mail.body
    assert "?token=" in invitation_mail.body


def test_invitee_accepts_from_the_link_joins_the_proposal_and_is_signed_in(
    client, call, speaker, make_proposal
):
    proposal = make_proposal(speaker)
    client.force_login(speaker.user)
    _invite(client, proposal)
    link = _link_of(mail.outbox[0])
    client.logout()

    page = client.get(link).content.decode()
    accepted = client.post(link, follow=True).content.decode()

    assert "Avi Kivity invites you to give “Live migration” with them." in page
    assert "You are a speaker of “Live migration” now." in accepted
    assert "<td>Live migration</td>" in accepted  # their own list of proposals
    assert _speaker_names(proposal) == ["Avi Kivity", "Paolo Bonzini"]
    invitation = CoSpeakerInvitation.objects.get()
    assert invitation.accepted is not None
    assert invitation.invitee == Speaker.objects.get(email="paolo@example.org")
    client.force_login(speaker.user)
    edit = client.get(f"/accounts/proposals/{proposal.uuid}/").content.decode()
    assert "pending-invitations" not in edit
    assert "<li>Paolo Bonzini</li>" in edit


def test_second_use_of_the_invitation_link_is_refused(client, call, speaker, make_proposal):
    proposal = make_proposal(speaker)
    client.force_login(speaker.user)
    _invite(client, proposal)
    link = _link_of(mail.outbox[0])
    client.logout()
    client.post(link)
    client.logout()

    again = client.get(link)
    posted_again = client.post(link)

    assert again.status_code == posted_again.status_code == 400
    assert "This invitation link has expired or was already used." in again.content.decode()
    assert CoSpeakerInvitation.objects.get().accepted is not None
    assert _speaker_names(proposal) == ["Avi Kivity", "Paolo Bonzini"]


def test_invitation_link_of_someone_else_is_refused(
    client, call, speaker, other_speaker, make_proposal
):
    proposal = make_proposal(speaker)
    client.force_login(speaker.user)
    _invite(client, proposal)
    path = _link_of(mail.outbox[0]).split("?")[0]
    client.force_login(other_speaker.user)

    response = client.post(path)

    assert response.status_code == 400
    assert _speaker_names(proposal) == ["Avi Kivity"]


def test_existing_account_is_invited_as_itself(client, call, speaker, other_speaker, make_proposal):
    proposal = make_proposal(speaker)
    client.force_login(speaker.user)

    _invite(client, proposal, email="KEVIN@example.org", name="Someone else")
    link = _link_of(mail.outbox[0])
    client.logout()
    client.post(link)

    assert _speaker_names(proposal) == ["Avi Kivity", "Kevin Wolf"]
    assert Speaker.objects.count() == 2


def test_invite_is_refused_when_the_call_takes_no_co_speakers(client, call, speaker, make_proposal):
    call.co_speakers_allowed = False
    call.save()
    proposal = make_proposal(speaker)
    client.force_login(speaker.user)

    edit = client.get(f"/accounts/proposals/{proposal.uuid}/").content.decode()
    page = _invite(client, proposal).content.decode()

    assert "Invite a co-speaker" not in edit
    assert "This call takes one speaker per proposal." in edit
    assert "This call takes no co-speakers: one speaker per proposal." in page
    assert (mail.outbox, CoSpeakerInvitation.objects.count()) == ([], 0)


def test_invite_is_refused_after_the_deadline(client, call, speaker, make_proposal):
    proposal = make_proposal(speaker)
    call.opens = timezone.now() - datetime.timedelta(days=5)
    call.closes = timezone.now() - datetime.timedelta(minutes=1)
    call.save()
    client.force_login(speaker.user)

    page = _invite(client, proposal).content.decode()

    assert "The call has closed: no co-speaker can be invited now." in page
    assert (mail.outbox, CoSpeakerInvitation.objects.count()) == ([], 0)


@pytest.mark.parametrize(
    ("state", "email", "refusal"),
    [
        (State.WITHDRAWN, "paolo@example.org", "The proposal is withdrawn: it takes no new"),
        (State.ACCEPTED, "paolo@example.org", "The proposal is accepted: it takes no new"),
        (State.SUBMITTED, "avi@example.org", "avi@example.org is already a speaker of this"),
    ],
)
def test_invite_refusals(call, speaker, make_proposal, state, email, refusal):
    proposal = make_proposal(speaker, state=state)

    with pytest.raises(ProposalRefused, match=refusal):
        co_speaker_invite(
            proposal=proposal, email=email, name="Paolo", by=speaker, base_url="http://t"
        )

    assert mail.outbox == []


def test_the_same_person_is_invited_once(call, speaker, make_proposal):
    proposal = make_proposal(speaker)
    invite = {"proposal": proposal, "email": "paolo@example.org", "name": "Paolo"}
    co_speaker_invite(**invite, by=speaker, base_url="http://t")

    with pytest.raises(ProposalRefused, match="already invited"):
        co_speaker_invite(**invite, by=speaker, base_url="http://t")

    assert len(mail.outbox) == 1


def test_invitation_to_a_withdrawn_proposal_cannot_be_accepted(call, speaker, make_proposal):
    proposal = make_proposal(speaker)
    invitation = co_speaker_invite(
        proposal=proposal, email="paolo@example.org", name="Paolo", by=speaker, base_url="http://t"
    )
    proposal.state = State.WITHDRAWN
    proposal.save()

    with pytest.raises(ProposalRefused, match="The proposal is withdrawn"):
        co_speaker_invitation_accept(invitation=invitation, speaker=invitation.invitee)

    assert CoSpeakerInvitation.objects.get().accepted is None
    assert _speaker_names(proposal) == ["Avi Kivity"]


def test_a_co_speaker_who_accepts_after_confirmation_also_speaks_in_the_talk(
    call, speaker, make_proposal
):
    from proposals.decisions import proposal_answer

    proposal = make_proposal(speaker)
    invitation = co_speaker_invite(
        proposal=proposal, email="paolo@example.org", name="Paolo", by=speaker, base_url="http://t"
    )
    # Accepted by the organisers, then confirmed, before Paolo answers.
    proposal.state = State.ACCEPTED
    proposal.save()
    proposal_answer(proposal=proposal, confirm=True, by=speaker.user)
    proposal.refresh_from_db()

    co_speaker_invitation_accept(invitation=invitation, speaker=invitation.invitee)

    talk = proposal.talk
    assert [ts.speaker.name for ts in talk.talk_speakers.order_by("position")] == [
        "Avi Kivity",
        "Paolo",
    ]
    assert _speaker_names(proposal) == ["Avi Kivity", "Paolo"]
