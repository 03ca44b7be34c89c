"""Who may open what: every view and admin page, for every kind of visitor, as one table.

Five roles: an anonymous visitor; a speaker (an account linked to a speaker);
another speaker; an organiser (a member of the Organisers group, nothing
else); a superuser. Each row is a request and the exact answer each role gets:
a status, or a redirect with its exact Location. The cells are written down,
never computed from the code under test, so a changed rule is a changed row.
"""

import io
import re
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from api.models import ApiToken
from conference.admin_site import ORGANISERS_GROUP
from schedule.models import Talk
from speakers.models import Speaker
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    TrackFactory,
    UserFactory,
    venue_time,
)

ROLES = ["anonymous", "speaker", "other_speaker", "organiser", "superuser"]
PASSWORD = "correct horse battery staple"

# Cell markers for the redirects to a sign-in page, which carry the request's path back.
ADMIN_LOGIN = "admin login"
SIGN_IN = "sign in"


def redirect(location):
    return (302, location)


def everyone(expected):
    return dict.fromkeys(ROLES, expected)


def staff_only(*, organiser, superuser=200):
    """A page of the admin: people without a way in are sent to its sign-in page."""
    return {
        "anonymous": ADMIN_LOGIN,
        "speaker": ADMIN_LOGIN,
        "other_speaker": ADMIN_LOGIN,
        "organiser": organiser,
        "superuser": superuser,
    }


def signed_in(expected, *, anonymous=SIGN_IN, organiser=None, superuser=None):
    """A page of one's own account: anonymous visitors are asked to sign in first."""
    return {
        "anonymous": anonymous,
        "speaker": expected,
        "other_speaker": expected,
        "organiser": expected if organiser is None else organiser,
        "superuser": expected if superuser is None else superuser,
    }


BOARD = "/admin/schedule/talk/board/{event}"
MOVE = {
    "talk": "{keynote}",
    "room": "{hall}",
    "day": "2012-11-07",
    "start": "15:00",
    "seen_updated": "{keynote_updated}",
    "board_day": "2012-11-07",
}
SWAP = {
    "first": "{keynote}",
    "second": "{block_layer}",
    "seen_first": "{keynote_updated}",
    "seen_second": "{block_layer_updated}",
    "board_day": "2012-11-07",
}
PROGRAMME_MODELS = ["conference/event", "conference/room", "conference/track", "schedule/talk"]
OBJECT_OF = {
    "conference/event": "{event}",
    "conference/room": "{hall}",
    "conference/track": "{kernel}",
    "schedule/talk": "{keynote}",
    "speakers/speaker": "{kevin}",
    "auth/user": "{kevin_user}",
    "auth/group": "{organisers}",
}
SPEAKER_FORM = {
    "name": "Kevin Wolf",
    "slug": "kevin-wolf",
    "email": "attacker@example.org",
    "user": "{root}",
    "links-TOTAL_FORMS": "0",
    "links-INITIAL_FORMS": "0",
}
NEW_SPEAKER_FORM = {**SPEAKER_FORM, "name": "Eve", "slug": "eve"}
AXES_MODELS = ["axes/accessattempt", "axes/accesslog", "axes/accessfailurelog"]
MAILER_MODELS = ["mailer/message", "mailer/messagelog", "mailer/dontsendentry"]

