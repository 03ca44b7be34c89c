"""Who may open what of the call for proposals: every page, for every role, as one table.

Six roles: an anonymous visitor; the speaker who made the proposal; another
speaker; a reviewer of this event (Reviewers group, named by the call); an
organiser; a superuser. The cells are written down, never computed.
"""

import pytest
from django.contrib.auth.models import Group
from django.core import signing

from proposals.decisions import CONFIRM_SALT
from proposals.models import Call, CoSpeakerInvitation
from proposals.states import State
from tests.factories import EventFactory, SpeakerFactory, UserFactory

ROLES = ["anonymous", "speaker", "other_speaker", "reviewer", "organiser", "superuser"]
SIGN_IN = "sign in"


def everyone(expected):
    return dict.fromkeys(ROLES, expected)


def signed_in(expected, **overrides):
    return {"anonymous": SIGN_IN} | dict.fromkeys(ROLES[1:], expected) | overrides


REVIEWERS_ONLY = {
    "anonymous": SIGN_IN,
    "speaker": 404,
    "other_speaker": 404,
    "reviewer": 200,
    "organiser": 200,
    "superuser": 200,
}
OWNER_ONLY = signed_in(404, speaker=200)

TABLE = [
    ("GET", "/kvm-forum-2012/cfp/", everyone(200)),
    ("GET", "/draft-2013/cfp/", everyone(404)),
    ("GET", "/kvm-forum-2012/cfp/submit/", everyone(200)),
    ("GET", "/kvm-forum-2012/cfp/sign-in/?token=forged", everyone(400)),
    ("GET", "/kvm-forum-2012/cfp/answer/{token}/", everyone(200)),
    ("GET", "/kvm-forum-2012/cfp/answer/forged/", everyone(404)),
    ("GET", "/other-2013/cfp/answer/{token}/", everyone(404)),
    ("GET", "/accounts/proposals/", signed_in(200)),
    ("GET", "/accounts/proposals/{proposal}/", OWNER_ONLY),
    ("POST", "/accounts/proposals/{proposal}/withdraw/", signed_in(404, speaker=302)),
    # An empty invitation form is refused with what is missing.
    ("POST", "/accounts/proposals/{proposal}/co-speakers/", signed_in(404, speaker=400)),
    # Only the invitee's link (or the invitee signed in) opens an invitation.
    ("GET", "/kvm-forum-2012/cfp/invitation/{invitation}/", everyone(400)),
    ("POST", "/kvm-forum-2012/cfp/invitation/{invitation}/", everyone(400)),
    ("GET", "/other-2013/cfp/invitation/{invitation}/", everyone(404)),
    ("GET", "/kvm-forum-2012/review/", REVIEWERS_ONLY),
    ("GET", "/kvm-forum-2012/review/{proposal}/", REVIEWERS_ONLY),
    ("GET", "/kvm-forum-2012/review/{draft_proposal}/", signed_in(404)),
    # A reviewer of one event reaches no other event's reviews.
    ("GET", "/other-2013/review/", signed_in(404, organiser=200, superuser=200)),
    ("GET", "/admin/proposals/call/", {**signed_in(302), "organiser": 200, "superuser": 200}),
    ("GET", "/admin/proposals/proposal/", {**signed_in(302), "organiser": 200, "superuser": 200}),
]


def _cases():
    for method, url, expectations in TABLE:
        assert set(expectations) == set(ROLES), url
        for role in ROLES:
            yield pytest.param(role, method, url, expectations[role], id=f"{role}-{method}-{url}")


@pytest.fixture
def world(call, make_proposal, speaker, other_speaker, reviewer, organiser, superuser):

    EventFactory(slug="draft-2013", is_published=False)
    other = EventFactory(slug="other-2013")
    Call.objects.create(event=other, opens=call.opens, closes=call.closes)
    proposal = make_proposal(speaker)
    draft = make_proposal(speaker, title="Draft", state=State.DRAFT)
    SpeakerFactory(user=UserFactory(username="nobody"))
    invitee = SpeakerFactory(email="paolo@example.org", user=UserFactory(username="paolo"))
    invitation = CoSpeakerInvitation.objects.create(
        proposal=proposal, email=invitee.email, invitee=invitee, invited_by=speaker
    )
    users = {
        "anonymous": None,
        "speaker": speaker.user,
        "other_speaker": other_speaker.user,
        "reviewer": reviewer,
        "organiser": organiser,
        "superuser": superuser,
    }
    names = {
        "proposal": proposal.uuid,
        "draft_proposal": draft.uuid,
        "invitation": invitation.uuid,
        "token": signing.dumps(str(proposal.uuid), salt=CONFIRM_SALT),
    }
    assert Group.objects.filter(name="Reviewers").exists()
    return {"users": users, "names": names}


@pytest.mark.parametrize(("role", "method", "url", "expected"), list(_cases()))
def test_role_gets_exactly_the_expected_answer(client, world, role, method, url, expected):
    url = url.format(**world["names"])
    if world["users"][role] is not None:
        client.force_login(world["users"][role])

    response = client.get(url) if method == "GET" else client.post(url, {})

    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"].startswith(("/accounts/login/?next=", "/admin/login/?next="))
    else:
        assert response.status_code == expected


def test_reviewers_group_has_only_the_permissions_reviewers_need(db):
    codenames = sorted(
        Group.objects.get(name="Reviewers").permissions.values_list("codename", flat=True)
    )

    assert codenames == ["add_review", "change_review", "view_proposal", "view_review"]
