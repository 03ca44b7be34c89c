"""The now page and the embeddable schedule in a real browser: refresh, keyboard, framing,
accessibility."""

import datetime
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import time_machine

from schedule.models import Talk
from tests.auto_release import release_pending

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
# 10:40 in Madrid on the agenda's second day. The server's clock is moved and keeps running.
SECOND_DAY_MORNING = datetime.datetime(2012, 11, 8, 9, 40, tzinfo=datetime.UTC)


def now_titles(page):
    return page.locator("#now-heading + ul a").all_inner_texts()


def rename_a_talk_on_now(event, title):
    talk = Talk.objects.get(event=event, title=title)
    talk.title = "Renamed while on"
    talk.save()
    release_pending()


def test_now_page_updates_itself_every_minute(page, kvm_forum):
    page.clock.install()
    with time_machine.travel(SECOND_DAY_MORNING):
        page.goto("/kvm-forum-2012/now/")
        assert now_titles(page) == [
            "KVM Memory Management Update & Plans",
            "Using oVirt Via ec2/cimi With Deltacloud",
        ]
        rename_a_talk_on_now(kvm_forum, "KVM Memory Management Update & Plans")

        with page.expect_navigation():
            page.clock.run_for(61_000)

        assert now_titles(page) == ["Renamed while on", "Using oVirt Via ec2/cimi With Deltacloud"]
    assert page.console_errors == []


def test_now_page_updates_pause_from_the_keyboard(page, kvm_forum):
    page.clock.install()
    with time_machine.travel(SECOND_DAY_MORNING):
        page.goto("/kvm-forum-2012/now/")
        pause = page.get_by_role("button", name="Pause updates")
        for _ in range(40):  # Tab through the page to the button, as a keyboard user does
            page.keyboard.press("Tab")
            if pause.evaluate("button => button === document.activeElement"):
                break
        page.keyboard.press("Enter")
        page.keyboard.press("Shift+Tab")  # focus leaves the button: only the pause holds
        page.locator("body").evaluate("body => document.activeElement.blur()")
        rename_a_talk_on_now(kvm_forum, "KVM Memory Management Update & Plans")

        page.clock.run_for(121_000)

        assert page.get_by_role("button", name="Resume updates").get_attribute("aria-pressed") == (
            "true"
        )
        assert "Renamed while on" not in now_titles(page)
        assert page.get_by_text("Updates paused.").is_visible()


@pytest.fixture
def framer():
    """Another site on this machine, on a port of its own: ``framer.frame(url)`` is the
    address of its page that frames ``url``; ``framer.origin`` is its origin.

    A real server rather than a routed response: Chromium counts a routed page
    as on the public internet and blocks its frames of this machine's pages
    before any policy of theirs is read.
    """
    pages = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 204)  # 204: its favicon, which it has not
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"

    def frame(url):
        path = f"/framer/{len(pages)}"
        pages[path] = f'<!doctype html><title>Framer</title><iframe src="{url}"></iframe>'
        return origin + path

    yield SimpleNamespace(origin=origin, frame=frame)
    server.shutdown()
    server.server_close()


def open_framed(page, framer, url):
    page.goto(framer.frame(url), wait_until="load")
    page.wait_for_timeout(300)  # the frame's own load, or its refusal
    return page.frame_locator("iframe")


def test_an_allowed_site_shows_the_embedded_schedule(page, live_server, framer, kvm_forum):
    kvm_forum.embed_origins = framer.origin
    kvm_forum.save()

    frame = open_framed(page, framer, f"{live_server.url}/kvm-forum-2012/schedule/embed/")

    assert frame.locator("h1").inner_text() == kvm_forum.name
    assert frame.locator(".embed-talk").count() == 34
    assert page.console_errors == []


@pytest.mark.parametrize("origins", ["", "https://www.example.org"])
def test_another_site_cannot_frame_the_embedded_schedule(
    page, live_server, framer, kvm_forum, origins
):
    kvm_forum.embed_origins = origins
    kvm_forum.save()

    frame = open_framed(page, framer, f"{live_server.url}/kvm-forum-2012/schedule/embed/")

    assert frame.locator(".embed-talk").count() == 0
    assert any("frame-ancestors" in error for error in page.console_errors), page.console_errors


def test_the_schedule_page_cannot_be_framed_even_when_embedding_is_allowed(
    page, live_server, framer, kvm_forum
):
    kvm_forum.embed_origins = framer.origin
    kvm_forum.save()

    frame = open_framed(page, framer, f"{live_server.url}/kvm-forum-2012/schedule/")

    assert frame.locator(".talk-card").count() == 0
    assert any("frame-ancestors" in error for error in page.console_errors), page.console_errors


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE])
def test_now_and_embed_pages_have_no_serious_accessibility_violations(page, kvm_forum, viewport):
    from axe_playwright_python.sync_playwright import Axe

    page.set_viewport_size(viewport)
    axe = Axe()
    problems = {}
    moments = {
        "running": SECOND_DAY_MORNING,
        "before": datetime.datetime(2012, 10, 1, 9, 0, tzinfo=datetime.UTC),
        "after": datetime.datetime(2013, 1, 1, 9, 0, tzinfo=datetime.UTC),
    }
    for name, moment in moments.items():
        with time_machine.travel(moment):
            for path in ("/kvm-forum-2012/now/", "/kvm-forum-2012/schedule/embed/"):
                page.goto(path)
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                violations = axe.run(page).response["violations"]
                serious = [
                    violation["id"]
                    for violation in violations
                    if violation["impact"] in {"serious", "critical"}
                ]
                if serious or overflow > 0:
                    problems[f"{name} {path}"] = (serious, overflow)

    assert problems == {}