# (method, url, data, {role: expected})
TABLE = [
    # Public pages and files: the same for everyone.
    *[
        ("GET", url, None, everyone(200))
        for url in [
            "/",
            "/sitemap.xml",
            "/kvm-forum-2012/",
            "/kvm-forum-2012/schedule/",
            "/kvm-forum-2012/schedule/?day=2012-11-07",
            "/kvm-forum-2012/schedule.ics",
            "/kvm-forum-2012/schedule.xml",
            "/kvm-forum-2012/schedule.json",
            "/kvm-forum-2012/talks/keynote/",
            "/kvm-forum-2012/talks/keynote.ics",
            "/kvm-forum-2012/speakers/",
            "/kvm-forum-2012/speakers/avi-kivity/",
            "/kvm-forum-2012/speakers/kevin-wolf/",
            "/media/{photo}",
        ]
    ],
    # What is not public is not there, whoever asks.
    *[
        ("GET", url, None, everyone(404))
        for url in [
            "/draft-2013/",
            "/draft-2013/schedule/",
            "/draft-2013/schedule.ics",
            "/draft-2013/schedule.xml",
            "/draft-2013/schedule.json",
            "/draft-2013/talks/secret-plans/",
            "/draft-2013/speakers/",
            "/kvm-forum-2012/talks/unpublished-talk/",
            "/kvm-forum-2012/talks/unpublished-talk.ics",
            "/kvm-forum-2012/speakers/no-such-speaker/",
            "/media/speakers/photos/missing.jpg",
            "/media/..%2F..%2Fconference%2Fsettings.py",
        ]
    ],
    # Speakers' accounts.
    (
        "GET",
        "/accounts/login/",
        None,
        signed_in(redirect("/accounts/profile/"), anonymous=200),
    ),
    ("GET", "/accounts/logout/", None, everyone(405)),
    ("POST", "/accounts/logout/", {}, everyone(redirect("/accounts/login/"))),
    ("GET", "/accounts/invitation/", None, everyone(400)),
    ("GET", "/accounts/invitation/?token=forged", None, everyone(400)),
    ("POST", "/accounts/invitation/?token=forged", {}, everyone(400)),
    ("GET", "/accounts/password/set/", None, signed_in(redirect("/accounts/password/change/"))),
    ("GET", "/accounts/password/change/", None, signed_in(200)),
    ("GET", "/accounts/password/change/done/", None, signed_in(200)),
    ("GET", "/accounts/password/reset/", None, everyone(200)),
    ("GET", "/accounts/password/reset/sent/", None, everyone(200)),
    ("GET", "/accounts/password/reset/MQ/forged-token/", None, everyone(200)),
    ("GET", "/accounts/password/reset/done/", None, everyone(200)),
    # The profile is the signed-in person's own: no id in the address, 404 without one.
    ("GET", "/accounts/profile/", None, signed_in(200, organiser=404, superuser=404)),
    (
        "GET",
        "/accounts/profile/?speaker={kevin}&id={kevin}&pk={kevin}",
        None,
        signed_in(200, organiser=404, superuser=404),
    ),
    ("GET", "/accounts/profile/{kevin}/", None, everyone(404)),
    # The admin site.
    ("GET", "/admin/", None, staff_only(organiser=200)),
    (
        "GET",
        "/admin/login/",
        None,
        {
            "anonymous": 200,
            "speaker": 200,
            "other_speaker": 200,
            "organiser": redirect("/admin/"),
            "superuser": redirect("/admin/"),
        },
    ),
    (
        "POST",
        "/admin/logout/",
        {},
        {
            "anonymous": redirect("/admin/"),
            "speaker": redirect("/admin/"),
            "other_speaker": redirect("/admin/"),
            # Signed out, then sent where LOGOUT_REDIRECT_URL says.
            "organiser": redirect("/accounts/login/"),
            "superuser": redirect("/accounts/login/"),
        },
    ),
    ("GET", "/admin/password_change/", None, staff_only(organiser=200)),
    ("GET", "/admin/jsi18n/", None, staff_only(organiser=200)),
    *[
        ("GET", f"/admin/{app}/", None, staff_only(organiser=200))
        for app in ["conference", "schedule", "speakers"]
    ],
    *[("GET", f"/admin/{app}/", None, staff_only(organiser=404)) for app in ["auth", "axes"]],
    # Every model of the programme: organisers may do everything with it.
    *[
        ("GET", f"/admin/{model}/{page}", None, staff_only(organiser=200))
        for model in [*PROGRAMME_MODELS, "speakers/speaker"]
        for page in [
            "",
            "add/",
            OBJECT_OF[model] + "/change/",
            OBJECT_OF[model] + "/history/",
            OBJECT_OF[model] + "/delete/",
        ]
    ],
    (
        "GET",
        "/admin/conference/event/999999/change/",
        None,
        staff_only(organiser=redirect("/admin/"), superuser=redirect("/admin/")),
    ),
    (
        "POST",
        "/admin/speakers/speaker/{kevin}/change/",
        {"name": "Changed by someone"},
        staff_only(organiser=200),
    ),
    (
        "POST",
        "/admin/speakers/speaker/{kevin}/delete/",
        {"post": "yes"},
        staff_only(
            organiser=redirect("/admin/speakers/speaker/"),
            superuser=redirect("/admin/speakers/speaker/"),
        ),
    ),
    # A speaker's account is made by the invitation or chosen by a superuser: an organiser's
    # post naming one (here the superuser's) saves the rest; see the tests below.
    *[
        (
            "POST",
            url,
            data,
            staff_only(
                organiser=redirect("/admin/speakers/speaker/"),
                superuser=redirect("/admin/speakers/speaker/"),
            ),
        )
        for url, data in [
            ("/admin/speakers/speaker/{kevin}/change/", SPEAKER_FORM),
            ("/admin/speakers/speaker/add/", NEW_SPEAKER_FORM),
            ("/admin/speakers/speaker/", {"action": "invite", "_selected_action": "{kevin}"}),
        ]
    ],
    # The call for proposals (its own pages and roles: tests/proposals/test_permissions.py).
    *[
        ("GET", f"/admin/proposals/{model}/", None, staff_only(organiser=200))
        for model in ["call", "proposal"]
    ],
    # Accounts and groups are the superuser's: an organiser cannot grant themselves more.
    *[
        ("GET", f"/admin/{model}/{page}", None, staff_only(organiser=403))
        for model in ["auth/user", "auth/group"]
        for page in ["", "add/", OBJECT_OF[model] + "/change/", OBJECT_OF[model] + "/delete/"]
    ],
    ("GET", "/admin/auth/user/{kevin_user}/password/", None, staff_only(organiser=403)),
    (
        "POST",
        "/admin/auth/user/{kevin_user}/change/",
        {"username": "kevin", "is_superuser": "on", "is_staff": "on"},
        staff_only(organiser=403),
    ),
    # Sign-in records (django-axes): read by the superuser, written only by the site.
    *[("GET", f"/admin/{model}/", None, staff_only(organiser=403)) for model in AXES_MODELS],
    *[
        ("GET", f"/admin/{model}/add/", None, staff_only(organiser=403, superuser=403))
        for model in AXES_MODELS
    ],
    # The outbox (django-mailer): the superuser's, like the mail server's settings.
    ("GET", "/admin/mailer/", None, staff_only(organiser=404)),
    *[("GET", f"/admin/{model}/", None, staff_only(organiser=403)) for model in MAILER_MODELS],
    # Personal API tokens: each organiser makes their own in the admin.
    ("GET", "/admin/api/apitoken/", None, staff_only(organiser=200)),
    ("GET", "/admin/api/apitoken/add/", None, staff_only(organiser=200)),
    # ... or on their account page, which is theirs alone and no speaker's.
    ("GET", "/accounts/tokens/", None, signed_in(403, organiser=200, superuser=200)),
    ("POST", "/accounts/tokens/", {"name": ""}, signed_in(403, organiser=200, superuser=200)),
    (
        "GET",
        "/accounts/tokens/{root_token}/revoke/",
        None,
        signed_in(405),
    ),
    (
        "POST",
        "/accounts/tokens/{root_token}/revoke/",
        {},
        signed_in(403, organiser=404, superuser=redirect("/accounts/tokens/")),
    ),
    # The API reads the public schedule for everyone; a session is no API token, so a
    # draft event stays hidden and a write is refused whoever is signed in.
    ("GET", "/api/v1/events/kvm-forum-2012/talks/", None, everyone(200)),
    ("GET", "/api/v1/events/draft-2013/", None, everyone(404)),
    # Releases are public, as the changelog is; none is made or changed through the API.
    ("GET", "/api/v1/events/kvm-forum-2012/releases/", None, everyone(200)),
    ("POST", "/api/v1/events/kvm-forum-2012/releases/", {"name": "x"}, everyone(405)),
    ("POST", "/api/v1/events/kvm-forum-2012/rooms/", {"name": "Loft"}, everyone(401)),
    # The schedule board.
    (
        "GET",
        BOARD + "/",
        None,
        staff_only(
            organiser=redirect(BOARD + "/2012-11-07/"), superuser=redirect(BOARD + "/2012-11-07/")
        ),
    ),
    ("GET", BOARD + "/2012-11-07/", None, staff_only(organiser=200)),
    ("GET", "/admin/schedule/talk/board/{draft}/2013-03-01/", None, staff_only(organiser=200)),
    ("GET", BOARD + "/2013-01-01/", None, staff_only(organiser=404, superuser=404)),
    ("GET", BOARD + "/not-a-day/", None, staff_only(organiser=404, superuser=404)),
    ("GET", "/admin/schedule/talk/board/999999/", None, staff_only(organiser=404, superuser=404)),
    ("GET", BOARD + "/move/", None, staff_only(organiser=405, superuser=405)),
    ("GET", BOARD + "/swap/", None, staff_only(organiser=405, superuser=405)),
    # Releasing the schedule: its page per event, and the past releases, read only.
    ("GET", "/admin/schedule/release/", None, staff_only(organiser=200)),
    ("GET", "/admin/schedule/release/event/{event}/", None, staff_only(organiser=200)),
    (
        "GET",
        "/admin/schedule/release/event/999999/",
        None,
        staff_only(organiser=404, superuser=404),
    ),
    # A post without the stamp of the changes it was shown is answered by the form.
    ("POST", "/admin/schedule/release/event/{event}/", {"name": "x"}, staff_only(organiser=200)),
    (
        "POST",
        BOARD + "/move/",
        MOVE,
        staff_only(
            organiser=redirect(BOARD + "/2012-11-07/#talk-{keynote}"),
            superuser=redirect(BOARD + "/2012-11-07/#talk-{keynote}"),
        ),
    ),
    (
        "POST",
        BOARD + "/swap/",
        SWAP,
        staff_only(
            organiser=redirect(BOARD + "/2012-11-07/#talk-{keynote}"),
            superuser=redirect(BOARD + "/2012-11-07/#talk-{keynote}"),
        ),
    ),
]


