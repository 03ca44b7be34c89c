"""Deciding: decision mails from the organisers' templates, the speaker's answer, the talk.

An accepted speaker confirms or declines from a signed link in the decision
mail; a confirmed proposal becomes an unscheduled talk of the event.
"""

import re
from dataclasses import dataclass, field

import mailer
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from infrastructure.slugs import UniqueSlugs
from proposals.models import DecisionTemplate, Proposal
from proposals.services import ProposalRefused, proposal_change_state
from proposals.states import Actor, State
from schedule.models import Talk, TalkSpeaker
from speakers.services import emails_by_language

CONFIRM_SALT = "proposals.confirm"
PLACEHOLDER = re.compile(r"\{(name|title|event|confirm_link)\}")


def confirm_link(*, proposal, base_url):
    token = signing.dumps(str(proposal.uuid), salt=CONFIRM_SALT)
    path = reverse(
        "proposals:answer", kwargs={"event_slug": proposal.call.event.slug, "token": token}
    )
    return base_url.rstrip("/") + path


def proposal_from_token(token):
    """The proposal a confirmation link names, or None for a forged or damaged one."""
    try:
        key = signing.loads(token, salt=CONFIRM_SALT)
    except signing.BadSignature:
        return None
    return Proposal.objects.select_related("call__event").filter(uuid=key).first()


def _fill(text, values):
    # Only the four placeholders are replaced: str.format would let a template
    # reach attributes ("{title.__class__}") and choke on any other brace.
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def _default_template(decision):
    subject = {
        State.ACCEPTED: gettext("Your proposal “{title}” is accepted"),
        State.REJECTED: gettext("Your proposal “{title}” for {event}"),
        State.WAITING: gettext("Your proposal “{title}” is on the waiting list"),
    }[decision]
    body = render_to_string(f"proposals/mail/decision_{decision}.txt")
    return DecisionTemplate(decision=decision, subject=subject, body=body)


def decision_template(*, call, decision):
    return _organisers_template(call, decision) or _default_template(decision)


def _organisers_template(call, decision):
    return call.decision_templates.filter(decision=decision).first()


def decision_mail(*, template, proposal, base_url):
    """``(subject, body)`` of the mail ``template`` makes for ``proposal``."""
    names = ", ".join(speaker.name for speaker in proposal.speakers.all())
    values = {
        "name": names,
        "title": proposal.title,
        "event": proposal.call.event.name,
        "confirm_link": confirm_link(proposal=proposal, base_url=base_url),
    }
    subject = " ".join(_fill(template.subject, values).split())
    return subject, _fill(template.body, values)


@dataclass
class DecisionResult:
    decided: list = field(default_factory=list)
    refused: dict = field(default_factory=dict)  # proposal -> why

    def summary(self, decision):
        label = State(decision).label.lower()
        count = len(self.decided)
        text = ngettext(
            "%(count)d proposal %(state)s.", "%(count)d proposals %(state)s.", count
        ) % {"count": count, "state": label}
        for proposal, reason in self.refused.items():
            text += " " + gettext("“%(title)s” unchanged: %(reason)s") % {
                "title": proposal.title,
                "reason": reason,
            }
        return text


def proposals_decide(*, proposals, decision, by, base_url):
    """Move each proposal to ``decision`` and mail its speakers the call's template.

    A proposal the state table refuses is left as it was and named in the result.
    """
    result = DecisionResult()
    organisers_templates = {}  # by call: one read for the whole batch, not one per mail
    for proposal in proposals:
        try:
            # The decision and its mail in the outbox commit together.
            with transaction.atomic():
                proposal_change_state(
                    proposal=proposal, to_state=decision, by=by, actor=Actor.ORGANISER, mail=False
                )
                call = proposal.call
                if call.pk not in organisers_templates:
                    organisers_templates[call.pk] = _organisers_template(call, decision)
                # One mail per language of the speakers; the organisers' own
                # templates read the same in each, the built-in ones do not.
                for language, recipients in emails_by_language(proposal.speakers.all()).items():
                    with translation.override(language):
                        template = organisers_templates[call.pk] or _default_template(decision)
                        subject, body = decision_mail(
                            template=template, proposal=proposal, base_url=base_url
                        )
                    mailer.send_mail(
                        subject=subject, message=body, from_email=None, recipient_list=recipients
                    )
        except ProposalRefused as refusal:
            result.refused[proposal] = str(refusal)
            continue
        result.decided.append(proposal)
    return result


def proposal_talk_create(*, proposal):
    """The unscheduled talk a confirmed proposal becomes: not public until organisers publish it."""
    event = proposal.call.event
    slug_length = Talk._meta.get_field("slug").max_length
    taken = Talk.objects.filter(event=event).values_list("slug", flat=True)
    talk = Talk.objects.create(
        event=event,
        title=proposal.title,
        slug=UniqueSlugs(taken).make_from(proposal.title, fallback="talk", max_length=slug_length),
        kind=proposal.session_type.kind if proposal.session_type_id else Talk.Kind.TALK,
        abstract=proposal.abstract,
        track=proposal.track,
        planned_minutes=proposal.duration_minutes,
        is_published=False,
    )
    speakers = [proposal.submitter] + [
        speaker for speaker in proposal.speakers.all() if speaker.pk != proposal.submitter_id
    ]
    TalkSpeaker.objects.bulk_create(
        TalkSpeaker(talk=talk, speaker=speaker, position=position)
        for position, speaker in enumerate(speakers)
    )
    proposal.talk = talk
    proposal.save(update_fields=["talk", "updated"])
    return talk


def proposal_answer(*, proposal, confirm, by):
    """The accepted speaker's answer: confirmed (and a talk made) or declined."""
    with transaction.atomic():
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        to_state = State.CONFIRMED if confirm else State.DECLINED
        proposal_change_state(proposal=proposal, to_state=to_state, by=by, actor=Actor.SPEAKER)
        if confirm and proposal.talk_id is None:
            proposal_talk_create(proposal=proposal)
    return proposal
