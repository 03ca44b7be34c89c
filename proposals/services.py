"""Proposing: signing a new speaker in, saving and handing in proposals, changes of state.

Every write is one transaction and every refusal a ``ProposalRefused`` with a
message for the person who tried: the caller shows it and nothing is written.
"""

from dataclasses import dataclass

import mailer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from sesame.utils import get_query_string

from proposals.models import Proposal, ProposalStateChange
from proposals.states import EDITABLE, Actor, State, may_change, refusal
from speakers.models import Speaker
from speakers.services import account_has_privileges, speaker_account_ensure

SIGN_IN_SCOPE = "proposal-sign-in"
# Per account and hour; per address and hour for sign-in links.
PROPOSALS_PER_HOUR = getattr(settings, "PROPOSALS_PER_HOUR", 10)
SIGN_IN_LINKS_PER_HOUR = getattr(settings, "PROPOSAL_SIGN_IN_LINKS_PER_HOUR", 3)


class ProposalRefused(Exception):
    """What the person asked for is not done; the message says why."""


def _one_line(text):
    return " ".join(str(text).split())


def proposal_mail(*, proposal, subject, template, context=None):
    """Queue a mail to every speaker of ``proposal`` in the outbox (plain text, never HTML).

    Written in the caller's transaction: a state change that rolls back leaves
    no mail, and one that commits keeps its mail whatever the SMTP server does
    (``manage.py send_mail`` sends it, as it does the release mails).
    """
    recipients = [speaker.email for speaker in proposal.speakers.all() if speaker.email]
    if not recipients:
        return
    body = render_to_string(
        template,
        {"proposal": proposal, "event": proposal.call.event, "site_name": settings.SITE_NAME}
        | (context or {}),
    )
    mailer.send_mail(
        subject=_one_line(subject), message=body, from_email=None, recipient_list=recipients
    )


# Signing in from the call ------------------------------------------------------


def limit_reached(key, limit):
    """Count one more under ``key`` for an hour; whether that goes past ``limit``."""
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return False