def _cases():
    for method, url, data, expectations in TABLE:
        assert set(expectations) == set(ROLES), url
        for role in ROLES:
            yield pytest.param(
                role, method, url, data, expectations[role], id=f"{role}-{method}-{url}"
            )


CASES = list(_cases())


@pytest.fixture
def world(db, organiser):
    """Two events (one a draft), two speakers with accounts, and what the table's rows name."""
    event = EventFactory(slug="kvm-forum-2012", name="KVM Forum 2012")
    draft = EventFactory(
        slug="draft-2013",
        is_published=False,
        start_date="2013-03-01",
        end_date="2013-03-01",
    )
    hall = RoomFactory(event=event, name="Hall", slug="hall")
    kernel = TrackFactory(event=event, name="Kernel", slug="kernel")
    avi = SpeakerFactory(
        name="Avi Kivity",
        slug="avi-kivity",
        email="avi@example.org",
        user=UserFactory(username="avi"),
    )
    kevin = SpeakerFactory(
        name="Kevin Wolf",
        slug="kevin-wolf",
        email="kevin@example.org",
        bio="Block layer.",
        user=UserFactory(username="kevin"),
    )
    keynote = TalkFactory(
        event=event,
        slug="keynote",
        title="Keynote",
        room=hall,
        track=kernel,
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 9, 30),
        speakers=[avi],
    )
    block_layer = TalkFactory(
        event=event,
        slug="block-layer",
        title="Block layer",
        room=hall,
        start=venue_time(event, 2012, 11, 7, 10, 0),
        end=venue_time(event, 2012, 11, 7, 10, 30),
        speakers=[kevin],
    )
    TalkFactory(event=event, slug="unpublished-talk", is_published=False, speakers=[avi])
    TalkFactory(
        event=draft,
        slug="secret-plans",
        start=venue_time(draft, 2013, 3, 1, 9, 0),
        end=venue_time(draft, 2013, 3, 1, 9, 30),
        speakers=[kevin],
    )
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 120, 200)).save(buffer, "JPEG")
    photo = default_storage.save("speakers/photos/table.jpg", ContentFile(buffer.getvalue()))
    superuser = get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    users = {
        "anonymous": None,
        "speaker": avi.user,
        "other_speaker": kevin.user,
        "organiser": organiser,
        "superuser": superuser,
    }
    names = {
        "event": event.pk,
        "draft": draft.pk,
        "hall": hall.pk,
        "kernel": kernel.pk,
        "keynote": keynote.pk,
        "keynote_updated": keynote.updated.isoformat(),
        "block_layer": block_layer.pk,
        "block_layer_updated": block_layer.updated.isoformat(),
        "avi": avi.pk,
        "kevin": kevin.pk,
        "kevin_user": kevin.user.pk,
        "root": superuser.pk,
        "root_token": ApiToken.issue(user=superuser, name="root's scripts")[0].pk,
        "organisers": Group.objects.get(name=ORGANISERS_GROUP).pk,
        "photo": photo,
    }
    return {"users": users, "names": names}


