"""Speakers keeping their own profile: invitation, passwords, the profile page, history."""

import datetime
import io
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from conference.admin_site import ORGANISERS_GROUP
from speakers.models import Speaker
from speakers.services import speakers_invite
from tests.auto_release import release_pending
from tests.factories import (
    EventFactory,
    RoomFactory,
    SpeakerFactory,
    TalkFactory,
    UserFactory,
    venue_time,
)

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a new and long passphrase 42"
LINK = re.compile(r"http://testserver(/accounts/invitation/\?token=\S+)")


def jpeg_upload(name="me.jpg", size=(1200, 900), colour=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def invitation_path(message):
    return LINK.search(message.body).group(1)


@pytest.fixture
def avi(db):
    speaker = SpeakerFactory(name="Avi Kivity", slug="avi-kivity", email="avi@example.org")
    TalkFactory(
        event=EventFactory(slug="kvm-forum-2012", name="KVM Forum 2012"),
        title="Keynote",
        speakers=[speaker],
    )
    return speaker


def profile_data(speaker, /, **changes):
    data = {
        "name": speaker.name,
        "affiliation": speaker.affiliation,
        "bio": speaker.bio,
        "website": speaker.website,
        # A browser sends a ticked checkbox and leaves an unticked one out.
        **({"notify_schedule_changes": "on"} if speaker.notify_schedule_changes else {}),
        "links-TOTAL_FORMS": "0",
        "links-INITIAL_FORMS": "0",
        "links-MIN_NUM_FORMS": "0",
        "links-MAX_NUM_FORMS": "6",
    }
    data.update(changes)
    return data


def test_invited_speaker_signs_in_sets_a_password_and_edits_their_profile(organiser_client, avi):
    client = Client()  # the speaker's own browser
    # The organiser invites the speaker from the admin.
    response = organiser_client.post(
        "/admin/speakers/speaker/",
        {"action": "invite", "_selected_action": [avi.pk]},
        follow=True,
    )
    assert "Invited 1 speaker, 1 new account(s)." in response.content.decode()
    (message,) = mail.outbox
    assert message.to == ["avi@example.org"]
    assert message.subject == "Your speaker profile for KVM Forum 2012 at Conference"
    assert "expires in 7 days" in message.body
    path = invitation_path(message)

    # Opening the link signs nobody in yet; the button does.
    page = client.get(path)
    assert "Welcome, Avi Kivity." in page.content.decode()
    assert "_auth_user_id" not in client.session
    response = client.post(path)
    assert response["Location"] == "/accounts/password/set/"
    avi.refresh_from_db()
    assert int(client.session["_auth_user_id"]) == avi.user_id

    # A first password, then the profile.
    response = client.post(
        "/accounts/password/set/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response["Location"] == "/accounts/profile/"
    response = client.post(
        "/accounts/profile/",
        profile_data(
            avi,
            bio="Maintainer of **KVM**.\n\n- memory\n- MMU",
            website="https://avi.example.org",
            photo_upload=jpeg_upload(),
            **{
                "links-TOTAL_FORMS": "1",
                "links-0-label": "Mastodon",
                "links-0-url": "https://social.example/@avi",
            },
        ),
    )
    assert response["Location"] == "/accounts/profile/"

    # The public page shows it at once.
    public = client.get("/kvm-forum-2012/speakers/avi-kivity/").content.decode()
    assert "<p>Maintainer of <strong>KVM</strong>.</p>" in public
    assert "<li>memory</li>" in public
    assert 'href="https://avi.example.org" rel="nofollow noopener">Website</a>' in public
    assert 'href="https://social.example/@avi" rel="nofollow noopener me">Mastodon</a>' in public
    avi.refresh_from_db()
    assert avi.photo.name.startswith("speakers/photos/")
    assert Image.open(default_storage.open(avi.photo.name)).size == (800, 600)
    assert Image.open(default_storage.open(avi.photo_thumbnail.name)).size == (160, 160)
    assert f'src="/media/{avi.photo_thumbnail.name}"' in public

    # Sign out, and back in with the new password.
    client.post("/accounts/logout/")
    assert (
        client.get("/accounts/profile/")["Location"] == "/accounts/login/?next=/accounts/profile/"
    )
    response = client.post(
        "/accounts/login/", {"username": avi.user.username, "password": NEW_PASSWORD}
    )
    assert response["Location"] == "/accounts/profile/"


def test_invitation_names_the_events_and_the_talks_the_speaker_is_invited_for(db, avi):
    kvm = avi.talks.get().event
    TalkFactory(
        event=kvm, title="Draft talk", start=None, end=None, is_published=False, speakers=[avi]
    )
    devconf = EventFactory(
        name="DevConf",
        start_date=datetime.date(2013, 2, 22),
        end_date=datetime.date(2013, 2, 23),
        time_zone="America/New_York",
    )
    TalkFactory(
        event=devconf,
        title="Second talk",
        start=venue_time(devconf, 2013, 2, 22, 16, 30),
        end=venue_time(devconf, 2013, 2, 22, 17, 0),
        speakers=[avi],
    )
    TalkFactory(event=EventFactory(name="Gone Fest"), is_cancelled=True, speakers=[avi])
    TalkFactory(event=kvm, title="Someone else's talk")
    release_pending()

    speakers_invite(speakers=[avi], base_url="http://testserver/")

    (message,) = mail.outbox
    assert message.subject == "Your speaker profile for DevConf and KVM Forum 2012 at Conference"
    assert message.body.startswith(
        "Hello Avi Kivity,\n\n"
        "You are on the programme of:\n\n"
        "DevConf (times at the venue, America/New_York)\n"
        "- Second talk: Fri 22 Feb, 16:30–17:00 EST\n\n"
        "KVM Forum 2012 (times at the venue, Europe/Madrid)\n"
        "- Keynote: Wed 7 Nov, 09:00–09:30 CET\n"
        "- Draft talk: time to be announced (not public yet)\n\n"
        "You can now keep your speaker profile at Conference up to date yourself:\n"
    )
    assert "Gone Fest" not in message.body


def test_invitation_of_a_speaker_without_talks_names_the_site(db):
    speaker = SpeakerFactory(name="Ada", email="ada@example.org")

    speakers_invite(speakers=[speaker], base_url="http://testserver/")

    (message,) = mail.outbox
    assert message.subject == "Your speaker profile at Conference"
    assert message.body.startswith(
        "Hello Ada,\n\nYou can now keep your speaker profile at Conference up to date yourself:\n"
    )


def test_invitation_subject_keeps_an_event_name_on_one_line(db, avi):
    event = avi.talks.get().event
    event.name = "KVM\r\nBcc: victim@example.org"
    event.save()

    speakers_invite(speakers=[avi], base_url="http://testserver/")

    (message,) = mail.outbox
    assert message.subject == "Your speaker profile for KVM Bcc: victim@example.org at Conference"
    assert message.recipients() == ["avi@example.org"]


def test_invitation_link_works_once(client, avi):
    speakers_invite(speakers=[avi], base_url="http://testserver/")
    path = invitation_path(mail.outbox[0])
    client.post(path)
    client.logout()

    response = client.post(path)

    assert response.status_code == 400
    assert "This sign-in link has expired or was already used." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_invitation_link_expires(client, avi, settings):
    speakers_invite(speakers=[avi], base_url="http://testserver/")
    path = invitation_path(mail.outbox[0])

    with time_machine.travel(datetime.timedelta(days=settings.SPEAKER_INVITATION_DAYS, hours=1)):
        response = client.post(path)

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_forged_invitation_token_signs_nobody_in(client, avi):
    response = client.post("/accounts/invitation/?token=forged-token")

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_reinviting_a_speaker_with_an_account_never_makes_a_second_one(client, avi):
    speakers_invite(speakers=[avi], base_url="http://testserver/")
    avi.refresh_from_db()
    accounts_before = get_user_model().objects.count()

    result = speakers_invite(
        speakers=[Speaker.objects.get(pk=avi.pk)], base_url="http://testserver/"
    )

    assert result.accounts_created == []
    assert get_user_model().objects.count() == accounts_before
    assert len(mail.outbox) == 2
    response = client.post(invitation_path(mail.outbox[1]))
    assert int(client.session["_auth_user_id"]) == avi.user_id
    assert response.status_code == 302


def test_invitation_never_links_an_existing_account_with_the_same_email(client, avi):
    existing = UserFactory(username="avi", email="AVI@example.org")

    result = speakers_invite(speakers=[avi], base_url="http://testserver/")

    avi.refresh_from_db()
    assert result.accounts_created == [avi]
    assert (avi.user.username, avi.user.email) == ("avi-kivity", "avi@example.org")
    assert not hasattr(existing, "speaker")
    client.post(invitation_path(mail.outbox[0]))
    assert int(client.session["_auth_user_id"]) == avi.user_id != existing.pk


def grant(user, privilege):
    """``user`` with one way into more than their own profile, or deactivated."""
    if privilege in ("is_staff", "is_superuser"):
        setattr(user, privilege, True)
    elif privilege == "inactive":
        user.is_active = False
    elif privilege == "organiser":
        user.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    elif privilege == "any group":
        user.groups.add(Group.objects.create(name="Volunteers"))
    elif privilege == "a permission":
        user.user_permissions.add(Permission.objects.get(codename="view_talk"))
    user.save()
    return user


PRIVILEGED = ["is_staff", "is_superuser", "organiser", "any group", "a permission"]
REFUSED_FOR_PRIVILEGE = (
    "its account has admin rights (staff, superuser, a group or a permission), "
    "so no sign-in link is sent for it"
)


@pytest.mark.parametrize(
    ("privilege", "reason"),
    [
        *[(privilege, REFUSED_FOR_PRIVILEGE) for privilege in PRIVILEGED],
        ("inactive", "the account is deactivated"),
    ],
)
def test_no_sign_in_link_is_mailed_for_an_account_with_privileges(
    organiser_client, avi, privilege, reason
):
    # Linked by a superuser, who may; the invitation still sends nothing for it.
    avi.user = grant(UserFactory(username="boss", email=""), privilege)
    avi.email = "organiser@example.org"
    avi.save()

    response = organiser_client.post(
        "/admin/speakers/speaker/",
        {"action": "invite", "_selected_action": [avi.pk]},
        follow=True,
    )

    assert f"Invited 0 speakers. Skipped Avi Kivity: {reason}." in response.content.decode()
    assert mail.outbox == []
    avi.user.refresh_from_db()
    assert avi.user.email == ""


def test_invitation_never_writes_an_address_into_an_existing_account(db, avi):
    avi.user = UserFactory(username="avi", email="")
    avi.save()

    result = speakers_invite(speakers=[avi], base_url="http://testserver/")

    assert result.summary() == (
        "Invited 0 speakers. Skipped Avi Kivity: its account has no email address "
        "(a superuser can give it one)."
    )
    assert mail.outbox == []
    avi.user.refresh_from_db()
    assert avi.user.email == ""


def test_invitation_for_an_existing_account_goes_to_the_accounts_own_address(db, avi):
    avi.user = UserFactory(username="avi", email="avi.own@example.org")
    avi.email = "someone.else@example.org"  # an organiser may change this one
    avi.save()

    speakers_invite(speakers=[avi], base_url="http://testserver/")

    (message,) = mail.outbox
    assert message.to == ["avi.own@example.org"]
    avi.user.refresh_from_db()
    assert avi.user.email == "avi.own@example.org"


@pytest.mark.parametrize("privilege", PRIVILEGED)
def test_a_link_mailed_before_the_account_gained_privileges_signs_nobody_in(client, avi, privilege):
    speakers_invite(speakers=[avi], base_url="http://testserver/")
    avi.refresh_from_db()
    grant(avi.user, privilege)

    response = client.post(invitation_path(mail.outbox[0]))

    assert response.status_code == 400
    assert "This sign-in link has expired or was already used." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_link_for_an_account_no_longer_linked_to_a_speaker_signs_nobody_in(client, avi):
    speakers_invite(speakers=[avi], base_url="http://testserver/")
    Speaker.objects.filter(pk=avi.pk).update(user=None)

    response = client.post(invitation_path(mail.outbox[0]))

    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_speakers_without_email_are_skipped_and_reported(organiser_client, db):
    SpeakerFactory(name="No Mail", email="")

    response = organiser_client.post(
        "/admin/speakers/speaker/",
        {"action": "invite", "_selected_action": [Speaker.objects.get().pk]},
        follow=True,
    )

    assert "Skipped No Mail: no email address." in response.content.decode()
    assert mail.outbox == []


@pytest.fixture
def signed_in_speaker(client, avi):
    user = UserFactory(username="avi")
    avi.user = user
    avi.save()
    client.force_login(user)
    return avi


def test_extra_fields_in_the_profile_form_change_nothing_else(client, signed_in_speaker):
    other = SpeakerFactory(name="Kevin Wolf", slug="kevin-wolf", bio="Block layer.")
    intruder = UserFactory(username="intruder")

    client.post(
        "/accounts/profile/",
        profile_data(
            signed_in_speaker,
            bio="Mine",
            slug="hijacked",
            user=intruder.pk,
            id=other.pk,
            pk=other.pk,
            **{"speaker": other.pk},
        ),
    )

    signed_in_speaker.refresh_from_db()
    other.refresh_from_db()
    assert signed_in_speaker.bio == "Mine"
    assert signed_in_speaker.slug == "avi-kivity"
    assert signed_in_speaker.user.username == "avi"
    assert other.bio == "Block layer."


def test_speaker_turns_schedule_mails_off_and_on_again_from_their_profile(
    client, signed_in_speaker
):
    page = client.get("/accounts/profile/").content.decode()
    checkbox = re.search(r'<input[^>]*name="notify_schedule_changes"[^>]*>', page).group(0)
    assert "checked" in checkbox
    assert "Email me when my talks move" in page
    assert "One mail per schedule release that adds, cancels or moves a talk of yours." in page

    data = profile_data(signed_in_speaker)
    del data["notify_schedule_changes"]  # unticked: the browser sends nothing
    response = client.post("/accounts/profile/", data)
    signed_in_speaker.refresh_from_db()
    page = client.get("/accounts/profile/").content.decode()
    checkbox = re.search(r'<input[^>]*name="notify_schedule_changes"[^>]*>', page).group(0)

    assert response["Location"] == "/accounts/profile/"
    assert signed_in_speaker.notify_schedule_changes is False
    assert "checked" not in checkbox

    client.post("/accounts/profile/", profile_data(signed_in_speaker, notify_schedule_changes="on"))
    signed_in_speaker.refresh_from_db()
    assert signed_in_speaker.notify_schedule_changes is True


def test_speaker_cannot_edit_another_speakers_links(client, signed_in_speaker):
    other = SpeakerFactory(name="Kevin Wolf")
    foreign_link = other.links.create(label="GitHub", url="https://github.com/kevin")

    client.post(
        "/accounts/profile/",
        profile_data(
            signed_in_speaker,
            **{
                "links-TOTAL_FORMS": "1",
                "links-INITIAL_FORMS": "1",
                "links-0-id": foreign_link.pk,
                "links-0-label": "Hacked",
                "links-0-url": "https://evil.example",
            },
        ),
    )

    foreign_link.refresh_from_db()
    assert foreign_link.label == "GitHub"
    assert foreign_link.url == "https://github.com/kevin"


@pytest.mark.parametrize(
    "path",
    ["/admin/", "/admin/speakers/speaker/", "/admin/schedule/talk/", "/admin/auth/user/"],
)
def test_speaker_account_cannot_reach_the_admin(client, signed_in_speaker, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_preview_renders_the_bio_without_saving(client, signed_in_speaker):
    response = client.post(
        "/accounts/profile/",
        profile_data(signed_in_speaker, bio="*New* bio <script>alert(1)</script>", preview="1"),
    )

    content = response.content.decode()
    assert "Preview of your bio (not saved yet)" in content
    assert "<p><em>New</em> bio </p>" in content
    assert "<script>alert(1)</script>" not in content
    signed_in_speaker.refresh_from_db()
    assert signed_in_speaker.bio == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("website", "javascript:alert(1)", "Enter a valid URL."),
        ("links-0-url", "not a url", "Enter a valid URL."),
        ("name", "", "This field is required."),
    ],
)
def test_invalid_profile_input_is_refused_with_a_message(
    client, signed_in_speaker, field, value, message
):
    data = profile_data(
        signed_in_speaker,
        **{"links-TOTAL_FORMS": "1", "links-0-label": "Blog", "links-0-url": "https://b.example"},
    )
    data[field] = value

    response = client.post("/accounts/profile/", data)

    assert response.status_code == 200
    assert message in response.content.decode()
    signed_in_speaker.refresh_from_db()
    assert signed_in_speaker.name == "Avi Kivity"
    assert signed_in_speaker.links.count() == 0


def links_fieldset(content):
    start = content.index("Other links")
    return content[start : content.index("</fieldset>", start)]


def test_empty_link_rows_are_optional(client, signed_in_speaker):
    signed_in_speaker.links.create(label="GitHub", url="https://github.com/avikivity")

    rows = links_fieldset(client.get("/accounts/profile/").content.decode())

    # The stored link's row, then two empty ones: only the stored one is marked required.
    assert 'name="links-2-url"' in rows
    assert re.findall(r'for="id_links-(\d)-(\w+)" class="form-label requiredField"', rows) == [
        ("0", "label"),
        ("0", "url"),
    ]
    assert "(optional)" in rows
    assert re.findall(r"<input[^>]*\srequired[\s>=]", rows) == []


def test_saving_with_the_empty_link_rows_left_empty_keeps_the_links(client, signed_in_speaker):
    link = signed_in_speaker.links.create(label="GitHub", url="https://github.com/avikivity")
    data = profile_data(
        signed_in_speaker,
        bio="Saved",
        **{
            "links-TOTAL_FORMS": "3",
            "links-INITIAL_FORMS": "1",
            "links-0-id": link.pk,
            "links-0-label": "GitHub",
            "links-0-url": "https://github.com/avikivity",
            "links-1-label": "",
            "links-1-url": "",
            "links-2-label": "",
            "links-2-url": "",
        },
    )

    response = client.post("/accounts/profile/", data)

    assert response["Location"] == "/accounts/profile/"
    signed_in_speaker.refresh_from_db()
    assert signed_in_speaker.bio == "Saved"
    assert list(signed_in_speaker.links.values_list("label", "url")) == [
        ("GitHub", "https://github.com/avikivity")
    ]


@pytest.mark.parametrize(
    ("row", "missing"),
    [
        ({"links-0-label": "Blog"}, "url"),
        ({"links-0-url": "https://blog.example"}, "label"),
    ],
)
def test_a_half_filled_link_row_is_refused_naming_the_missing_half(
    client, signed_in_speaker, row, missing
):
    data = profile_data(signed_in_speaker, bio="changed", **{"links-TOTAL_FORMS": "1", **row})

    response = client.post("/accounts/profile/", data)

    assert response.status_code == 200
    assert response.context["links"].errors == [{missing: ["This field is required."]}]
    signed_in_speaker.refresh_from_db()
    assert signed_in_speaker.bio == ""
    assert signed_in_speaker.links.count() == 0


def test_a_bio_over_the_markdown_cap_is_refused_with_its_length(client, signed_in_speaker):
    for action in [{}, {"preview": "1"}]:
        response = client.post(
            "/accounts/profile/", profile_data(signed_in_speaker, bio="x" * 61_234, **action)
        )

        content = response.content.decode()
        assert "At most 50,000 characters of Markdown (this has 61,234)." in content
        assert "Preview of your bio" not in content
    signed_in_speaker.refresh_from_db()
    assert signed_in_speaker.bio == ""


def test_a_bio_at_the_markdown_cap_is_saved(client, signed_in_speaker):
    response = client.post("/accounts/profile/", profile_data(signed_in_speaker, bio="[" * 50_000))

    assert response["Location"] == "/accounts/profile/"
    signed_in_speaker.refresh_from_db()
    assert signed_in_speaker.bio == "[" * 50_000


def stored_photos():
    if not default_storage.exists("speakers/photos"):
        return set()
    return set(default_storage.listdir("speakers/photos")[1])


def test_hostile_photo_is_refused_and_changes_nothing(client, signed_in_speaker):
    fake = io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    fake.name = "me.jpg"
    files_before = stored_photos()

    response = client.post(
        "/accounts/profile/", profile_data(signed_in_speaker, bio="changed", photo_upload=fake)
    )

    assert "This file is not an image we can read" in response.content.decode()
    signed_in_speaker.refresh_from_db()
    assert signed_in_speaker.bio == ""
    assert not signed_in_speaker.photo
    assert stored_photos() == files_before


def test_replacing_a_photo_removes_the_old_files(
    client, signed_in_speaker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/profile/", profile_data(signed_in_speaker, photo_upload=jpeg_upload())
        )
    signed_in_speaker.refresh_from_db()
    first = [signed_in_speaker.photo.name, signed_in_speaker.photo_thumbnail.name]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/profile/",
            profile_data(signed_in_speaker, photo_upload=jpeg_upload(colour=(0, 0, 255))),
        )

    signed_in_speaker.refresh_from_db()
    assert not any(default_storage.exists(name) for name in first)
    assert default_storage.exists(signed_in_speaker.photo.name)
    assert default_storage.exists(signed_in_speaker.photo_thumbnail.name)


