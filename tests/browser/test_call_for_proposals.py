"""The call for proposals walked once, end to end, in Chromium with JavaScript off.

A newcomer proposes from the call's page, a reviewer scores, an organiser
accepts in the admin, the speaker confirms from the mail, and the organiser
places the talk on the board: every step by plain links and forms.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from proposals.models import Call, ReviewCategory, SessionType
from proposals.states import State
from schedule.models import Talk
from tests.factories import EventFactory, RoomFactory, UserFactory, venue_time

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def browser_context_options():
    return {"java_script_enabled": False, "viewport": {"width": 1400, "height": 1000}}


@pytest.fixture
def call(db):
    event = EventFactory(slug="kvm-forum-2012", name="KVM Forum 2012", time_zone="Europe/Madrid")
    RoomFactory(event=event, name="Hall", slug="hall", position=0)
    now = timezone.now()
    call = Call.objects.create(
        event=event,
        opens=now - datetime.timedelta(days=1),
        closes=now + datetime.timedelta(days=10),
        text="Tell us about **virtualisation**.",
    )
    SessionType.objects.create(call=call, name="Talk", kind="talk", duration_minutes=40)
    ReviewCategory.objects.create(call=call, name="Content", position=0)
    return call


@pytest.fixture
def reviewer(call):
    user = UserFactory(username="rita")
    user.groups.add(Group.objects.get(name="Reviewers"))
    call.reviewers.add(user)
    return user


def _sent_mail(to):
    """The newest mail to ``to``, after the outbox is sent as the mail timer sends it."""
    call_command("send_mail", verbosity=0)
    return [message for message in mail.outbox if to in message.to][-1]


def _link(message):
    return re.search(r"http://\S+", message.body).group(0)


def _other_page(chromium_browser, live_server):
    context = chromium_browser.new_context(
        base_url=live_server.url, java_script_enabled=False, service_workers="block"
    )
    return context.new_page()


def test_a_newcomer_goes_from_the_call_to_a_talk_on_the_board_without_javascript(
    page, chromium_browser, live_server, call, reviewer, organiser
):
    event = call.event

    # The speaker: from the call's page to a sign-in link by mail.
    page.goto("/kvm-forum-2012/cfp/")
    assert "Talk: 40 minutes" in page.locator("main").inner_text()
    page.get_by_role("link", name="Propose a talk").click()
    page.get_by_label("Name").fill("Nadia Ngata")
    page.get_by_label("Email").fill("nadia@example.org")
    page.get_by_role("button", name="Mail me a sign-in link").click()
    page.goto(_link(_sent_mail("nadia@example.org")))
    page.get_by_role("button", name="Sign in and propose").click()

    # The proposal, and the bio her new profile lacks.
    page.get_by_label("Title").fill("Nested virtualisation in practice")
    page.get_by_label("Abstract").fill("Running KVM inside KVM.")
    page.get_by_label("Your bio").fill("Nadia works on *nested* KVM.")
    page.get_by_role("button", name="Submit the proposal").click()
    expect(page.locator("main")).to_contain_text("is handed in; a mail confirms it.")
    expect(page.locator("table")).to_contain_text("Submitted")

    # The reviewer scores it.
    reviewing = _other_page(chromium_browser, live_server)
    reviewing.goto("/accounts/login/?next=/kvm-forum-2012/review/")
    reviewing.get_by_label("Username").fill("rita")
    reviewing.get_by_label("Password").fill(PASSWORD)
    reviewing.get_by_role("button", name="Sign in").click()
    reviewing.get_by_role("link", name="Nested virtualisation in practice").click()
    reviewing.get_by_label("3").check()
    reviewing.get_by_label("Comment").fill("Clear and useful.")
    reviewing.get_by_role("button", name="Save my review").click()
    expect(reviewing.locator("main")).to_contain_text(
        "Your review of “Nested virtualisation in practice” is saved."
    )
    reviewing.context.close()

    # The organiser accepts it, previewing the mail first.
    organising = _other_page(chromium_browser, live_server)
    organising.goto("/admin/login/?next=/admin/proposals/proposal/")
    organising.get_by_label("Username").fill("organiser")
    organising.get_by_label("Password").fill(PASSWORD)
    organising.get_by_role("button", name="Log in").click()
    expect(organising.locator("#result_list")).to_contain_text("3.00")
    organising.locator("input[name=_selected_action]").check()
    organising.locator("select[name=action]").select_option("decide_accepted")
    organising.locator("button[name=index]").click()
    expect(organising.locator("#content")).to_contain_text("Nested virtualisation in practice")
    organising.locator("#content input[type=submit]").click()

    # The speaker confirms from the decision mail.
    page.goto(_link(_sent_mail("nadia@example.org")))
    page.get_by_role("button", name="Yes, I confirm").click()
    talk = Talk.objects.get(event=event)
    assert (talk.title, talk.planned_minutes, talk.start) == (
        "Nested virtualisation in practice",
        40,
        None,
    )
    assert talk.proposal.state == State.CONFIRMED

    # The organiser places it on the board with the card's "Move…" form.
    organising.goto(f"/admin/schedule/talk/board/{event.pk}/2012-11-07/")
    card = organising.locator(f"#talk-{talk.pk}")
    expect(card).to_contain_text("Unscheduled, 40 min")
    card.get_by_role("link", name="Move…").click()
    move = organising.locator("#board-move")
    move.get_by_label("Room").select_option("Hall")
    move.get_by_label("Start").fill("11:30")
    move.get_by_role("button", name="Move").click()

    expect(organising.locator("main, #content").first).to_contain_text(
        "Moved “Nested virtualisation in practice” to Hall"
    )
    talk.refresh_from_db()
    assert (talk.room.name, talk.start, talk.end) == (
        "Hall",
        venue_time(event, 2012, 11, 7, 11, 30),
        venue_time(event, 2012, 11, 7, 12, 10),
    )
    assert talk.speakers.get().bio == "Nadia works on *nested* KVM."
    organising.context.close()