def expected_answer(expected, url):
    if expected == ADMIN_LOGIN:
        return (302, f"/admin/login/?next={quote(url, safe='/')}")
    if expected == SIGN_IN:
        return (302, f"/accounts/login/?next={quote(url, safe='/')}")
    return expected


@pytest.mark.parametrize(("role", "method", "url", "data", "expected"), CASES)
def test_role_gets_exactly_the_expected_answer(client, world, role, method, url, data, expected):
    names = world["names"]
    url = url.format(**names)
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, {key: value.format(**names) for key, value in data.items()})

    expected = expected_answer(expected, url)
    if isinstance(expected, tuple):
        status, location = expected
        assert (response.status_code, response.get("Location")) == (
            status,
            location.format(**names),
        )
    else:
        assert (response.status_code, response.get("Location")) == (expected, None)


def test_table_covers_every_role_and_every_admin_model():
    admin_urls = {url for _, url, _, _ in TABLE if url.startswith("/admin/")}
    for model in admin.site._registry:
        changelist = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert changelist in admin_urls, f"{changelist} is missing from the table"
    assert len(CASES) == len(TABLE) * len(ROLES)


# A speaker reaches nobody else's data ------------------------------------------


def test_profile_shows_only_the_signed_in_speakers_own_data_whatever_the_query(client, world):
    client.force_login(world["users"]["speaker"])
    kevin = world["names"]["kevin"]

    response = client.get(f"/accounts/profile/?speaker={kevin}&id={kevin}&pk={kevin}")

    content = response.content.decode()
    assert response.context["speaker"].slug == "avi-kivity"
    assert 'value="Avi Kivity"' in content
    assert "Kevin Wolf" not in content
    assert "Block layer." not in content
    assert "kevin@example.org" not in content


