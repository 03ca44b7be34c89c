"""The one rule of which state may follow which, read as a table."""

import pytest

from proposals.states import Actor, State, may_change, refusal

S, A = State, Actor
ALL = list(State)

# Every allowed change and who may make it; every other pair is refused to both.
ALLOWED = {
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
    (S.ACCEPTED, S.REJECTED): A.ORGANISER,
    (S.ACCEPTED, S.WAITING): A.ORGANISER,
    (S.ACCEPTED, S.CONFIRMED): A.SPEAKER,
    (S.ACCEPTED, S.DECLINED): A.SPEAKER,
    (S.ACCEPTED, S.WITHDRAWN): A.SPEAKER,
    (S.CONFIRMED, S.WITHDRAWN): A.SPEAKER,
}


@pytest.mark.parametrize("actor", list(Actor))
@pytest.mark.parametrize("to_state", ALL)
@pytest.mark.parametrize("from_state", ALL)
def test_state_change_allowed_exactly_as_the_table_says(from_state, to_state, actor):
    assert may_change(from_state, to_state, actor) == (ALLOWED.get((from_state, to_state)) == actor)


@pytest.mark.parametrize(
    ("from_state", "to_state", "actor", "message"),
    [
        (
            S.SUBMITTED,
            S.ACCEPTED,
            A.SPEAKER,
            "Only an organiser can make a submitted proposal accepted.",
        ),
        (
            S.ACCEPTED,
            S.CONFIRMED,
            A.ORGANISER,
            "Only the speaker can make an accepted proposal confirmed.",
        ),
        (
            S.WITHDRAWN,
            S.SUBMITTED,
            A.SPEAKER,
            "A proposal that is withdrawn cannot become submitted.",
        ),
        (
            S.DECLINED,
            S.CONFIRMED,
            A.SPEAKER,
            "A proposal that is declined cannot become confirmed.",
        ),
    ],
)
def test_refusal_says_who_may_or_that_nobody_may(from_state, to_state, actor, message):
    assert refusal(from_state, to_state, actor) == message
