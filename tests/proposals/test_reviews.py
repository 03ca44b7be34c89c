"""Reviewing: the list with its filters and progress, the review page, who sees what."""

import pytest
from django.contrib.auth.models import Group

from proposals.models import Review, ReviewScore
from proposals.states import State
from tests.factories import UserFactory


def _scores(call, *values):
    return {
        f"score_{category.pk}": str(value)
        for category, value in zip(call.review_categories.all(), values, strict=True)
    }


def _review(proposal, reviewer, *values, comment=""):
    review = Review.objects.create(proposal=proposal, reviewer=reviewer, comment=comment)
    for category, value in zip(proposal.call.review_categories.all(), values, strict=True):
        ReviewScore.objects.create(review=review, category=category, score=value)
    return review


def test_review_list_filters_and_counts_progress(client, call, reviewer, speaker, make_proposal):
    kernel = call.tracks.get()
    workshop = call.session_types.get(name="Workshop")
    reviewed = make_proposal(speaker, title="Reviewed one", track=kernel)
    make_proposal(speaker, title="Workshop one", session_type=workshop)
    make_proposal(speaker, title="Waiting one", state=State.WAITING)
    make_proposal(speaker, title="Just a draft", state=State.DRAFT)
    _review(reviewed, reviewer, 2, 3)
    client.force_login(reviewer)

    def titles(query=""):
        response = client.get(f"/kvm-forum-2012/review/{query}")
        return [p.title for p in response.context["proposals"]], response

    everything, response = titles()
    assert everything == ["Reviewed one", "Workshop one", "Waiting one"]
    assert "You reviewed 1 of 3 proposals." in response.content.decode()
    assert titles("?track=kernel")[0] == ["Reviewed one"]
    assert titles(f"?session_type={workshop.pk}")[0] == ["Workshop one"]
    assert titles("?state=waiting")[0] == ["Waiting one"]
    assert titles("?unreviewed=on")[0] == ["Workshop one", "Waiting one"]
    assert "Average" not in response.content.decode()  # a reviewer sees no averages


def test_review_is_saved_with_a_score_per_category(client, call, reviewer, speaker, make_proposal):
    proposal = make_proposal(speaker)
    client.force_login(reviewer)

    client.post(
        f"/kvm-forum-2012/review/{proposal.uuid}/",
        {"comment": "Solid.", **_scores(call, 3, 1)},
    )

    review = Review.objects.get()
    assert (review.reviewer, review.comment) == (reviewer, "Solid.")
    assert sorted((s.category.name, s.score) for s in review.scores.all()) == [
        ("Content", 3),
        ("Relevance", 1),
    ]


def test_score_out_of_range_is_refused_and_nothing_saved(
    client, call, reviewer, speaker, make_proposal
):
    proposal = make_proposal(speaker)
    client.force_login(reviewer)

    response = client.post(f"/kvm-forum-2012/review/{proposal.uuid}/", _scores(call, 4, 1))

    assert response.status_code == 400
    assert (
        "Select a valid choice. 4 is not one of the available choices." in response.content.decode()
    )
    assert Review.objects.count() == 0


def test_others_scores_hidden_until_ones_own_is_given(
    client, call, reviewer, speaker, make_proposal
):
    proposal = make_proposal(speaker)
    _review(proposal, UserFactory(username="bob"), 0, 0, comment="Bob thinks not.")
    client.force_login(reviewer)
    url = f"/kvm-forum-2012/review/{proposal.uuid}/"

    before = client.get(url).content.decode()
    _review(proposal, reviewer, 2, 2)
    after = client.get(url).content.decode()

    assert "Bob thinks not." not in before
    assert "The other reviews show once you have given yours." in before
    assert "Bob thinks not." in after
    assert "bob" not in after.replace("Bob thinks", "")  # other reviewers stay unnamed


def test_anonymous_review_hides_speaker_names_and_bios(
    client, call, reviewer, speaker, make_proposal
):
    call.anonymous_review = True
    call.save()
    proposal = make_proposal(speaker)
    client.force_login(reviewer)

    content = client.get(f"/kvm-forum-2012/review/{proposal.uuid}/").content.decode()

    assert "Avi Kivity" not in content
    assert "KVM." not in content
    assert "Anonymous review: the speakers are not shown." in content