def test_speaker_cannot_change_another_speaker_through_the_admin(client, world):
    client.force_login(world["users"]["speaker"])
    kevin = world["names"]["kevin"]

    response = client.post(
        f"/admin/speakers/speaker/{kevin}/change/",
        {"name": "Hacked", "slug": "hacked", "bio": "Hacked", "user": world["names"]["avi"]},
    )
    deleted = client.post(f"/admin/speakers/speaker/{kevin}/delete/", {"post": "yes"})

    assert response.status_code == deleted.status_code == 302
    kevin = Speaker.objects.get(pk=kevin)
    assert (kevin.name, kevin.slug, kevin.bio, kevin.user.username) == (
        "Kevin Wolf",
        "kevin-wolf",
        "Block layer.",
        "kevin",
    )


def test_speaker_cannot_move_talks_on_the_board(client, world):
    client.force_login(world["users"]["speaker"])
    names = world["names"]

    client.post(
        f"/admin/schedule/talk/board/{names['event']}/move/",
        {key: value.format(**names) for key, value in MOVE.items()},
    )

    keynote = Talk.objects.get(pk=names["keynote"])
    assert keynote.start == venue_time(keynote.event, 2012, 11, 7, 9, 0)


def test_organiser_cannot_make_anyone_a_superuser(client, world):
    client.force_login(world["users"]["organiser"])
    kevin_user = world["names"]["kevin_user"]

    client.post(
        f"/admin/auth/user/{kevin_user}/change/",
        {"username": "kevin", "is_superuser": "on", "is_staff": "on"},
    )

    user = get_user_model().objects.get(pk=kevin_user)
    assert (user.is_superuser, user.is_staff) == (False, False)


