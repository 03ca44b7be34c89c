"""``generate_event --proposals N``: a generated call full of proposals, through the command."""

import io

import pytest
from django.core.management import CommandError, call_command

from conference.models import Event
from proposals.models import Call, Proposal, ProposalStateChange, Review
from proposals.states import State


def _generate(*extra):
    out = io.StringIO()
    call_command(
        "generate_event",
        "--slug",
        "gen",
        "--days",
        "1",
        "--rooms",
        "3",
        "--slots",
        "4",
        "--no-release",
        *extra,
        stdout=out,
    )
    return out.getvalue()


def test_proposals_option_opens_a_call_with_that_many_proposals(db):
    output = _generate("--proposals", "60")

    call = Call.objects.get(event__slug="gen")
    assert call.is_open()
    proposals = Proposal.objects.filter(call=call)
    assert proposals.count() == 60
    assert {p.state for p in proposals} >= {State.SUBMITTED, State.ACCEPTED, State.REJECTED}
    assert all(p.speakers.filter(pk=p.submitter_id).exists() for p in proposals)
    # Every state but draft has its history, from the draft on.
    submitted = proposals.exclude(state=State.DRAFT)
    assert ProposalStateChange.objects.filter(
        proposal__in=submitted, from_state=State.DRAFT
    ).count() == (submitted.count())
    reviews = Review.objects.filter(proposal__call=call)
    assert not reviews.filter(proposal__state__in=[State.DRAFT, State.WITHDRAWN]).exists()
    assert sorted(call.reviewers.values_list("username", flat=True)) == [
        "gen-reviewer-1",
        "gen-reviewer-2",
        "gen-reviewer-3",
    ]
    assert f"Call for proposals: 60 proposals, {reviews.count()} reviews by 3 reviewers" in output


def test_same_seed_gives_the_same_proposals_and_replace_makes_them_anew(db):
    _generate("--proposals", "20")
    first = list(Proposal.objects.order_by("pk").values_list("title", "state"))

    _generate("--proposals", "20", "--replace")

    assert list(Proposal.objects.order_by("pk").values_list("title", "state")) == first
    assert Call.objects.count() == 1


def test_without_the_option_the_event_has_no_call(db):
    output = _generate()

    assert Event.objects.filter(slug="gen").exists()
    assert not Call.objects.exists()
    assert "Call for proposals" not in output


def test_a_negative_count_is_refused(db):
    with pytest.raises(CommandError, match='"-3" is not a count'):
        _generate("--proposals", "-3")


def test_generated_reviewer_sees_the_review_list(client, db):
    _generate("--proposals", "30")
    reviewable = Proposal.objects.reviewable().count()
    reviewer = Call.objects.get().reviewers.get(username="gen-reviewer-1")
    client.force_login(reviewer)

    content = client.get("/gen/review/").content.decode()

    assert content.count('href="/gen/review/') >= reviewable