def test_reviewer_cannot_review_their_own_proposal(client, call, reviewer, speaker, make_proposal):
    speaker.user = reviewer
    speaker.save()
    proposal = make_proposal(speaker)
    client.force_login(reviewer)

    listed = client.get("/kvm-forum-2012/review/").context["proposals"]
    page = client.get(f"/kvm-forum-2012/review/{proposal.uuid}/").content.decode()
    client.post(f"/kvm-forum-2012/review/{proposal.uuid}/", _scores(call, 3, 3))

    assert list(listed) == []
    assert "This is your own proposal: you cannot review it." in page
    assert Review.objects.count() == 0


def test_organiser_sees_every_review_with_average_and_spread(
    client, call, organiser, reviewer, speaker, make_proposal
):
    proposal = make_proposal(speaker)
    _review(proposal, reviewer, 1, 3, comment="Rita's view.")
    _review(proposal, UserFactory(username="bob"), 0, 2)
    client.force_login(organiser)

    listing = client.get("/kvm-forum-2012/review/").content.decode()
    page = client.get(f"/kvm-forum-2012/review/{proposal.uuid}/").content.decode()

    assert "<td>1.50</td><td>0–3</td>" in listing
    assert "Rita&#x27;s view." in page
    assert "<strong>rita</strong>" in page
    assert "<strong>bob</strong>" in page


def test_reviewer_of_another_event_reaches_nothing_here(client, call, speaker, make_proposal):
    proposal = make_proposal(speaker)
    stranger = UserFactory(username="stranger")
    stranger.groups.add(Group.objects.get(name="Reviewers"))
    client.force_login(stranger)

    assert client.get("/kvm-forum-2012/review/").status_code == 404
    assert client.get(f"/kvm-forum-2012/review/{proposal.uuid}/").status_code == 404


def test_hostile_proposal_text_is_inert_on_review_pages(
    client, call, reviewer, speaker, make_proposal
):
    proposal = make_proposal(
        speaker,
        title="<img src=x onerror=alert(1)>",
        abstract="<script>alert(2)</script> [x](javascript:alert(3))",
        notes="<b onclick=alert(4)>n</b>",
    )
    client.force_login(reviewer)

    pages = (
        client.get("/kvm-forum-2012/review/").content.decode()
        + client.get(f"/kvm-forum-2012/review/{proposal.uuid}/").content.decode()
    )

    for payload in ["<img src=x", "<script>alert(2)", 'href="javascript', "<b onclick"]:
        assert payload not in pages


@pytest.mark.parametrize("size", [5, 25])
def test_review_list_queries_do_not_grow_with_proposals(
    client, call, reviewer, speaker, make_proposal, django_assert_num_queries, size
):
    for number in range(size):
        proposal = make_proposal(speaker, title=f"Proposal {number}", track=call.tracks.get())
        _review(proposal, reviewer, 1, 2)
    client.force_login(reviewer)

    # One of them is the call's times, for the navigation; one counts for the pages.
    with django_assert_num_queries(13):
        response = client.get("/kvm-forum-2012/review/")

    assert len(response.context["proposals"]) == size


def test_review_list_pages_keep_the_filters_and_the_progress_counts_them_all(
    client, call, reviewer, speaker, make_proposal, monkeypatch
):
    from proposals import views

    monkeypatch.setattr(views, "REVIEW_PAGE_SIZE", 2)
    kernel = call.tracks.get()
    for number in range(5):
        make_proposal(speaker, title=f"Kernel {number}", track=kernel)
    make_proposal(speaker, title="Elsewhere")
    client.force_login(reviewer)

    first = client.get("/kvm-forum-2012/review/?track=kernel").content.decode()
    third = client.get("/kvm-forum-2012/review/?track=kernel&page=3").content.decode()
    beyond = client.get("/kvm-forum-2012/review/?track=kernel&page=99").content.decode()

    assert "Kernel 0" in first
    assert "Kernel 1" in first
    assert "Kernel 2" not in first
    assert "Page 1 of 3" in first
    assert 'href="?track=kernel&amp;page=2"' in first
    assert "Kernel 4" in third
    assert "Kernel 3" not in third
    assert 'href="?track=kernel&amp;page=2"' in third
    assert "Elsewhere" not in first
    assert "Elsewhere" not in third
    # Past the end: the last page, not an error.
    assert "Kernel 4" in beyond
    assert "You reviewed 0 of 6 proposals." in first
