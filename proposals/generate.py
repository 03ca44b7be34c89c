"""A generated call for proposals: ``generate_event --proposals N``, for demos and benchmarks.

Registered with the schedule's ``generate_event`` as one of its parts
(``schedule/services/generated_parts.py``), since the schedule may not import
the proposals app. For the freshly generated event it opens a call (30 days
either side of now, so it is open the day it is generated), with three session
types, the event's tracks, two review categories, one required question and
three reviewers, and makes ``count`` proposals by the event's speakers in
every state a call sees, with their history and the reviewers' scores. Rows are
written in bulk, in the command's transaction; no mail is sent.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from infrastructure.page_cache import event_pages_changed
from proposals.models import (
    Call,
    Proposal,
    ProposalStateChange,
    Question,
    Review,
    ReviewCategory,
    ReviewScore,
    SessionType,
)
from proposals.states import State
from schedule.models import Talk
from schedule.services.generated_parts import GeneratedPart, register
from speakers.models import Speaker

REVIEWERS = 3
# How often each state comes up among generated proposals (out of 100).
STATE_WEIGHTS = {
    State.SUBMITTED: 62,
    State.DRAFT: 6,
    State.WITHDRAWN: 3,
    State.ACCEPTED: 10,
    State.REJECTED: 10,
    State.WAITING: 6,
    State.DECLINED: 3,
}
# The states a proposal passed through to reach each one (after draft).
PATHS = {
    State.DRAFT: [],
    State.SUBMITTED: [State.SUBMITTED],
    State.WITHDRAWN: [State.SUBMITTED, State.WITHDRAWN],
    State.ACCEPTED: [State.SUBMITTED, State.ACCEPTED],
    State.REJECTED: [State.SUBMITTED, State.REJECTED],
    State.WAITING: [State.SUBMITTED, State.WAITING],
    State.DECLINED: [State.SUBMITTED, State.ACCEPTED, State.DECLINED],
}
SUBJECTS = (
    "live migration",
    "the page cache",
    "eBPF tracing",
    "reproducible builds",
    "Rust in the kernel",
    "accessible forms",
    "PostgreSQL replication",
    "mesh networking",
    "open hardware",
    "type checking",
)
FRAMES = (
    "Ten years of {}",
    "What we learnt from {}",
    "{} at scale",
    "A gentle introduction to {}",
    "Debugging {}",
    "{}: the missing manual",
)
REVIEWED_SHARE = 0.6
CO_SPEAKER_SHARE = 0.2


def _reviewers(event):
    """The call's reviewers: generated accounts in the Reviewers group, made anew each time."""
    User = get_user_model()
    prefix = f"{event.slug}-reviewer-"
    User.objects.filter(username__startswith=prefix).delete()
    group = Group.objects.get(name="Reviewers")
    reviewers = [
        User.objects.create_user(username=f"{prefix}{number}", email="")
        for number in range(1, REVIEWERS + 1)
    ]
    group.user_set.add(*reviewers)
    return reviewers


def _call(event):
    now = timezone.now()
    call = Call.objects.create(
        event=event,
        opens=now - datetime.timedelta(days=30),
        closes=now + datetime.timedelta(days=30),
        text="A **generated** call for proposals.",
    )
    call.tracks.set(event.tracks.all())
    SessionType.objects.bulk_create(
        [
            SessionType(call=call, name="Talk", kind=Talk.Kind.TALK, duration_minutes=40),
            SessionType(
                call=call,
                name="Workshop",
                kind=Talk.Kind.WORKSHOP,
                duration_minutes=120,
                position=1,
            ),
            SessionType(
                call=call,
                name="Lightning",
                kind=Talk.Kind.LIGHTNING,
                duration_minutes=5,
                position=2,
            ),
        ]
    )
    ReviewCategory.objects.bulk_create(
        [
            ReviewCategory(call=call, name="Content", position=0),
            ReviewCategory(call=call, name="Relevance", position=1),
        ]
    )
    Question.objects.create(
        call=call, text="Have you given this talk before?", kind=Question.Kind.YES_NO, required=True
    )
    return call


def proposals_generate(*, event, count, seed=0):
    """Open a call at ``event`` and make ``count`` proposals; one sentence saying what was made."""
    rng = random.Random(seed)
    speakers = list(Speaker.objects.filter(talks__event=event).distinct().order_by("pk"))
    if not speakers:
        raise ValueError(f"{event.slug} has no speakers to propose.")
    call = _call(event)
    reviewers = _reviewers(event)
    call.reviewers.set(reviewers)
    types = list(call.session_types.all())
    tracks = list(event.tracks.all())
    categories = list(call.review_categories.all())
    question = call.questions.get()
    states, weights = zip(*STATE_WEIGHTS.items(), strict=True)
    now = timezone.now()

    proposals = []
    for number in range(count):
        subject = rng.choice(SUBJECTS)
        title = f"{rng.choice(FRAMES).format(subject)} ({number + 1})"
        proposals.append(
            Proposal(
                call=call,
                submitter=rng.choice(speakers),
                title=title[0].upper() + title[1:],
                abstract=f"How {subject} works, where it fails, and what to do about it.",
                description=f"A longer outline of the talk on {subject}, for the reviewers.",
                session_type=rng.choice(types),
                track=rng.choice(tracks) if tracks else None,
                answers={str(question.pk): rng.choice(["yes", "no"])},
                state=rng.choices(states, weights)[0],
            )
        )
    proposals = Proposal.objects.bulk_create(proposals)

    speaker_links = []
    for proposal in proposals:
        speaker_links.append(
            Proposal.speakers.through(proposal=proposal, speaker_id=proposal.submitter_id)
        )
        if rng.random() < CO_SPEAKER_SHARE:
            other = rng.choice(speakers)
            if other.pk != proposal.submitter_id:
                speaker_links.append(Proposal.speakers.through(proposal=proposal, speaker=other))
    Proposal.speakers.through.objects.bulk_create(speaker_links)

    changes = []
    for proposal in proposals:
        from_state = State.DRAFT
        for step, to_state in enumerate(PATHS[State(proposal.state)]):
            changes.append(
                ProposalStateChange(
                    proposal=proposal,
                    by=proposal.submitter.user if to_state == State.SUBMITTED else None,
                    at=now - datetime.timedelta(days=20 - step * 5),
                    from_state=from_state,
                    to_state=to_state,
                )
            )
            from_state = to_state
    ProposalStateChange.objects.bulk_create(changes)

    reviewable = [p for p in proposals if p.state not in (State.DRAFT, State.WITHDRAWN)]
    reviews = [
        Review(proposal=proposal, reviewer=reviewer, comment="Generated review.")
        for proposal in reviewable
        for reviewer in reviewers
        if rng.random() < REVIEWED_SHARE
    ]
    reviews = Review.objects.bulk_create(reviews)
    ReviewScore.objects.bulk_create(
        ReviewScore(
            review=review,
            category=category,
            score=rng.randint(category.min_score, category.max_score),
        )
        for review in reviews
        for category in categories
    )
    # bulk_create sends no signals: tell the page cache directly.
    event_pages_changed(event.slug)
    return (
        f"Call for proposals: {len(proposals)} proposals, {len(reviews)} reviews "
        f"by {len(reviewers)} reviewers ({reviewers[0].username} …)."
    )


def register_part():
    register(
        GeneratedPart(
            name="proposals",
            help=(
                "Open a call for proposals at the event with N proposals, their history "
                "and reviews (default 0: no call)."
            ),
            generate=proposals_generate,
        )
    )
