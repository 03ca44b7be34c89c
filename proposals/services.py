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
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext, ngettext
from sesame.utils import get_query_string

from proposals.models import Proposal, ProposalStateChange
from proposals.states import EDITABLE, Actor, State, may_change, refusal
from speakers.models import Speaker
from speakers.services import (
    account_has_privileges,
    emails_by_language,
    speaker_account_ensure,
    speaker_profile_complete,
)

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

    ``subject``: a function of no arguments, called in each speaker's language,
    as the body is rendered in it (one mail per language).
    Written in the caller's transaction: a state change that rolls back leaves
    no mail, and one that commits keeps its mail whatever the SMTP server does
    (``manage.py send_mail`` sends it, as it does the release mails).
    """
    for language, recipients in emails_by_language(proposal.speakers.all()).items():
        with translation.override(language):
            body = render_to_string(
                template,
                {
                    "proposal": proposal,
                    "event": proposal.call.event,
                    "site_name": settings.SITE_NAME,
                }
                | (context or {}),
            )
            mailer.send_mail(
                subject=_one_line(subject()),
                message=body,
                from_email=None,
                recipient_list=recipients,
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
            gettext(
                "A sign-in link was sent to this address several times in the last hour; "
                "use the latest one, or try again later."
            )
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
                    name=name,
                    slug=Speaker.unique_slug_for(name),
                    email=user.email,
                    user=user,
                    language=get_language(),
                )
        else:
            # Mails go on in the language the visitor asked in.
            speaker = Speaker.objects.create(
                name=name, slug=Speaker.unique_slug_for(name), email=email, language=get_language()
            )
            user, _ = speaker_account_ensure(speaker=speaker)
    path = reverse("proposals:sign_in", kwargs={"event_slug": event.slug})
    link = base_url.rstrip("/") + path + get_query_string(user, scope=SIGN_IN_SCOPE)
    send_mail(
        subject=_one_line(
            gettext("Your link to propose a talk at %(event)s") % {"event": event.name}
        ),
        message=render_to_string(
            "proposals/mail/sign_in.txt",
            {"event": event, "link": link, "name": name, "site_name": settings.SITE_NAME},
        ),
        from_email=None,
        recipient_list=[user.email],
    )


def speaker_for_account(user):
    """The signed-in person's speaker profile, made from their account the first time.

    A profile made here writes to them in the language the site is showing
    them, as one made by a sign-in request does, until they choose another.
    """
    speaker = Speaker.objects.filter(user=user).first()
    if speaker is None:
        name = user.get_full_name() or user.get_username()
        speaker = Speaker.objects.create(
            name=name,
            slug=Speaker.unique_slug_for(name),
            email=user.email,
            user=user,
            language=get_language(),
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
            proposal_mail(
                proposal=proposal,
                subject=lambda: (
                    gettext("Your proposal “%(title)s” is %(state)s")
                    % {"title": proposal.title, "state": State(to_state).label.lower()}
                ),
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
        raise ProposalRefused(gettext("The call for proposals is not open yet; nothing was saved."))
    if call.has_closed(now):
        raise ProposalRefused(
            gettext("The call for proposals closed at its deadline; nothing was saved.")
        )


def proposal_save(*, call, speaker, form, submit, submission_key=None, now=None, profile=None):
    """Save a speaker's proposal from a valid ``ProposalForm``; hand it in when ``submit``.

    ``profile``, a valid ``ProfileCompletionForm`` of the person editing (a
    co-speaker edits too), adds their missing bio or photo in the same
    transaction: a refused proposal saves neither.

    A new proposal carries the form's one-time ``submission_key``: the same form
    posted twice (a double click, a resent request) is refused the second time.
    """
    now = now or timezone.now()
    _check_call_open(call, now)
    proposal = form.instance
    created = proposal.pk is None
    if not created and proposal.state not in EDITABLE:
        raise ProposalRefused(
            gettext("A %(state)s proposal can no longer be edited.")
            % {"state": proposal.get_state_display().lower()}
        )
    if created:
        if submission_key and Proposal.objects.filter(submission_key=submission_key).exists():
            raise ProposalRefused(
                gettext("This proposal was already sent; it is in your list below.")
            )
        recent = Proposal.objects.filter(
            submitter=speaker, created__gte=now - timezone.timedelta(hours=1)
        ).count()
        if recent >= PROPOSALS_PER_HOUR:
            raise ProposalRefused(
                ngettext(
                    "You made %(count)d proposal in the last hour, the most we take; "
                    "please wait a little before the next.",
                    "You made %(count)d proposals in the last hour, the most we take; "
                    "please wait a little before the next.",
                    recent,
                )
                % {"count": recent}
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
            if profile is not None:
                speaker_profile_complete(speaker=profile.instance, form=profile)
            if submit and proposal.state == State.DRAFT:
                proposal_change_state(
                    proposal=proposal,
                    to_state=State.SUBMITTED,
                    by=speaker.user,
                    actor=Actor.SPEAKER,
                )
    except IntegrityError:
        # Two posts of one form at the same moment: the other one made it.
        raise ProposalRefused(
            gettext("This proposal was already sent; it is in your list below.")
        ) from None
    return SaveResult(proposal=proposal, created=created, submitted=submit)


def proposal_withdraw(*, proposal, by, now=None):
    """The speaker takes back ``proposal``; before a decision, only until the deadline."""
    now = now or timezone.now()
    if proposal.state in EDITABLE and proposal.call.has_closed(now):
        raise ProposalRefused(
            gettext("The call has closed: write to the organisers to withdraw this proposal.")
        )
    return proposal_change_state(
        proposal=proposal, to_state=State.WITHDRAWN, by=by, actor=Actor.SPEAKER
    )


# What a confirmed proposal shares with its talk; the rest (description, notes) is for reviewers.
TALK_FOLLOWS_FIELDS = ("title", "abstract")


def proposal_talk_follow(proposal):
    """The talk of a confirmed ``proposal`` takes its title and abstract, if they differ.

    Only when the proposal's call says the talk follows its proposal; the talk's
    address (its slug) stays, so links already shared keep working.
    """
    talk = proposal.talk
    if talk is None or not proposal.call.talk_follows_proposals:
        return False
    changed = [
        name for name in TALK_FOLLOWS_FIELDS if getattr(talk, name) != getattr(proposal, name)
    ]
    for name in changed:
        setattr(talk, name, getattr(proposal, name))
    if changed:
        talk.full_clean(validate_unique=False, validate_constraints=False)
        talk.save()
    return bool(changed)


def confirmed_proposal_locked(proposal):
    """The refusal a speaker gets when the call locks its confirmed proposals."""
    return ProposalRefused(
        gettext("The organisers locked confirmed proposals: write to them to change “%(title)s”.")
        % {"title": proposal.title}
    )


def confirmed_proposal_save(*, proposal, form):
    """Save a speaker's edit of their confirmed ``proposal`` (a valid ``ConfirmedProposalForm``).

    Allowed after the deadline, since the talk is already in the programme, but
    only when the call lets the talk follow its proposal; otherwise the proposal
    is locked and :class:`ProposalRefused` says so.
    """
    if proposal.state != State.CONFIRMED or not proposal.call.talk_follows_proposals:
        raise confirmed_proposal_locked(proposal)
    with transaction.atomic():
        proposal = form.save()
        proposal_talk_follow(proposal)
    return proposal
