"""Reviewing: who reviews which event, the review list, and saving a review.

The list is one query for the proposals (with each one's review count, the
reader's own review and, for organisers, the average and spread), whatever
the number of proposals.
"""

from django.db import transaction
from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext

from conference.admin_site import is_organiser
from proposals.models import Call, Proposal, Review, ReviewScore
from proposals.services import ProposalRefused
from proposals.states import State


def reviewable_call(*, user, event_slug):
    """The call of ``event_slug`` if ``user`` reviews it (or organises), else 404.

    A reviewer reaches only the events whose call names them; anyone else gets
    the same 404 as for an event without a call, so nothing tells them apart.
    """
    call = Call.objects.select_related("event").filter(event__slug=event_slug).first()
    if call is None or not user.is_authenticated:
        raise Http404("No call to review here.")
    if is_organiser(user):
        return call
    if user.has_perm("proposals.add_review") and call.reviewers.filter(pk=user.pk).exists():
        return call
    raise Http404("No call to review here.")


def is_own_proposal(*, proposal, user):
    return proposal.speakers.filter(user=user).exists()


def review_list(*, call, user, track=None, session_type=None, state=None, unreviewed=False):
    """The call's proposals for the review page, and ``(done, total)`` for the reader."""
    mine = Review.objects.filter(proposal=OuterRef("pk"), reviewer=user)
    base = Proposal.objects.filter(call=call).reviewable().exclude(speakers__user=user)
    totals = base.aggregate(total=Count("pk"), done=Count("pk", filter=Q(Exists(mine))))
    proposals = (
        base.select_related("track", "session_type")
        .annotate(
            reviewed_by_me=Exists(mine),
            review_count=Count("reviews", distinct=True),
            average=Avg("reviews__scores__score"),
            lowest=Min("reviews__scores__score"),
            highest=Max("reviews__scores__score"),
        )
        .order_by("created", "pk")
    )
    if track:
        proposals = proposals.filter(track__slug=track)
    if session_type:
        proposals = proposals.filter(session_type_id=session_type)
    if state:
        proposals = proposals.filter(state=state)
    if unreviewed:
        proposals = proposals.filter(reviewed_by_me=False)
    return proposals, (totals["done"], totals["total"])


def review_save(*, proposal, reviewer, form):
    """Save ``reviewer``'s review of ``proposal`` from a valid ``ReviewForm``, scores and all."""
    if is_own_proposal(proposal=proposal, user=reviewer):
        raise ProposalRefused(gettext("You cannot review your own proposal."))
    if proposal.state in (State.DRAFT, State.WITHDRAWN):
        raise ProposalRefused(gettext("This proposal is not up for review."))
    with transaction.atomic():
        review = form.save(commit=False)
        review.proposal, review.reviewer = proposal, reviewer
        review.save()
        for category, score in form.scores().items():
            ReviewScore.objects.update_or_create(
                review=review, category=category, defaults={"score": score}
            )
    return review
