"""An event with an open call, its speakers and reviewers, for the call's tests."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from proposals.models import Call, Proposal, Question, ReviewCategory, SessionType
from proposals.states import State
from tests.factories import EventFactory, SpeakerFactory, TrackFactory, UserFactory


@pytest.fixture
def event(db):
    return EventFactory(slug="kvm-forum-2012", name="KVM Forum 2012", time_zone="Europe/Madrid")


@pytest.fixture
def call(event):
    now = timezone.now()
    call = Call.objects.create(
        event=event,
        opens=now - datetime.timedelta(days=1),
        closes=now + datetime.timedelta(days=10),
        text="Tell us about **virtualisation**.",
    )
    kernel = TrackFactory(event=event, name="Kernel", slug="kernel")
    TrackFactory(event=event, name="Storage", slug="storage")
    call.tracks.add(kernel)
    SessionType.objects.create(call=call, name="Talk", kind="talk", duration_minutes=40)
    SessionType.objects.create(call=call, name="Workshop", kind="workshop", duration_minutes=120)
    ReviewCategory.objects.create(call=call, name="Content", position=0)
    ReviewCategory.objects.create(call=call, name="Relevance", position=1)
    return call


@pytest.fixture
def required_question(call):
    return Question.objects.create(
        call=call, text="Have you spoken before?", kind=Question.Kind.YES_NO, required=True
    )


@pytest.fixture
def speaker(db):
    return SpeakerFactory(
        name="Avi Kivity", email="avi@example.org", bio="KVM.", user=UserFactory(username="avi")
    )


@pytest.fixture
def other_speaker(db):
    return SpeakerFactory(
        name="Kevin Wolf", email="kevin@example.org", user=UserFactory(username="kevin")
    )


@pytest.fixture
def reviewer(call):
    user = UserFactory(username="rita")
    user.groups.add(Group.objects.get(name="Reviewers"))
    call.reviewers.add(user)
    return user


@pytest.fixture
def make_proposal(call):
    def make(speaker, title="Live migration", state=State.SUBMITTED, **fields):
        proposal = Proposal.objects.create(
            call=call,
            submitter=speaker,
            title=title,
            abstract=fields.pop("abstract", "Moving VMs."),
            session_type=fields.pop("session_type", call.session_types.first()),
            state=state,
            **fields,
        )
        proposal.speakers.add(speaker)
        return proposal

    return make


@pytest.fixture
def send_outbox():
    """Run ``manage.py send_mail`` as the mail timer does; the mails it sent, in order."""

    def send():
        call_command("send_mail", verbosity=0)
        return list(mail.outbox)

    return send