HELD = re.compile(r'<input type="hidden" name="held_photo" value="([\w-]+)">')


def stored_colour(name):
    """The colour at the middle of a stored image, to tell which upload it came from."""
    image = Image.open(default_storage.open(name))
    return image.getpixel((image.width // 2, image.height // 2))


def is_red(colour):
    return colour[0] > 150 and colour[2] < 80


def is_blue(colour):
    return colour[2] > 150 and colour[0] < 80


def test_preview_keeps_the_chosen_photo_and_save_stores_it(client, signed_in_speaker):
    files_before = stored_photos()
    preview = client.post(
        "/accounts/profile/",
        profile_data(signed_in_speaker, bio="New bio", photo_upload=jpeg_upload(), preview="1"),
    )

    content = preview.content.decode()
    assert "Your new photo, not saved yet: press Save to keep it." in content
    assert re.search(r'<img src="data:image/jpeg;base64,[\w+/=]+" alt="Your new photo"', content)
    token = HELD.search(content).group(1)
    signed_in_speaker.refresh_from_db()
    assert not signed_in_speaker.photo
    assert stored_photos() == files_before

    # The browser sends no file now: the photo of the preview is the one saved.
    response = client.post(
        "/accounts/profile/", profile_data(signed_in_speaker, bio="New bio", held_photo=token)
    )

    assert response["Location"] == "/accounts/profile/"
    signed_in_speaker.refresh_from_db()
    assert signed_in_speaker.bio == "New bio"
    assert Image.open(default_storage.open(signed_in_speaker.photo.name)).size == (800, 600)
    assert is_red(stored_colour(signed_in_speaker.photo.name))
    assert Image.open(default_storage.open(signed_in_speaker.photo_thumbnail.name)).size == (
        160,
        160,
    )
    page = client.get("/accounts/profile/").content.decode()
    assert "Your new photo" not in page
    assert 'name="held_photo"' not in page


def test_a_second_preview_still_keeps_the_photo(client, signed_in_speaker):
    first = client.post(
        "/accounts/profile/",
        profile_data(signed_in_speaker, photo_upload=jpeg_upload(), preview="1"),
    )
    token = HELD.search(first.content.decode()).group(1)

    second = client.post(
        "/accounts/profile/",
        profile_data(signed_in_speaker, bio="Again", held_photo=token, preview="1"),
    )
    token = HELD.search(second.content.decode()).group(1)
    client.post("/accounts/profile/", profile_data(signed_in_speaker, held_photo=token))

    signed_in_speaker.refresh_from_db()
    assert is_red(stored_colour(signed_in_speaker.photo.name))


def test_a_refused_save_keeps_the_chosen_photo_too(client, signed_in_speaker):
    refused = client.post(
        "/accounts/profile/",
        profile_data(signed_in_speaker, name="", photo_upload=jpeg_upload()),
    )

    content = refused.content.decode()
    assert "This field is required." in content
    assert "Your new photo, not saved yet: press Save to keep it." in content
    token = HELD.search(content).group(1)
    client.post("/accounts/profile/", profile_data(signed_in_speaker, held_photo=token))
    signed_in_speaker.refresh_from_db()
    assert is_red(stored_colour(signed_in_speaker.photo.name))


@pytest.mark.parametrize(
    ("then", "stored"),
    [
        pytest.param({"photo_upload": "blue"}, is_blue, id="a new choice replaces it"),
        pytest.param({"remove_photo": "on"}, None, id="removing the photo drops it"),
        pytest.param({"held_photo": "forged-token"}, None, id="another token finds nothing"),
        pytest.param({"held_photo": ""}, None, id="no token: nothing is kept"),
    ],
)
def test_a_held_photo_is_used_only_when_the_form_asks_for_it(
    client, signed_in_speaker, then, stored
):
    preview = client.post(
        "/accounts/profile/",
        profile_data(signed_in_speaker, photo_upload=jpeg_upload(), preview="1"),
    )
    data = profile_data(signed_in_speaker, held_photo=HELD.search(preview.content.decode())[1])
    data.update(then)
    if then.get("photo_upload") == "blue":
        data["photo_upload"] = jpeg_upload(colour=(0, 0, 255))

    response = client.post("/accounts/profile/", data)

    assert response["Location"] == "/accounts/profile/"
    signed_in_speaker.refresh_from_db()
    if stored is None:
        assert not signed_in_speaker.photo
    else:
        assert stored(stored_colour(signed_in_speaker.photo.name))


def test_a_refused_photo_is_not_held_for_the_save(client, signed_in_speaker):
    fake = io.BytesIO(b"GIF89a but not really")
    fake.name = "me.gif"

    response = client.post(
        "/accounts/profile/", profile_data(signed_in_speaker, photo_upload=fake, preview="1")
    )

    content = response.content.decode()
    assert "This file is not an image we can read" in content
    assert "Your new photo" not in content
    assert 'name="held_photo"' not in content


def talks_column(content):
    """The profile's list of talks as a reader sees it: tags dropped, spaces collapsed."""
    start = content.index('<aside aria-labelledby="talks-heading"')
    html = content[start : content.index("</aside>", start)]
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_profile_lists_the_talks_by_event_at_venue_time_and_links_the_public_pages(
    client, signed_in_speaker
):
    # avi's "Keynote" at kvm-forum-2012 (Madrid) is public, and one more talk there.
    kvm = signed_in_speaker.talks.get().event
    TalkFactory(
        event=kvm,
        title="Later talk",
        start=venue_time(kvm, 2012, 11, 8, 14, 0),
        end=venue_time(kvm, 2012, 11, 8, 14, 45),
        room=RoomFactory(event=kvm, name="Hall"),
        speakers=[signed_in_speaker],
    )
    devconf = EventFactory(
        name="DevConf",
        slug="devconf-2013",
        start_date=datetime.date(2013, 2, 22),
        end_date=datetime.date(2013, 2, 23),
        time_zone="America/New_York",
    )
    TalkFactory(
        event=devconf,
        title="Second talk",
        start=venue_time(devconf, 2013, 2, 22, 16, 30),
        end=venue_time(devconf, 2013, 2, 22, 17, 0),
        speakers=[signed_in_speaker],
    )
    withdrawn = EventFactory(
        name="Withdrawn Days",
        start_date=datetime.date(2013, 1, 10),
        end_date=datetime.date(2013, 1, 10),
    )
    TalkFactory(
        event=withdrawn,
        title="Withdrawn",
        start=venue_time(withdrawn, 2013, 1, 10, 9, 0),
        end=venue_time(withdrawn, 2013, 1, 10, 10, 0),
        is_cancelled=True,
        speakers=[signed_in_speaker],
    )
    draft = EventFactory(
        name="Draft Fest", start_date=datetime.date(2012, 6, 1), is_published=False
    )
    TalkFactory(
        event=draft, title="Hidden talk", start=None, end=None, speakers=[signed_in_speaker]
    )

    content = client.get("/accounts/profile/").content.decode()

    assert talks_column(content) == (
        "My talks "
        "DevConf Times at the venue, America/New_York. "
        "Your public page at DevConf "
        "Second talk Fri 22 Feb, 16:30–17:00 EST "
        "Withdrawn Days Times at the venue, Europe/Madrid. "
        "Withdrawn cancelled Thu 10 Jan, 09:00–10:00 CET "
        "KVM Forum 2012 Times at the venue, Europe/Madrid. "
        "Your public page at KVM Forum 2012 "
        "Keynote Wed 7 Nov, 09:00–09:30 CET "
        "Later talk Thu 8 Nov, 14:00–14:45 CET · Hall "
        "Draft Fest Times at the venue, Europe/Madrid. "
        "Hidden talk not public Time to be announced "
        "Talk details are kept by the organisers; write to them to change one."
    )
    assert 'href="/devconf-2013/speakers/avi-kivity/">Your public page at DevConf</a>' in content
    assert 'href="/kvm-forum-2012/speakers/avi-kivity/">Your public page' in content
    assert content.count("Your public page") == 2
    assert 'href="/devconf-2013/talks/' in content
    assert '<time datetime="2013-02-22T16:30:00-05:00">' in content


def test_account_without_a_speaker_profile_is_told_so(client, db):
    client.force_login(UserFactory(username="attendee"))

    response = client.get("/accounts/profile/")

    assert response.status_code == 404
    assert "Your account is not linked to a speaker profile." in response.content.decode()


def test_every_profile_change_is_kept_with_who_and_when(client, signed_in_speaker, organiser):
    client.post("/accounts/profile/", profile_data(signed_in_speaker, bio="First version"))
    client.post("/accounts/profile/", profile_data(signed_in_speaker, bio="Second version"))

    history = list(signed_in_speaker.history.order_by("history_date"))
    assert [record.bio for record in history[-2:]] == ["First version", "Second version"]
    assert {record.history_user.username for record in history[-2:]} == {"avi"}
    organiser_browser = Client()
    organiser_browser.force_login(organiser)
    page = organiser_browser.get(f"/admin/speakers/speaker/{signed_in_speaker.pk}/history/")
    assert "avi" in page.content.decode()
    assert page.status_code == 200


def test_repeated_failed_sign_ins_are_throttled_with_a_message(client, signed_in_speaker, settings):
    client.logout()
    signed_in_speaker.user.set_password(PASSWORD)
    signed_in_speaker.user.save()

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "avi", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "avi", "password": PASSWORD})

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


