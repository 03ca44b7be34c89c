"""The schedule board in a real browser: moves and swaps by drag and drop."""

import datetime

import pytest
from playwright.sync_api import expect

from schedule.models import Talk
from tests.factories import EventFactory, RoomFactory, SpeakerFactory, TalkFactory, venue_time

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

UTC = datetime.UTC


@pytest.fixture
def browser_context_options():
    # Wide enough for the whole board; the organiser's own zone is not the venue's; a
    # touch screen as well as a mouse.
    return {
        "viewport": {"width": 1600, "height": 1000},
        "timezone_id": "America/New_York",
        "has_touch": True,
    }


@pytest.fixture
def board(db):
    """KVM Forum's first day: a keynote in the Hall at 10:00, a talk in the Lab at 09:00."""
    event = EventFactory(name="KVM Forum", time_zone="Europe/Madrid")
    hall = RoomFactory(event=event, name="Hall", slug="hall", position=0)
    lab = RoomFactory(event=event, name="Lab", slug="lab", position=1)
    avi = SpeakerFactory(name="Avi Kivity")
    keynote = TalkFactory(
        event=event,
        title="Keynote",
        room=hall,
        start=venue_time(event, 2012, 11, 7, 10, 0),
        end=venue_time(event, 2012, 11, 7, 11, 0),
        speakers=[SpeakerFactory(name="Jim Whitehurst")],
    )
    virtio = TalkFactory(
        event=event,
        title="Virtio status",
        room=lab,
        start=venue_time(event, 2012, 11, 7, 9, 0),
        end=venue_time(event, 2012, 11, 7, 9, 30),
        speakers=[avi],
    )
    return {"event": event, "hall": hall, "lab": lab, "keynote": keynote, "virtio": virtio}


def open_board(page, event):
    """Sign in as the organiser on the admin's login page, which leads on to the board."""
    board_path = f"/admin/schedule/talk/board/{event.pk}/2012-11-07/"
    page.goto(f"/admin/login/?next={board_path}")
    page.get_by_label("Username").fill("organiser")
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{board_path}")
    # The admin's login page names no icon, so Chromium's /favicon.ico is a 404 there;
    # only the board's own errors count.
    page.console_errors.clear()


def cell(page, room, time):
    return page.locator(f'[data-drop-cell][data-room="{room.pk}"][data-time="{time}"]')


def place(talk):
    talk = Talk.objects.select_related("room").get(pk=talk.pk)
    return (talk.room.name, talk.start, talk.end)


def test_dragging_a_talk_to_an_empty_slot_moves_it(page, organiser, board):
    open_board(page, board["event"])
    virtio = board["virtio"]

    page.locator(f"#talk-{virtio.pk}").drag_to(cell(page, board["hall"], "09:15"))

    expect(page.locator(".messagelist")).to_have_text(
        "Moved “Virtio status” to Hall, Wed 7 Nov 09:15–09:45 CET."
    )
    card = page.locator(f"#talk-{virtio.pk}").bounding_box()
    hall = page.locator(f'[data-room-header="{board["hall"].pk}"]').bounding_box()
    quarter_past = cell(page, board["lab"], "09:15").bounding_box()
    assert hall["x"] <= card["x"] < hall["x"] + hall["width"]
    assert abs(card["y"] - quarter_past["y"]) < 4
    assert place(virtio) == (
        "Hall",
        datetime.datetime(2012, 11, 7, 8, 15, tzinfo=UTC),
        datetime.datetime(2012, 11, 7, 8, 45, tzinfo=UTC),
    )
    assert page.console_errors == []


def test_dragging_a_talk_where_it_would_clash_is_refused(page, organiser, board):
    open_board(page, board["event"])
    virtio = board["virtio"]

    # 09:45–10:15 in the Hall runs into the keynote at 10:00.
    page.locator(f"#talk-{virtio.pk}").drag_to(cell(page, board["hall"], "09:45"))

    expect(page.locator(".messagelist")).to_have_text(
        "“Virtio status” was not moved: “Keynote” is in Hall at the same time as "
        "“Virtio status” (Wed 07 Nov 09:45–10:15)."
    )
    expect(page.locator("#board-retry")).to_contain_text(
        "Move “Virtio status” to Hall, Wed 7 Nov 09:45 CET despite the clash"
    )
    card = page.locator(f"#talk-{virtio.pk}").bounding_box()
    lab = page.locator(f'[data-room-header="{board["lab"].pk}"]').bounding_box()
    assert lab["x"] <= card["x"] < lab["x"] + lab["width"]
    assert place(virtio) == (
        "Lab",
        datetime.datetime(2012, 11, 7, 8, 0, tzinfo=UTC),
        datetime.datetime(2012, 11, 7, 8, 30, tzinfo=UTC),
    )
    assert page.console_errors == []


