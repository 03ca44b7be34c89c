"""What attendees see in a real browser: layout, JavaScript comforts, accessibility."""

import datetime

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from schedule.models import Talk
from schedule.services.generate import event_generate

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
    first_day = page.locator(".schedule-day h2").all_inner_texts()
    page.get_by_role("link", name="All days").click()
    page.wait_for_url("**/schedule/?day=all")
    days = page.locator(".schedule-day")
    expect(days).to_have_count(3)

    assert first_day == ["Wednesday 7 November"]
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
    expect(page.locator("h1")).to_have_text("My schedule")
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

    expect(page.locator("main")).to_contain_text("You have not starred any talks yet.")
    assert page.locator(".talk-card").count() == 0


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


def serious_accessibility_problems(page, paths):
    """``{path: ["rule: help", …]}`` of axe's serious and critical findings on each page."""
    axe = Axe()
    problems = {}
    for path in paths:
        page.goto(path)
        violations = axe.run(page).response["violations"]
        serious = [
            f"{violation['id']}: {violation['help']}"
            for violation in violations
            if violation["impact"] in {"serious", "critical"}
        ]
        if serious:
            problems[path] = serious
    return problems


def test_public_pages_have_no_serious_accessibility_violations(page, kvm_forum):
    assert serious_accessibility_problems(page, public_pages(kvm_forum)) == {}


# 10:40 in Madrid on the agenda's second day: two talks are on. The server's
# clock is moved (the browser's is not), and keeps running.
SECOND_DAY_MORNING = datetime.datetime(2012, 11, 8, 9, 40, tzinfo=datetime.UTC)


def wait_until_at_top(page, locator):
    """Wait for ``locator``'s element to reach the window's top (Bootstrap scrolls smoothly)."""
    page.wait_for_function(
        "element => Math.abs(element.getBoundingClientRect().top) <= 1",
        arg=locator.element_handle(),
    )


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["wide", "phone"])
def test_pages_of_a_running_event_have_no_serious_accessibility_violations(
    page, kvm_forum, viewport
):
    if viewport:
        page.set_viewport_size(viewport)
    paths = [
        "/",
        "/kvm-forum-2012/",
        "/kvm-forum-2012/schedule/",
        "/kvm-forum-2012/schedule/?day=all",
    ]

    with time_machine.travel(SECOND_DAY_MORNING):
        page.goto("/kvm-forum-2012/schedule/")
        assert page.locator(".now-panel").is_visible()
        problems = serious_accessibility_problems(page, paths)

    assert problems == {}


def test_jump_to_now_brings_the_talks_on_now_to_the_top_of_a_phone(page, kvm_forum):
    page.set_viewport_size(PHONE)

    with time_machine.travel(SECOND_DAY_MORNING):
        page.goto("/kvm-forum-2012/schedule/")
        assert page.locator(".now-panel").bounding_box()["y"] < PHONE["height"] / 2
        page.get_by_role("link", name="Jump to now").click()

    heading = page.locator("li.slot:has(.is-now) .slot-time").first
    assert heading.inner_text() == "10:30"
    wait_until_at_top(page, heading)


@pytest.fixture
def busy_day(db):
    """One day of 6 rooms × 12 talks, as the generator lays them out."""
    event_generate(slug="busy", days=1, rooms=6, slots=12, seed=1)
    return "/busy/schedule/"


def test_phone_list_keeps_the_time_of_what_is_on_screen_at_its_top(page, busy_day):
    page.set_viewport_size(PHONE)
    page.goto(busy_day)
    groups = page.locator(".timetable-group")
    group = groups.nth(3)
    box = group.bounding_box()
    assert box["height"] > PHONE["height"] / 2  # six cards: a group taller than half the screen

    # Scrolled to halfway down the fourth time's cards.
    page.evaluate(f"window.scrollTo(0, {box['y'] + box['height'] / 2})")

    heading = group.locator(".timetable-time")
    assert heading.is_visible()
    assert abs(heading.bounding_box()["y"]) <= 1
    # The heading before it has scrolled away with its own cards.
    assert groups.nth(2).locator(".timetable-time").bounding_box()["y"] < -1


def test_phone_list_has_a_link_to_each_hour_that_leads_to_its_first_time(page, busy_day):
    page.set_viewport_size(PHONE)
    page.goto(busy_day)
    jumps = page.get_by_role("navigation", name="Jump to a time on Monday 6 May")
    hours = jumps.get_by_role("link").all_inner_texts()
    headings = page.locator(".timetable-time").all_inner_texts()
    assert hours == sorted({f"{clock[:2]}:00" for clock in headings})
    assert len(hours) > 3

    jumps.get_by_role("link", name=hours[-2]).click()

    first_of_hour = page.locator(".timetable-time").nth(
        [clock[:2] for clock in headings].index(hours[-2][:2])
    )
    assert page.evaluate("location.hash") == "#" + first_of_hour.get_attribute("id")
    assert first_of_hour.is_visible()
    wait_until_at_top(page, first_of_hour)


def test_prose_is_set_at_a_reading_width(page, kvm_forum):
    page.set_viewport_size({"width": 1280, "height": 900})
    talk = Talk.objects.get(
        event=kvm_forum, title="Live Migration: Even faster, Now With a Dedicated Thread!"
    )

    for path, selector in [
        (f"/kvm-forum-2012/talks/{talk.slug}/", ".talk-abstract"),
        ("/kvm-forum-2012/", ".event-description"),
    ]:
        page.goto(path)
        width = page.locator(selector).bounding_box()["width"]
        assert 400 < width <= 760, f"{selector} on {path} is {width}px wide"


@pytest.fixture
def thirty_rooms(db):
    """One day of 30 rooms × 6 slots, more than fit at 1280 px."""
    event_generate(slug="wide", days=1, rooms=30, slots=6, seed=2)
    return "/wide/schedule/"


def test_a_wide_grid_keeps_room_names_and_times_in_view_as_it_scrolls(page, thirty_rooms):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(thirty_rooms)
    grid = page.locator(".timetable-wide")
    box = grid.bounding_box()
    assert box["width"] <= 1280  # the page does not scroll sideways: the grid does
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280

    grid.evaluate("grid => grid.scrollTo(grid.scrollWidth, grid.scrollHeight / 2)")

    box = grid.bounding_box()
    rooms = page.locator(".timetable-room")
    visible_room = rooms.nth(rooms.count() - 1).bounding_box()
    assert abs(visible_room["y"] - box["y"]) <= 2  # the names stay at the grid's top
    times = page.locator(".timetable-time")
    shown = [times.nth(n).bounding_box() for n in range(times.count())]
    in_view = [t for t in shown if box["y"] < t["y"] < box["y"] + box["height"]]
    assert in_view
    assert all(abs(t["x"] - box["x"]) <= 2 for t in in_view)  # the times stay at its left


def test_card_titles_break_between_words_only(page, thirty_rooms):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(thirty_rooms)

    style = page.locator(".talk-card").first.evaluate(
        "card => [getComputedStyle(card).overflowWrap, getComputedStyle(card).wordBreak]"
    )
    # Each word of a title is as wide as its card allows: no word was cut in two.
    widest = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('.talk-card .talk-title a')].map(a => {
            const range = document.createRange();
            let cut = 0;
            for (const match of a.textContent.matchAll(/\\S+/g)) {
                range.setStart(a.firstChild, match.index);
                range.setEnd(a.firstChild, match.index + match[0].length);
                if (range.getClientRects().length > 1) cut += 1;
            }
            return cut;
        }))"""
    )
    assert style == ["break-word", "normal"]
    assert widest == 0