# Sign-in throttling behind the proxy ------------------------------------------
#
# nginx (deploy/nginx.conf) reaches gunicorn over a Unix socket or loopback and
# appends the address it saw to X-Forwarded-For; these browsers do the same.

ATTACKER = "203.0.113.66"
SPEAKER_AT_HOME = "198.51.100.7"
# Where nginx reaches the site from: the Unix socket of the documented
# deployment (no address at all) or loopback, both trusted by default.
NGINX_PEERS = pytest.mark.parametrize("nginx", ["", "127.0.0.1"], ids=["socket", "loopback"])


def browser_behind_nginx(address, *, nginx="127.0.0.1", sends_forwarded_for=None):
    """A browser at ``address``, through nginx; it may send its own X-Forwarded-For."""
    forwarded_for = address if sends_forwarded_for is None else f"{sends_forwarded_for}, {address}"
    return Client(REMOTE_ADDR=nginx, HTTP_X_FORWARDED_FOR=forwarded_for)


def sign_in(browser, password, username="avi"):
    return browser.post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def avi_with_password(avi):
    avi.user = UserFactory(username="avi", password=PASSWORD)
    avi.save()
    return avi


@NGINX_PEERS
def test_wrong_passwords_from_one_address_leave_the_speaker_free_at_another(
    avi_with_password, settings, nginx
):
    attacker = browser_behind_nginx(ATTACKER, nginx=nginx)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "wrong")

    speaker = browser_behind_nginx(SPEAKER_AT_HOME, nginx=nginx)
    response = sign_in(speaker, PASSWORD)

    assert response["Location"] == "/accounts/profile/"
    assert int(speaker.session["_auth_user_id"]) == avi_with_password.user_id
    # The speaker's own sign-in does not lift the attacker's pause.
    locked = sign_in(attacker, PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "_auth_user_id" not in attacker.session
    # What the superuser sees under "Access attempts": the attacker's address.
    assert [(a.username, a.ip_address) for a in AccessAttempt.objects.all()] == [("avi", ATTACKER)]


def test_wrong_passwords_for_one_account_leave_other_accounts_free_at_that_address(
    avi_with_password, settings
):
    UserFactory(username="kevin", password=PASSWORD)
    office = browser_behind_nginx(ATTACKER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(office, "wrong")

    colleague = browser_behind_nginx(ATTACKER)
    response = sign_in(colleague, PASSWORD, username="kevin")

    assert response["Location"] == "/accounts/profile/"
    assert sign_in(office, PASSWORD).status_code == 429


def test_an_address_sent_by_the_browser_itself_neither_dodges_nor_moves_the_pause(
    avi_with_password, settings
):
    # Each attempt claims another address, the last one the speaker's own;
    # nginx appends the real one, and that is the one counted.
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(
            browser_behind_nginx(ATTACKER, sends_forwarded_for=f"198.51.100.{number + 1}"),
            "wrong",
        )

    attacker = browser_behind_nginx(ATTACKER, sends_forwarded_for="192.0.2.200")
    assert sign_in(attacker, PASSWORD).status_code == 429
    speaker = browser_behind_nginx(SPEAKER_AT_HOME)
    assert sign_in(speaker, PASSWORD)["Location"] == "/accounts/profile/"


def test_forwarded_for_from_a_peer_that_is_not_the_proxy_is_ignored(avi_with_password, settings):
    # Someone who reaches gunicorn directly (not through nginx) and names a
    # different address with every try, the last one the speaker's.
    direct = "192.0.2.50"
    for number in range(settings.AXES_FAILURE_LIMIT):
        forged = Client(REMOTE_ADDR=direct, HTTP_X_FORWARDED_FOR=f"198.51.100.{number + 3}")
        sign_in(forged, "wrong")

    forged = Client(REMOTE_ADDR=direct, HTTP_X_FORWARDED_FOR=SPEAKER_AT_HOME)
    response = sign_in(forged, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in forged.session
    assert [a.ip_address for a in AccessAttempt.objects.all()] == [direct]
    speaker = browser_behind_nginx(SPEAKER_AT_HOME)
    assert sign_in(speaker, PASSWORD)["Location"] == "/accounts/profile/"


def test_the_proxy_in_front_is_a_setting(avi_with_password, settings):
    # A load balancer at 10.0.0.2 in front of the app server, listed in FORWARDED_ALLOW_IPS.
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.2"]
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=ATTACKER)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "wrong")

    speaker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=SPEAKER_AT_HOME)

    assert sign_in(speaker, PASSWORD)["Location"] == "/accounts/profile/"
    assert sign_in(attacker, PASSWORD).status_code == 429
    # Loopback is no longer trusted: its header counts for nothing.
    local = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=ATTACKER)
    assert sign_in(local, PASSWORD)["Location"] == "/accounts/profile/"


