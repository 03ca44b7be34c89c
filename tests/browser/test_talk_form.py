"""The talk form's speaker search in a real browser (the admin's select2 widget)."""

import datetime

import pytest
from playwright.sync_api import expect

from schedule.models import TalkSpeaker
from tests.factories import EventFactory, SpeakerFactory, TalkFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, next_path):
    page.goto(f"/admin/login/?next={next_path}")
    page.get_by_label("Username").fill("organiser")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{next_path}")


def test_speaker_search_offers_the_events_namesake_first_and_saves_that_one(page, organiser):
    event = EventFactory(name="KVM Forum", time_zone="Europe/Madrid")
    devconf = EventFactory(
        name="DevConf", start_date=datetime.date(2013, 2, 1), end_date=datetime.date(2013, 2, 3)
    )
    elsewhere = SpeakerFactory(name="Anna Smith")
    TalkFactory(event=devconf, speakers=[elsewhere])
    here = SpeakerFactory(name="Anna Smith")
    TalkFactory(event=event, title="Storage", speakers=[here])
    talk = TalkFactory(
        event=event, title="Virtio status", slug="virtio-status", start=None, end=None
    )
    path = f"/admin/schedule/talk/{talk.pk}/change/"
    sign_in(page, path)

    page.locator("#talk_speakers-0 .select2-selection").click()
    page.locator(".select2-search__field").fill("anna")

    options = page.locator(".select2-results__option")
    expect(options).to_have_text(["Anna Smith (KVM Forum)", "Anna Smith (DevConf)"])
    options.first.click()
    page.get_by_role("button", name="Save", exact=True).click()

    page.wait_for_url("**/admin/schedule/talk/")
    assert list(TalkSpeaker.objects.filter(talk=talk).values_list("speaker", flat=True)) == [
        here.pk
    ]