# An organiser does not become someone else ------------------------------------


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/admin/speakers/speaker/{kevin}/change/", SPEAKER_FORM),
        ("/admin/speakers/speaker/add/", NEW_SPEAKER_FORM),
    ],
    ids=["change", "add"],
)
def test_organiser_cannot_attach_a_speaker_to_the_superusers_account(client, world, url, data):
    names = world["names"]
    client.force_login(world["users"]["organiser"])

    client.post(url.format(**names), {key: value.format(**names) for key, value in data.items()})

    speaker = Speaker.objects.get(email="attacker@example.org")
    assert speaker.user is None or speaker.user.username == "kevin"
    assert not Speaker.objects.filter(user__username="root").exists()


def test_organiser_cannot_take_over_an_account_without_email_through_an_invitation(client, world):
    # The whole attack: link a speaker to the superuser's account, give it one's address, invite.
    boss = get_user_model().objects.create_superuser("boss", "", PASSWORD)
    names = world["names"]
    client.force_login(world["users"]["organiser"])
    speaker = SpeakerFactory(name="Eve", slug="eve")

    client.post(
        f"/admin/speakers/speaker/{speaker.pk}/change/",
        {
            **{key: value.format(**names) for key, value in NEW_SPEAKER_FORM.items()},
            "user": boss.pk,
        },
    )
    response = client.post(
        "/admin/speakers/speaker/",
        {"action": "invite", "_selected_action": [speaker.pk]},
        follow=True,
    )

    boss.refresh_from_db()
    assert boss.email == ""
    assert not hasattr(boss, "speaker")
    assert "Invited 1 speaker, 1 new account(s)." in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["attacker@example.org"]
    invited = Client()
    invited.post(re.search(r"http://testserver(/accounts/invitation/\S+)", message.body).group(1))
    account = get_user_model().objects.get(pk=invited.session["_auth_user_id"])
    assert (account.username, account.is_staff, account.is_superuser) == ("eve", False, False)
    assert list(account.groups.all()) == []
    mail.outbox.clear()
    Client().post("/accounts/password/reset/", {"email": "attacker@example.org"})
    assert [message.to for message in mail.outbox] == []


def test_organiser_cannot_link_a_privileged_account_by_its_email_address(client, world):
    names = world["names"]
    client.force_login(world["users"]["organiser"])
    speaker = SpeakerFactory(name="Eve", slug="eve", email="root@example.org")

    client.post(
        "/admin/speakers/speaker/",
        {"action": "invite", "_selected_action": [speaker.pk]},
    )

    speaker.refresh_from_db()
    assert speaker.user.username == "eve"
    assert not Speaker.objects.filter(user=names["root"]).exists()


def test_no_sign_in_link_for_a_privileged_account_a_superuser_linked(client, world):
    names = world["names"]
    Speaker.objects.filter(pk=names["kevin"]).update(user=names["root"])
    client.force_login(world["users"]["organiser"])

    response = client.post(
        "/admin/speakers/speaker/",
        {"action": "invite", "_selected_action": [names["kevin"]]},
        follow=True,
    )

    assert "Skipped Kevin Wolf: its account has admin rights" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "path",
    [
        "/kvm-forum-2012/speakers/",
        "/kvm-forum-2012/speakers/kevin-wolf/",
        "/kvm-forum-2012/talks/block-layer/",
        "/kvm-forum-2012/schedule.ics",
        "/kvm-forum-2012/schedule.xml",
        "/kvm-forum-2012/schedule.json",
    ],
)
def test_public_pages_never_show_a_speakers_email_or_account(client, world, path):
    client.force_login(world["users"]["speaker"])

    content = client.get(path).content.decode()

    assert "kevin@example.org" not in content
    assert "avi@example.org" not in content
    assert "/admin/" not in content