@NGINX_PEERS
def test_bad_invitation_links_never_block_a_valid_one(avi, settings, nginx):
    speakers_invite(speakers=[avi], base_url="http://testserver/")
    used = invitation_path(mail.outbox[0])
    browser_behind_nginx(SPEAKER_AT_HOME, nginx=nginx).post(used)
    speakers_invite(speakers=[Speaker.objects.get(pk=avi.pk)], base_url="http://testserver/")
    valid = invitation_path(mail.outbox[1])
    # Forged and spent links, from the very address the speaker will use.
    speaker = browser_behind_nginx(SPEAKER_AT_HOME, nginx=nginx)
    for bad in ["/accounts/invitation/?token=forged-token", used] * settings.AXES_FAILURE_LIMIT:
        refused = speaker.post(bad)
        assert refused.status_code == 400
        assert "This sign-in link has expired or was already used." in refused.content.decode()

    page = speaker.get(valid)
    response = speaker.post(valid)

    assert "Welcome, Avi Kivity." in page.content.decode()
    assert response["Location"] == "/accounts/password/set/"
    assert int(speaker.session["_auth_user_id"]) == avi.user_id
    assert not AccessAttempt.objects.exists()


def test_password_reset_by_email(client, signed_in_speaker):
    client.logout()
    signed_in_speaker.user.email = "avi@example.org"
    signed_in_speaker.user.save()

    client.post("/accounts/password/reset/", {"email": "avi@example.org"})
    (message,) = mail.outbox
    path = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    response = client.post("/accounts/login/", {"username": "avi", "password": NEW_PASSWORD})
    assert response["Location"] == "/accounts/profile/"


