"""Decision and state-change mails wait in the outbox, so an SMTP server that fails loses none."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from mailer.models import Message

from proposals.decisions import proposals_decide
from proposals.models import DecisionTemplate, Proposal
from proposals.services import proposal_change_state, proposal_sign_in_request
from proposals.states import Actor, State


class DisconnectingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_decision_mail_waits_while_the_smtp_server_fails_and_goes_once_it_is_back(
    call, speaker, organiser, make_proposal, settings, send_outbox
):
    DecisionTemplate.objects.create(
        call=call, decision=State.REJECTED, subject="About {title}", body="Sorry, {name}."
    )
    proposal = make_proposal(speaker)

    proposals_decide(
        proposals=[proposal], decision=State.REJECTED, by=organiser, base_url="http://testserver"
    )
    settings.MAILER_EMAIL_BACKEND = f"{__name__}.DisconnectingBackend"
    call_command("send_mail", verbosity=0)

    assert mail.outbox == []
    assert [m.subject for m in Message.objects.deferred()] == ["About Live migration"]

    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("retry_deferred", verbosity=0)
    sent = send_outbox()

    assert [(m.subject, m.to, m.body) for m in sent] == [
        ("About Live migration", ["avi@example.org"], "Sorry, Avi Kivity.")
    ]
    assert Message.objects.count() == 0


def test_state_change_that_rolls_back_leaves_no_mail(call, speaker, make_proposal):
    proposal = make_proposal(speaker)

    def withdraw_then_fail():
        with transaction.atomic():
            proposal_change_state(
                proposal=proposal, to_state=State.WITHDRAWN, by=speaker.user, actor=Actor.SPEAKER
            )
            assert Message.objects.count() == 1
            raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError):
        withdraw_then_fail()

    assert Proposal.objects.get().state == State.SUBMITTED
    assert Message.objects.count() == 0


def test_sign_in_link_is_mailed_at_once_not_queued(call):
    proposal_sign_in_request(
        name="Paolo Bonzini",
        email="paolo@example.org",
        event=call.event,
        base_url="http://testserver",
    )

    assert [m.to for m in mail.outbox] == [["paolo@example.org"]]
    assert Message.objects.count() == 0
