"""The admin's proposal list: what organisers sort and decide from, at a pinned query count."""

import pytest

from proposals.models import ProposalStateChange, Review, ReviewScore
from tests.factories import SpeakerFactory, UserFactory

# The proposal, its speakers, history, reviews with their scores, the form's choices (calls,
# events, speakers, types, tracks), and the session, user and permissions.
QUERIES_OF_THE_PROPOSAL_PAGE = 17


def _reviewed_proposals(call, reviewer, make_proposal, count):
    categories = list(call.review_categories.all())
    track = call.tracks.get()
    for number in range(count):
        proposal = make_proposal(
            SpeakerFactory(name=f"Speaker {number:02}"), title=f"Proposal {number:02}", track=track
        )
        proposal.speakers.add(SpeakerFactory())
        review = Review.objects.create(proposal=proposal, reviewer=reviewer)
        for category in categories:
            ReviewScore.objects.create(review=review, category=category, score=number % 4)


@pytest.mark.parametrize("proposal_count", [5, 40])
def test_proposal_list_queries_do_not_grow_with_proposals(
    organiser_client, call, reviewer, make_proposal, proposal_count, django_assert_max_num_queries
):
    _reviewed_proposals(call, reviewer, make_proposal, proposal_count)

    # Session, user, organiser check, two of permissions, the three filters' choices
    # (events, types, tracks), the filtered and the full count, the page's rows.
    with django_assert_max_num_queries(11):
        response = organiser_client.get("/admin/proposals/proposal/?o=-7")

    assert len(response.context["cl"].result_list) == proposal_count
    content = response.content.decode()
    assert content.count('<td class="field-track nowrap">Kernel</td>') == proposal_count
    assert content.count('<td class="field-session_type nowrap">Talk (40 min)</td>') == (
        proposal_count
    )
    assert '<td class="field-average_score">3.00</td><td class="field-spread">3–3</td>' in content


@pytest.mark.parametrize("proposal_count", [5, 40])
def test_searched_and_filtered_proposal_list_queries_do_not_grow(
    organiser_client, call, reviewer, make_proposal, proposal_count, django_assert_max_num_queries
):
    _reviewed_proposals(call, reviewer, make_proposal, proposal_count)

    with django_assert_max_num_queries(11):
        response = organiser_client.get(
            "/admin/proposals/proposal/", {"q": '"Speaker 03"', "state": "submitted"}
        )

    assert [p.title for p in response.context["cl"].result_list] == ["Proposal 03"]


@pytest.mark.parametrize("review_count", [2, 12])
def test_proposal_page_queries_do_not_grow_with_reviews_or_history(
    organiser_client, call, make_proposal, review_count, django_assert_max_num_queries
):
    proposal = make_proposal(SpeakerFactory(), title="Live migration")
    categories = list(call.review_categories.all())
    for number in range(review_count):
        reviewer = UserFactory(username=f"reviewer-{number:02}")
        review = Review.objects.create(proposal=proposal, reviewer=reviewer, comment="Good.")
        for category in categories:
            ReviewScore.objects.create(review=review, category=category, score=number % 4)
        ProposalStateChange.objects.create(
            proposal=proposal, by=reviewer, from_state="draft", to_state="submitted"
        )

    with django_assert_max_num_queries(QUERIES_OF_THE_PROPOSAL_PAGE):
        response = organiser_client.get(f"/admin/proposals/proposal/{proposal.pk}/change/")

    content = response.content.decode()
    assert content.count("Content: 1, Relevance: 1") == len(range(1, review_count, 4))
    for number in range(review_count):
        # The review's title and reviewer column, and the change of state it made.
        assert content.count(f"reviewer-{number:02}") == 3