def test_speaker_changes_their_password(client, signed_in_speaker):
    signed_in_speaker.user.set_password(PASSWORD)
    signed_in_speaker.user.save()
    client.force_login(signed_in_speaker.user)

    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )

    assert "Your password is changed." in response.content.decode()
    signed_in_speaker.user.refresh_from_db()
    assert signed_in_speaker.user.check_password(NEW_PASSWORD)


def test_wrong_old_password_is_refused_with_a_message(client, signed_in_speaker):
    signed_in_speaker.user.set_password(PASSWORD)
    signed_in_speaker.user.save()
    client.force_login(signed_in_speaker.user)

    response = client.post(
        "/accounts/password/change/",
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert "Your old password was entered incorrectly." in response.content.decode()
    signed_in_speaker.user.refresh_from_db()
    assert signed_in_speaker.user.check_password(PASSWORD)


# The speaker and an organiser editing the profile at once -----------------------------------

STAMP = re.compile(r'name="seen_updated" value="([^"]*)"')


def test_a_speakers_save_over_an_organisers_newer_edit_is_refused(
    client, signed_in_speaker, organiser
):
    page = client.get("/accounts/profile/").content.decode()
    seen = STAMP.search(page).group(1)
    organiser_browser = Client()
    organiser_browser.force_login(organiser)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 14, 5, tzinfo=datetime.UTC)):
        organiser_browser.post(
            f"/admin/speakers/speaker/{signed_in_speaker.pk}/change/",
            {
                "name": "Avi Kivity",
                "slug": "avi-kivity",
                "email": "avi@example.org",
                "bio": "Written by the organisers.",
                "links-TOTAL_FORMS": "0",
                "links-INITIAL_FORMS": "0",
            },
        )

    response = client.post(
        "/accounts/profile/", profile_data(signed_in_speaker, bio="Mine", seen_updated=seen)
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Someone else saved this speaker at 14:05 UTC since you opened it. "
        "Reload the page to see their changes, then make yours again."
    ]
    signed_in_speaker.refresh_from_db()
    assert signed_in_speaker.bio == "Written by the organisers."


def test_an_organisers_save_over_the_speakers_newer_edit_is_refused(
    signed_in_speaker, organiser_client
):
    page = organiser_client.get(
        f"/admin/speakers/speaker/{signed_in_speaker.pk}/change/"
    ).content.decode()
    seen = STAMP.search(page).group(1)
    speaker_browser = Client()
    speaker_browser.force_login(signed_in_speaker.user)
    speaker_browser.post("/accounts/profile/", profile_data(signed_in_speaker, bio="Mine"))

    response = organiser_client.post(
        f"/admin/speakers/speaker/{signed_in_speaker.pk}/change/",
        {
            "name": "Avi Kivity",
            "slug": "avi-kivity",
            "email": "avi@example.org",
            "bio": "Written by the organisers.",
            "seen_updated": seen,
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "Someone else saved this speaker at " in response.content.decode()
    signed_in_speaker.refresh_from_db()
    assert signed_in_speaker.bio == "Mine"
