"""The schedule board's layout at a laptop's width, in a real browser."""

import datetime

import pytest
from playwright.sync_api import expect

from tests.factories import EventFactory, RoomFactory, SpeakerFactory, TalkFactory, venue_time

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser_context_options():
    return {"viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def busy_day(db):
    """Twelve rooms with a talk each from 10:00, one of them in two warnings."""
    event = EventFactory(name="KVM Forum", time_zone="Europe/Madrid")
    rooms = [
        RoomFactory(event=event, name=f"Room {number}", slug=f"r{number}", position=number)
        for number in range(12)
    ]
    talks = []
    for number, room in enumerate(rooms):
        start = venue_time(event, 2012, 11, 7, 10, 0) + datetime.timedelta(minutes=30 * number)
        talks.append(
            TalkFactory(
                event=event,
                title=f"Paravirtualised interrupt controllers {number}",
                room=room,
                start=start,
                end=start + datetime.timedelta(minutes=30),
                speakers=[SpeakerFactory(name=f"Speaker {number}", bio="Has a bio.")],
            )
        )
    # Published without a speaker: a warning the board marks.
    lonely = TalkFactory(
        event=event,
        title="Lonely",
        room=rooms[0],
        start=venue_time(event, 2012, 11, 7, 14, 0),
        end=venue_time(event, 2012, 11, 7, 14, 30),
    )
    return {"event": event, "rooms": rooms, "lonely": lonely}


def open_board(page, event):
    board_path = f"/admin/schedule/talk/board/{event.pk}/2012-11-07/"
    page.goto(f"/admin/login/?next={board_path}")
    page.get_by_label("Username").fill("organiser")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{board_path}")
    page.console_errors.clear()


def test_a_laptop_screen_shows_at_least_six_rooms(page, organiser, busy_day):
    open_board(page, busy_day["event"])

    scroller = page.locator(".board-scroll").bounding_box()
    headers = page.locator(".board-room").all()
    visible = [
        header.inner_text()
        for header in headers
        if (box := header.bounding_box())
        and box["x"] >= scroller["x"] - 1
        and box["x"] + box["width"] <= scroller["x"] + scroller["width"] + 1
    ]
    assert len(visible) >= 6, visible
    assert visible[:6] == [f"Room {number}" for number in range(6)]
    # The admin's menu of models is not drawn beside the board.
    expect(page.locator("#nav-sidebar")).to_have_count(0)
    # The rest of the rooms are a scroll away inside the board, not off the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.console_errors == []


def test_room_names_and_times_stay_in_view_while_scrolling(page, organiser, busy_day):
    open_board(page, busy_day["event"])
    header = page.locator(".board-room", has_text="Room 1").first
    ten = page.locator(".board-time time", has_text="10:00")
    before_header, before_time = header.bounding_box(), ten.bounding_box()

    page.locator(".board-scroll").evaluate("node => node.scrollBy(400, 120)")

    after_header, after_time = header.bounding_box(), ten.bounding_box()
    assert after_header["y"] == pytest.approx(before_header["y"], abs=1)
    assert after_time["x"] == pytest.approx(before_time["x"], abs=1)


def test_the_board_shows_the_days_hours_only(page, organiser, busy_day):
    open_board(page, busy_day["event"])

    hours = page.locator(".board-time time").all_inner_texts()

    # From the first start (10:00) to the last end (16:00), not from 08:00.
    assert hours == ["10:00", "11:00", "12:00", "13:00", "14:00", "15:00"]


def test_warnings_are_an_icon_and_a_count_with_the_text_on_demand(page, organiser, busy_day):
    open_board(page, busy_day["event"])
    card = page.locator(f"#talk-{busy_day['lonely'].pk}")
    message = card.get_by_text("“Lonely” is published without a speaker.")

    expect(card.locator(".board-problems summary")).to_have_text("⚠ 1 warning")
    expect(message).to_be_hidden()
    card.locator(".board-problems summary").click()
    expect(message).to_be_visible()


def test_titles_are_not_broken_mid_word(page, organiser, busy_day):
    open_board(page, busy_day["event"])

    styles = page.locator(".board-card-title").first.evaluate(
        "node => [getComputedStyle(node).overflowWrap, getComputedStyle(node).wordBreak]"
    )

    assert styles[0] != "anywhere"
    assert styles[1] not in {"break-all", "break-word"}
    # Each word of the title is on one line: no word's box is split.
    split = page.locator(".board-card-title a").first.evaluate(
        """node => {
          const range = document.createRange();
          const text = node.firstChild;
          const words = [];
          let at = 0;
          for (const word of text.data.split(" ")) {
            range.setStart(text, at);
            range.setEnd(text, at + word.length);
            words.push(range.getClientRects().length);
            at += word.length + 1;
          }
          return words.filter(count => count > 1).length;
        }"""
    )
    assert split == 0
