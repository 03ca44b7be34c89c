"""An organiser's API tokens on their account page: created and shown once, listed, revoked."""

import datetime
import re

import pytest
from django.utils import timezone

from api.models import ApiToken
from tests.factories import SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/accounts/tokens/"


def shown_token(response):
    found = re.search(
        r'<code class="user-select-all fs-6" id="new-token">(conf_[\w-]+)</code>',
        response.content.decode(),
    )
    return found and found.group(1)


def rows(response):
    """The token table as (name, hint, last used, state) per row, as a reader sees it."""
    html = response.content.decode()
    body = html.partition("<tbody>")[2].partition("</tbody>")[0]
    result = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S):
        cells = [re.sub(r"<[^>]+>", " ", cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        cells = [" ".join(cell.split()) for cell in cells]
        result.append((cells[0], cells[1], cells[3], cells[4]))
    return result


def test_an_organiser_creates_a_token_sees_it_once_and_it_works(organiser_client, api, organiser):
    response = organiser_client.post(PAGE, {"name": "video pipeline"})

    token = shown_token(response)
    assert token is not None
    assert token.startswith("conf_")
    assert "no-store" in response["Cache-Control"]
    stored = ApiToken.objects.get(user=organiser)
    assert (stored.name, stored.hint) == ("video pipeline", token[:12])
    assert token not in stored.hashed_token
    assert f'curl -H "Authorization: Bearer {token}" http://testserver/api/v1/events/' in (
        response.content.decode()
    )
    # Shown once: the next visit lists it by its first characters only.
    again = organiser_client.get(PAGE)
    assert token not in again.content.decode()
    assert rows(again) == [("video pipeline", f"{token[:12]}…", "never", "Revoke “video pipeline”")]
    # And a script can use it at once.
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/events/").status_code == 200
    stored.refresh_from_db()
    assert stored.last_used is not None


def test_the_list_shows_only_ones_own_tokens_newest_first_with_last_use(
    organiser_client, organiser
):
    old, _ = ApiToken.issue(user=organiser, name="signage")
    ApiToken.objects.filter(pk=old.pk).update(
        created=datetime.datetime(2012, 11, 1, 8, 0, tzinfo=datetime.UTC),
        last_used=datetime.datetime(2012, 11, 7, 9, 30, tzinfo=datetime.UTC),
    )
    new, _ = ApiToken.issue(user=organiser, name="video")
    gone, _ = ApiToken.issue(user=organiser, name="laptop")
    ApiToken.objects.filter(pk=gone.pk).update(
        created=datetime.datetime(2012, 10, 1, 8, 0, tzinfo=datetime.UTC),
        revoked=datetime.datetime(2012, 10, 2, 17, 5, tzinfo=datetime.UTC),
    )
    other = UserFactory(username="other-organiser", is_staff=True)
    ApiToken.issue(user=other, name="someone else's")

    response = organiser_client.get(PAGE)

    assert rows(response) == [
        ("video", f"{new.hint}…", "never", "Revoke “video”"),
        ("signage", f"{old.hint}…", "7 Nov 2012, 09:30", "Revoke “signage”"),
        ("laptop", f"{gone.hint}…", "never", "revoked 2 Oct 2012, 17:05"),
    ]
    assert "Created (UTC)" in response.content.decode()
    assert "someone else" not in response.content.decode()


def test_a_token_is_revoked_and_refused_from_then_on(organiser_client, api, organiser):
    row, token = ApiToken.issue(user=organiser, name="old laptop")

    response = organiser_client.post(f"{PAGE}{row.pk}/revoke/", follow=True)

    assert response.redirect_chain == [(PAGE, 302)]
    assert "Revoked “old laptop”: requests that send it are refused from now on." in (
        response.content.decode()
    )
    row.refresh_from_db()
    assert row.revoked is not None
    assert row.revoked <= timezone.now()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/events/").status_code == 401
    # A second revoke (another tab) says so and keeps the first time.
    first = row.revoked
    again = organiser_client.post(f"{PAGE}{row.pk}/revoke/", follow=True)
    assert "“old laptop” was already revoked." in again.content.decode()
    row.refresh_from_db()
    assert row.revoked == first


def test_another_organisers_token_cannot_be_revoked(organiser_client):
    other = UserFactory(username="other-organiser", is_staff=True)
    row, _ = ApiToken.issue(user=other, name="theirs")

    response = organiser_client.post(f"{PAGE}{row.pk}/revoke/")

    assert response.status_code == 404
    row.refresh_from_db()
    assert row.is_active


def test_revoking_needs_a_post(organiser_client, organiser):
    row, _ = ApiToken.issue(user=organiser, name="scripts")

    assert organiser_client.get(f"{PAGE}{row.pk}/revoke/").status_code == 405
    row.refresh_from_db()
    assert row.is_active


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 101, "Ensure this value has at most 100 characters (it has 101)."),
        ("Scripts", "You already have a token named “Scripts”: choose another name, or revoke"),
    ],
)
def test_a_bad_name_is_refused_with_a_message_and_no_token(
    organiser_client, organiser, name, message
):
    ApiToken.issue(user=organiser, name="scripts")

    response = organiser_client.post(PAGE, {"name": name})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert shown_token(response) is None
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["scripts"]


def test_a_revoked_tokens_name_may_be_used_again(organiser_client, organiser):
    ApiToken.issue(user=organiser, name="scripts")[0].revoke()

    response = organiser_client.post(PAGE, {"name": "scripts"})

    assert shown_token(response) is not None
    assert ApiToken.objects.active().filter(name="scripts").count() == 1


def test_token_names_are_escaped(organiser_client, organiser):
    ApiToken.issue(user=organiser, name="<script>alert(1)</script>")

    html = organiser_client.get(PAGE).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_speaker_who_is_no_organiser_is_told_tokens_are_for_organisers(client):
    speaker = SpeakerFactory(name="Avi", slug="avi", user=UserFactory(username="avi"))
    client.force_login(speaker.user)

    page = client.get(PAGE)
    created = client.post(PAGE, {"name": "mine"})

    assert page.status_code == created.status_code == 403
    assert "API tokens are for organisers" in page.content.decode()
    assert not ApiToken.objects.exists()
    # The profile does not offer the page.
    assert "/accounts/tokens/" not in client.get("/accounts/profile/").content.decode()


def test_anonymous_visitors_are_asked_to_sign_in(client):
    response = client.get(PAGE)

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/accounts/tokens/",
    )


def test_the_account_pages_link_to_the_tokens_for_organisers(organiser_client, organiser):
    # An organiser without a speaker profile, and one with.
    missing = organiser_client.get("/accounts/profile/")
    assert missing.status_code == 404
    assert '<a href="/accounts/tokens/">API tokens</a>' in missing.content.decode()
    SpeakerFactory(name="Org", slug="org", user=organiser)
    profile = organiser_client.get("/accounts/profile/").content.decode()
    assert 'href="/accounts/tokens/">API tokens</a>' in profile


@pytest.mark.parametrize("count", [1, 10])
def test_the_token_list_makes_the_same_queries_for_any_number_of_tokens(
    organiser_client, organiser, django_assert_num_queries, count
):
    for number in range(count):
        ApiToken.issue(user=organiser, name=f"token {number}")

    # Session, user, organiser check, tokens.
    with django_assert_num_queries(4):
        response = organiser_client.get(PAGE)

    assert len(rows(response)) == count