def proposal_sign_in_request(*, name, email, event, base_url):
    """Mail a single-use sign-in link to ``email`` so its owner can propose at ``event``.

    Someone new gets a speaker profile and an account (without a password), as
    an organiser's invitation makes them. An existing plain account of that
    address gets a link for itself. No link is mailed for an account with rights,
    nor when several accounts share the address: whoever typed it would not
    learn which, as the page says the same whatever happened.
    """
    if limit_reached(f"proposals:sign-in:{email.lower()}", SIGN_IN_LINKS_PER_HOUR):
        raise ProposalRefused(
            "A sign-in link was sent to this address several times in the last hour; "
            "use the latest one, or try again later."
        )
    User = get_user_model()
    with transaction.atomic():
        accounts = list(User.objects.filter(email__iexact=email)[:2])
        if len(accounts) > 1:
            return
        if accounts:
            user = accounts[0]
            if not user.is_active or account_has_privileges(user):
                return
            if not Speaker.objects.filter(user=user).exists():
                Speaker.objects.create(
                    name=name, slug=Speaker.unique_slug_for(name), email=user.email, user=user
                )
        else:
            speaker = Speaker.objects.create(
                name=name, slug=Speaker.unique_slug_for(name), email=email
            )
            user, _ = speaker_account_ensure(speaker=speaker)
    path = reverse("proposals:sign_in", kwargs={"event_slug": event.slug})
    link = base_url.rstrip("/") + path + get_query_string(user, scope=SIGN_IN_SCOPE)
    send_mail(
        subject=_one_line(f"Your link to propose a talk at {event.name}"),
        message=render_to_string(
            "proposals/mail/sign_in.txt",
            {"event": event, "link": link, "name": name, "site_name": settings.SITE_NAME},
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def speaker_for_account(user):
    """The signed-in person's speaker profile, made from their account the first time."""
    speaker = Speaker.objects.filter(user=user).first()
    if speaker is None:
        name = user.get_full_name() or user.get_username()
        speaker = Speaker.objects.create(
            name=name, slug=Speaker.unique_slug_for(name), email=user.email, user=user
        )
    return speaker


# States ----------------------------------------------------------------------


def proposal_change_state(*, proposal, to_state, by, actor, mail=True):
    """Move ``proposal`` to ``to_state`` if the state table allows ``actor`` to; record it.

    The speakers are mailed about the change unless ``mail`` is off (a decision
    sends the organisers' own mail instead).
    """
    from_state = proposal.state
    if not may_change(from_state, to_state, actor):
        raise ProposalRefused(refusal(from_state, to_state, actor))
    with transaction.atomic():
        proposal.state = to_state
        proposal.save(update_fields=["state", "updated"])
        ProposalStateChange.objects.create(
            proposal=proposal, by=by, from_state=from_state, to_state=to_state
        )
        if mail:
            label = State(to_state).label.lower()
            proposal_mail(
                proposal=proposal,
                subject=f"Your proposal “{proposal.title}” is {label}",
                template="proposals/mail/state_changed.txt",
                context={"from_state": State(from_state), "to_state": State(to_state)},
            )
    return proposal


# Proposing -------------------------------------------------------------------


@dataclass
class SaveResult:
    proposal: Proposal
    created: bool
    submitted: bool


def _check_call_open(call, now):
    if now < call.opens:
        raise ProposalRefused("The call for proposals is not open yet; nothing was saved.")
    if call.has_closed(now):
        raise ProposalRefused("The call for proposals closed at its deadline; nothing was saved.")


def proposal_save(*, call, speaker, form, submit, submission_key=None, now=None):
    """Save a speaker's proposal from a valid ``ProposalForm``; hand it in when ``submit``.

    A new proposal carries the form's one-time ``submission_key``: the same form
    posted twice (a double click, a resent request) is refused the second time.
    """
    now = now or timezone.now()
    _check_call_open(call, now)
    proposal = form.instance
    created = proposal.pk is None
    if not created and proposal.state not in EDITABLE:
        raise ProposalRefused(
            f"A {proposal.get_state_display().lower()} proposal can no longer be edited."
        )
    if created:
        if submission_key and Proposal.objects.filter(submission_key=submission_key).exists():
            raise ProposalRefused("This proposal was already sent; it is in your list below.")
        recent = Proposal.objects.filter(
            submitter=speaker, created__gte=now - timezone.timedelta(hours=1)
        ).count()
        if recent >= PROPOSALS_PER_HOUR:
            raise ProposalRefused(
                f"You made {recent} proposals in the last hour, the most we take; "
                "please wait a little before the next."
            )
    try:
        with transaction.atomic():
            proposal = form.save(commit=False)
            if created:
                proposal.call = call
                proposal.submitter = speaker
                proposal.submission_key = submission_key
            proposal.save()
            if created:
                proposal.speakers.add(speaker)
            if submit and proposal.state == State.DRAFT:
                proposal_change_state(
                    proposal=proposal,
                    to_state=State.SUBMITTED,
                    by=speaker.user,
                    actor=Actor.SPEAKER,
                )
    except IntegrityError:
        # Two posts of one form at the same moment: the other one made it.
        raise ProposalRefused("This proposal was already sent; it is in your list below.") from None
    return SaveResult(proposal=proposal, created=created, submitted=submit)


def proposal_withdraw(*, proposal, by, now=None):
    """The speaker takes back ``proposal``; before a decision, only until the deadline."""
    now = now or timezone.now()
    if proposal.state in EDITABLE and proposal.call.has_closed(now):
        raise ProposalRefused(
            "The call has closed: write to the organisers to withdraw this proposal."
        )
    return proposal_change_state(
        proposal=proposal, to_state=State.WITHDRAWN, by=by, actor=Actor.SPEAKER
    )
