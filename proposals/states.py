"""The states of a proposal and the one rule of which state may follow which.

Every change of state anywhere (the speaker's pages, the admin's actions, the
confirmation link) asks ``may_change`` first; the table below is the whole rule,
and its test reads it row by row.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WAITING = "waiting", _("Waiting list")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class Actor(models.TextChoices):
    SPEAKER = "speaker", _("the speaker")
    ORGANISER = "organiser", _("an organiser")


S, A = State, Actor

# (from, to) -> who may make that change. Anything not listed is refused.
TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED): A.SPEAKER,
    (S.DRAFT, S.WITHDRAWN): A.SPEAKER,
    (S.SUBMITTED, S.WITHDRAWN): A.SPEAKER,
    (S.SUBMITTED, S.ACCEPTED): A.ORGANISER,
    (S.SUBMITTED, S.REJECTED): A.ORGANISER,
    (S.SUBMITTED, S.WAITING): A.ORGANISER,
    (S.WAITING, S.ACCEPTED): A.ORGANISER,
    (S.WAITING, S.REJECTED): A.ORGANISER,
    (S.WAITING, S.WITHDRAWN): A.SPEAKER,
    (S.REJECTED, S.ACCEPTED): A.ORGANISER,
    (S.REJECTED, S.WAITING): A.ORGANISER,
    # Before the speaker answers, organisers may still change their mind.
    (S.ACCEPTED, S.REJECTED): A.ORGANISER,
    (S.ACCEPTED, S.WAITING): A.ORGANISER,
    (S.ACCEPTED, S.CONFIRMED): A.SPEAKER,
    (S.ACCEPTED, S.DECLINED): A.SPEAKER,
    (S.ACCEPTED, S.WITHDRAWN): A.SPEAKER,
    (S.CONFIRMED, S.WITHDRAWN): A.SPEAKER,
}

# States in which the speaker may still edit the proposal (until the deadline).
EDITABLE = frozenset({S.DRAFT, S.SUBMITTED})
# Decisions organisers take in the admin, each with its mail template.
DECISIONS = (S.ACCEPTED, S.REJECTED, S.WAITING)


def may_change(from_state, to_state, actor):
    """Whether ``actor`` may move a proposal from ``from_state`` to ``to_state``."""
    return TRANSITIONS.get((State(from_state), State(to_state))) == actor


def refusal(from_state, to_state, actor):
    """Why the change is refused, in words for the person who tried it."""
    allowed_by = TRANSITIONS.get((State(from_state), State(to_state)))
    before, after = State(from_state).label.lower(), State(to_state).label.lower()
    if allowed_by is None:
        return gettext("A proposal that is %(before)s cannot become %(after)s.") % {
            "before": before,
            "after": after,
        }
    values = {"actor": Actor(allowed_by).label, "before": before, "after": after}
    if before[0] in "aeiou":
        return gettext("Only %(actor)s can make an %(before)s proposal %(after)s.") % values
    return gettext("Only %(actor)s can make a %(before)s proposal %(after)s.") % values
