"""Organisers at work in the admin, in a real browser."""

import datetime

import pytest

from schedule.models import Talk
from tests.factories import EventFactory, SpeakerFactory, TalkFactory, venue_time

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page):
    page.goto("/admin/")
    page.get_by_label("Username").fill("organiser")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()


def test_organiser_signs_in_and_moves_a_talk_in_venue_time(page, organiser):
    event = EventFactory(name="KVM Forum", time_zone="Europe/Madrid")
    talk = TalkFactory(
        event=event,
        title="Keynote Address",
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 9, 15),
        speakers=[SpeakerFactory(name="Avi Kivity")],
    )

    sign_in(page)
    page.get_by_role("link", name="Talks").click()
    page.get_by_role("link", name="Keynote Address").click()

    assert page.locator("#id_start_1").input_value() == "09:00:00"
    assert "Europe/Madrid (CET, UTC+01:00)" in page.locator(".field-start").inner_text()
    page.locator("#id_start_1").fill("10:00")
    page.locator("#id_end_1").fill("10:30")
    page.get_by_role("button", name="Save", exact=True).click()

    assert "was changed successfully" in page.locator(".messagelist").inner_text()
    assert "10:00–10:30 CET" in page.locator("#result_list").inner_text()
    talk = Talk.objects.get(pk=talk.pk)
    assert talk.start == datetime.datetime(2012, 11, 7, 9, 0, tzinfo=datetime.UTC)
