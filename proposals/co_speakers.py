"""Co-speakers: a speaker invites someone by email to give a proposal with them.

The invitation mail carries a single-use link (django-sesame, as the call's
sign-in links; scoped to the one invitation). The invitee is named on the
proposal only once they accept from it; until then the proposer sees the
invitation as pending. The mail goes out at once, like a sign-in link: the
person is waiting for it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from sesame.utils import get_query_string

from proposals.models import CoSpeakerInvitation
from proposals.services import ProposalRefused, limit_reached
from proposals.states import EDITABLE, State
from schedule.models import TalkSpeaker
from speakers.models import Speaker
from speakers.services import account_has_privileges, speaker_account_ensure

INVITATIONS_PER_HOUR = getattr(settings, "PROPOSAL_INVITATIONS_PER_HOUR", 10)
# A proposal in one of these states takes no new speaker, not even an invited one.
CLOSED_TO_SPEAKERS = {State.WITHDRAWN, State.REJECTED, State.DECLINED}


def invitation_scope(invitation):
    """The sesame scope of one invitation's link: it signs in for that invitation only."""
    return f"proposal-invitation:{invitation.uuid}"


def _invitee_for(*, email, name):
    """The speaker profile of ``email``, made with an account for someone new.

    The link goes to the address itself, so only its owner can use it: an
    existing account of that address is the one invited.
    """
    User = get_user_model()
    accounts = list(User.objects.filter(email__iexact=email)[:2])
    if len(accounts) > 1:
        raise ProposalRefused(
            gettext(
                "Several accounts share this address; ask the organisers to add this co-speaker."
            )
        )
    if accounts:
        user = accounts[0]
        speaker = Speaker.objects.filter(user=user).first()
        if speaker is None:
            speaker = Speaker.objects.create(
                name=name, slug=Speaker.unique_slug_for(name), email=user.email, user=user
            )
        return speaker
    speaker = Speaker.objects.create(name=name, slug=Speaker.unique_slug_for(name), email=email)
    speaker_account_ensure(speaker=speaker)
    return speaker


def co_speaker_invite(*, proposal, email, name, by, base_url, now=None):
    """Invite ``email`` to give ``proposal`` with its speakers; mail them the link."""
    now = now or timezone.now()
    call = proposal.call
    if not call.co_speakers_allowed:
        raise ProposalRefused(gettext("This call takes no co-speakers: one speaker per proposal."))
    if call.has_closed(now):
        raise ProposalRefused(gettext("The call has closed: no co-speaker can be invited now."))
    if proposal.state not in EDITABLE:
        raise ProposalRefused(
            gettext("The proposal is %(state)s: it takes no new co-speaker now.")
            % {"state": proposal.get_state_display().lower()}
        )
    if limit_reached(f"proposals:invite:{proposal.pk}", INVITATIONS_PER_HOUR):
        raise ProposalRefused(
            ngettext(
                "This proposal sent %(count)d invitation in the last hour, "
                "the most we send; try again later.",
                "This proposal sent %(count)d invitations in the last hour, "
                "the most we send; try again later.",
                INVITATIONS_PER_HOUR,
            )
            % {"count": INVITATIONS_PER_HOUR}
        )
    with transaction.atomic():
        invitee = _invitee_for(email=email, name=name)
        if proposal.speakers.filter(pk=invitee.pk).exists():
            raise ProposalRefused(
                gettext("%(email)s is already a speaker of this proposal.") % {"email": email}
            )
        if proposal.invitations.filter(invitee=invitee).exists():
            raise ProposalRefused(
                gettext("%(email)s is already invited; the invitation waits for them.")
                % {"email": email}
            )
        invitation = CoSpeakerInvitation.objects.create(
            proposal=proposal, email=email, invitee=invitee, invited_by=by
        )
    user = invitee.user
    event = call.event
    link = base_url.rstrip("/") + reverse(
        "proposals:invitation",
        kwargs={"event_slug": event.slug, "invitation_uuid": invitation.uuid},
    )
    # An account with rights signs in with its password, never from a mailed link.
    signs_in = user.is_active and not account_has_privileges(user)
    if signs_in:
        link += get_query_string(user, scope=invitation_scope(invitation))
    send_mail(
        subject=" ".join(
            (
                gettext("%(name)s invites you to speak at %(event)s")
                % {"name": by.name, "event": event.name}
            ).split()
        ),
        message=render_to_string(
            "proposals/mail/co_speaker_invitation.txt",
            {
                "invitation": invitation,
                "proposal": proposal,
                "event": event,
                "by": by,
                "link": link,
                "signs_in": signs_in,
                "site_name": settings.SITE_NAME,
            },
        ),
        from_email=None,
        recipient_list=[email],
    )
    return invitation


def co_speaker_invitation_accept(*, invitation, speaker, now=None):
    """The invitee joins the proposal's speakers; an invitation is accepted once."""
    with transaction.atomic():
        invitation = (
            CoSpeakerInvitation.objects.select_for_update()
            .select_related("proposal")
            .get(pk=invitation.pk)
        )
        if invitation.accepted is not None:
            raise ProposalRefused(gettext("This invitation was already accepted."))
        if speaker.pk != invitation.invitee_id:
            raise ProposalRefused(gettext("This invitation is for someone else."))
        proposal = invitation.proposal
        if proposal.state in CLOSED_TO_SPEAKERS:
            raise ProposalRefused(
                gettext("The proposal is %(state)s: it takes no new speaker.")
                % {"state": proposal.get_state_display().lower()}
            )
        invitation.accepted = now or timezone.now()
        invitation.save(update_fields=["accepted"])
        proposal.speakers.add(speaker)
        if proposal.talk_id is not None:
            # Invited before the speakers confirmed, accepted after: the talk
            # the proposal became gets them too, after its other speakers.
            _talk_speaker_add(talk_id=proposal.talk_id, speaker=speaker)
    return invitation


def _talk_speaker_add(*, talk_id, speaker):
    speakers = TalkSpeaker.objects.filter(talk_id=talk_id)
    if not speakers.filter(speaker=speaker).exists():
        last = speakers.aggregate(last=Max("position"))["last"]
        TalkSpeaker.objects.create(
            talk_id=talk_id, speaker=speaker, position=0 if last is None else last + 1
        )