def test_dropping_a_talk_onto_another_asks_then_swaps_them(page, organiser, board):
    open_board(page, board["event"])
    virtio, keynote = board["virtio"], board["keynote"]
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", answer)
    page.locator(f"#talk-{virtio.pk}").drag_to(page.locator(f"#talk-{keynote.pk}"))

    expect(page.locator(".messagelist")).to_have_text(
        "Swapped “Virtio status” (Hall, Wed 7 Nov 10:00–10:30 CET) "
        "and “Keynote” (Lab, Wed 7 Nov 09:00–10:00 CET)."
    )
    assert questions == ["Swap “Virtio status” and “Keynote”?"]
    assert place(virtio)[0] == "Hall"
    assert place(keynote)[0] == "Lab"
    assert page.console_errors == []


def test_a_real_mouse_drag_moves_a_talk(page, organiser, board):
    open_board(page, board["event"])
    virtio = board["virtio"]
    card = page.locator(f"#talk-{virtio.pk}").bounding_box()
    target = cell(page, board["hall"], "09:00")
    target.scroll_into_view_if_needed()
    box = target.bounding_box()

    # The mouse as a person moves it: press on the card, move in steps, let go on the cell.
    page.mouse.move(card["x"] + card["width"] / 2, card["y"] + card["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=12)
    page.mouse.up()

    expect(page.locator(".messagelist")).to_have_text(
        "Moved “Virtio status” to Hall, Wed 7 Nov 09:00–09:30 CET."
    )
    assert place(virtio) == (
        "Hall",
        datetime.datetime(2012, 11, 7, 8, 0, tzinfo=UTC),
        datetime.datetime(2012, 11, 7, 8, 30, tzinfo=UTC),
    )
    page.reload()
    moved = page.locator(f"#talk-{virtio.pk}").bounding_box()
    hall = page.locator(f'[data-room-header="{board["hall"].pk}"]').bounding_box()
    assert hall["x"] <= moved["x"] < hall["x"] + hall["width"]
    assert page.console_errors == []


def test_a_click_on_a_card_without_moving_is_not_a_drag(page, organiser, board):
    open_board(page, board["event"])
    virtio = board["virtio"]

    page.locator(f"#talk-{virtio.pk} .board-card-title a").click()

    page.wait_for_url(f"**/admin/schedule/talk/{virtio.pk}/change/")
    assert place(virtio)[0] == "Lab"
    assert page.console_errors == []


def test_move_link_opens_the_one_move_form_filled_in_for_that_talk(page, organiser, board):
    open_board(page, board["event"])
    virtio = board["virtio"]
    dialog = page.get_by_role("dialog", name="Move “Virtio status”")
    expect(dialog).to_be_hidden()

    page.locator(f"#talk-{virtio.pk}").get_by_role("link", name="Move…").click()

    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Room")).to_have_value(str(board["lab"].pk))
    expect(dialog.get_by_label("Day")).to_have_value("2012-11-07")
    expect(dialog.get_by_label("Start")).to_have_value("09:00")
    expect(dialog.get_by_label("Room")).to_be_focused()
    dialog.get_by_label("Room").select_option("Hall")
    dialog.get_by_label("Start").fill("11:30")
    dialog.get_by_role("button", name="Move").click()

    expect(page.locator(".messagelist")).to_have_text(
        "Moved “Virtio status” to Hall, Wed 7 Nov 11:30–12:00 CET."
    )
    assert place(virtio) == (
        "Hall",
        datetime.datetime(2012, 11, 7, 10, 30, tzinfo=UTC),
        datetime.datetime(2012, 11, 7, 11, 0, tzinfo=UTC),
    )
    assert page.console_errors == []


def test_move_form_cancel_closes_it_and_moves_nothing(page, organiser, board):
    open_board(page, board["event"])
    keynote = board["keynote"]

    page.locator(f"#talk-{keynote.pk}").get_by_role("link", name="Move…").click()
    dialog = page.get_by_role("dialog", name="Move “Keynote”")
    expect(dialog.get_by_label("Room")).to_have_value(str(board["hall"].pk))
    dialog.get_by_role("link", name="Cancel").click()

    expect(dialog).to_be_hidden()
    assert place(keynote)[0] == "Hall"
    assert page.console_errors == []


def test_a_finger_drag_on_a_touch_screen_moves_a_talk(page, organiser, board):
    open_board(page, board["event"])
    virtio = board["virtio"]
    card = page.locator(f"#talk-{virtio.pk}").bounding_box()
    box = cell(page, board["hall"], "09:30").bounding_box()
    start = (card["x"] + card["width"] / 2, card["y"] + card["height"] / 2)
    end = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    touch = page.context.new_cdp_session(page)

    # A finger as the touch screen reports it: down on the card, along, and up over the cell.
    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point(start)]})
    for step in range(1, 11):
        at = (
            start[0] + (end[0] - start[0]) * step / 10,
            start[1] + (end[1] - start[1]) * step / 10,
        )
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point(at)]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    expect(page.locator(".messagelist")).to_have_text(
        "Moved “Virtio status” to Hall, Wed 7 Nov 09:30–10:00 CET."
    )
    assert place(virtio) == (
        "Hall",
        datetime.datetime(2012, 11, 7, 8, 30, tzinfo=UTC),
        datetime.datetime(2012, 11, 7, 9, 0, tzinfo=UTC),
    )
    assert page.console_errors == []


def point(at):
    return {"x": at[0], "y": at[1]}
