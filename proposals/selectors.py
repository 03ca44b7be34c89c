"""Reads for the call's pages: the call, a speaker's own proposals, reviews, the filters."""

import uuid
from dataclasses import dataclass

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from proposals.models import Call, CoSpeakerInvitation, Proposal, ReviewScore
from proposals.states import State


def event_call(event):
    return (
        Call.objects.filter(event=event)
        .select_related("event")
        .prefetch_related("session_types", "tracks")
        .first()
    )


def new_submission_key():
    return uuid.uuid4()


def pending_invitations(proposal):
    """The co-speakers invited to ``proposal`` who have not accepted yet, oldest first."""
    return list(
        CoSpeakerInvitation.objects.filter(proposal=proposal, accepted__isnull=True).order_by(
            "created", "id"
        )
    )


def own_proposals(user):
    """Every proposal of the signed-in person at every event, newest event first."""
    return (
        Proposal.objects.filter(speakers__user=user)
        .select_related("call__event", "session_type", "track")
        .order_by("-call__event__start_date", "-created")
    )


def proposal_reviews(proposal):
    return (
        proposal.reviews.select_related("reviewer")
        .prefetch_related(
            Prefetch("scores", queryset=ReviewScore.objects.select_related("category"))
        )
        .order_by("created")
    )


@dataclass
class Answer:
    question: str
    answer: str


def proposal_answers(proposal):
    answers = proposal.answers or {}
    return [
        Answer(question.text, answers.get(str(question.pk), ""))
        for question in proposal.call.questions.all()
    ]


class ReviewFilterForm(forms.Form):
    track = forms.ChoiceField(required=False)
    session_type = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(
        required=False,
        choices=[("", _("Any state"))]
        + [(s.value, s.label) for s in State if s not in (State.DRAFT, State.WITHDRAWN)],
    )
    unreviewed = forms.BooleanField(required=False, label=_("Not yet reviewed by me"))

    def __init__(self, data, *, call):
        super().__init__(data)
        self.fields["track"].choices = [("", gettext("Any track"))] + [
            (track.slug, track.name) for track in call.tracks.all()
        ]
        self.fields["session_type"].choices = [("", gettext("Any type"))] + [
            (kind.pk, kind.name) for kind in call.session_types.all()
        ]
