"""What attendees see in a real browser: layout, JavaScript comforts, accessibility."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from schedule.models import Talk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def browser_context_options():
    """The attendee browses from New York, six hours behind the venue in November."""
    return {"timezone_id": "America/New_York"}


def public_pages(event):
    talk = Talk.objects.get(
        event=event, title="Live Migration: Even faster, Now With a Dedicated Thread!"
    )
    return [
        "/",
        f"/{event.slug}/",
        f"/{event.slug}/schedule/",
        f"/{event.slug}/schedule/?day=2012-11-08",
        f"/{event.slug}/talks/{talk.slug}/",
        f"/{event.slug}/speakers/",
        f"/{event.slug}/speakers/orit-wasserman/",
    ]


def test_schedule_shows_the_2012_agenda_by_day(page, kvm_forum):
    page.goto("/kvm-forum-2012/schedule/")

    days = page.locator(".schedule-day")
    counts = [days.nth(index).locator(".talk-card").count() for index in range(days.count())]
    assert counts == [13, 18, 3]
    assert page.locator(".schedule-day h2").all_inner_texts() == [
        "Wednesday 7 November",
        "Thursday 8 November",
        "Friday 9 November",
    ]


def test_no_page_scrolls_sideways_on_a_phone(page, kvm_forum):
    page.set_viewport_size(PHONE)

    for path in public_pages(kvm_forum):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow == 0, f"{path} scrolls sideways by {overflow}px"


def test_schedule_becomes_a_list_by_time_on_a_phone(page, kvm_forum):
    page.set_viewport_size(PHONE)
    page.goto("/kvm-forum-2012/schedule/?day=2012-11-07")

    boxes = [card.bounding_box() for card in page.locator(".talk-card").all()]
    lefts = {round(box["x"]) for box in boxes}
    tops = [box["y"] for box in boxes]
    assert len(lefts) == 1
    assert tops == sorted(tops)


def test_starred_talk_survives_a_reload_and_is_in_my_schedule(page, kvm_forum):
    page.goto("/kvm-forum-2012/schedule/?day=2012-11-08")
    star = page.get_by_role("button", name="Star “A Block Layer Overview”")

    star.click()
    page.reload()

    star = page.get_by_role("button", name="Star “A Block Layer Overview”")
    assert star.get_attribute("aria-pressed") == "true"
    assert page.locator("[data-star-count]").inner_text() == "1"
    page.get_by_role("link", name="My schedule").click()
    assert page.locator("h1").inner_text() == "My schedule"
    assert page.locator(".talk-title").all_inner_texts() == ["A Block Layer Overview"]
    calendar_link = page.get_by_role("link", name="My calendar (.ics)").get_attribute("href")
    talk = Talk.objects.get(title="A Block Layer Overview")
    assert calendar_link == f"/kvm-forum-2012/schedule.ics?talks={talk.uuid}"
    assert page.console_errors == []


def test_unstarring_removes_the_talk_from_my_schedule(page, kvm_forum):
    page.goto("/kvm-forum-2012/schedule/?day=2012-11-09")
    star = page.get_by_role("button", name="Star “OpenStack: KVM for the Masses”")
    star.click()
    star.click()

    page.get_by_role("link", name="My schedule").click()

    assert page.locator(".talk-card").count() == 0
    assert "You have not starred any talks yet." in page.locator("main").inner_text()


def test_zone_switch_shows_times_in_the_viewer_zone_and_is_remembered(page, kvm_forum):
    page.goto("/kvm-forum-2012/schedule/?day=2012-11-07")
    first_time = page.locator(".talk-card time").first
    assert first_time.inner_text() == "09:00"

    page.get_by_role("button", name="Show in my time zone (America/New_York)").click()

    assert first_time.inner_text() == "03:00"
    assert "America/New_York (your time zone)" in page.locator(".zone-bar").inner_text()
    page.reload()
    assert page.locator(".talk-card time").first.inner_text() == "03:00"
    page.get_by_role("button", name="Show in the venue's time zone (Europe/Madrid)").click()
    assert page.locator(".talk-card time").first.inner_text() == "09:00"
    assert page.console_errors == []


def test_no_console_errors_on_any_public_page(page, kvm_forum):
    for path in public_pages(kvm_forum):
        page.goto(path)
        page.wait_for_load_state("networkidle")

    assert page.console_errors == []


def test_public_pages_have_no_serious_accessibility_violations(page, kvm_forum):
    axe = Axe()
    problems = {}

    for path in public_pages(kvm_forum):
        page.goto(path)
        violations = axe.run(page).response["violations"]
        serious = [
            f"{violation['id']}: {violation['help']}"
            for violation in violations
            if violation["impact"] in {"serious", "critical"}
        ]
        if serious:
            problems[path] = serious

    assert problems == {}
