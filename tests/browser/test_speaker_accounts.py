"""A speaker keeping their own profile, in a real browser."""

import re

import pytest
from django.core import mail
from PIL import Image

from speakers.services import speakers_invite
from tests.factories import EventFactory, SpeakerFactory, TalkFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_PASSWORD = "a new and long passphrase 42"


def test_invited_speaker_updates_bio_and_photo_and_sees_them_public(page, live_server, tmp_path):
    speaker = SpeakerFactory(name="Avi Kivity", slug="avi-kivity", email="avi@example.org")
    TalkFactory(event=EventFactory(slug="kvm-forum-2012"), title="Keynote", speakers=[speaker])
    speakers_invite(speakers=[speaker], base_url=live_server.url + "/")
    link = re.search(r"(http://\S+/accounts/invitation/\?token=\S+)", mail.outbox[-1].body).group(1)
    photo = tmp_path / "avi.png"
    Image.new("RGB", (600, 600), (30, 120, 200)).save(photo)

    page.goto(link)
    page.get_by_role("button", name="Sign in").click()
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.locator("#id_new_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()

    page.locator("#id_bio").fill("Works on the *QEMU* memory API.")
    page.get_by_role("button", name="Preview").click()
    assert page.locator(".speaker-bio em").inner_text() == "QEMU"
    page.locator("#id_photo_upload").set_input_files(photo)
    page.get_by_role("button", name="Save").click()
    assert "Your profile is saved" in page.locator("main").inner_text()

    page.goto("/kvm-forum-2012/speakers/avi-kivity/")
    assert page.locator(".speaker-bio").inner_text() == "Works on the QEMU memory API."
    image = page.get_by_role("img", name="Avi Kivity")
    assert "/media/speakers/photos/" in image.get_attribute("src")
    assert page.evaluate("document.querySelector('img[alt=\"Avi Kivity\"]').naturalWidth") == 160

    page.goto("/accounts/profile/")
    page.get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(speaker.user.username if speaker.user else "avi-kivity")
    page.locator("#id_password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    assert page.locator("h1").inner_text() == "My speaker profile"
    assert page.console_errors == []
