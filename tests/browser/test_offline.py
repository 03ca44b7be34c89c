"""The schedule with the network off: the service worker's saved copies, and back online."""

import pytest
from playwright.sync_api import expect

from schedule.models import Talk
from tests.factories import EventFactory, SpeakerFactory, scheduled_talk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTICE = "[data-offline-notice]"


@pytest.fixture
def browser_context_options():
    return {"service_workers": "allow"}


@pytest.fixture
def event_with_talks(db):
    event = EventFactory(slug="devconf", name="DevConf")
    speaker = SpeakerFactory(name="Ada Lovelace", slug="ada-lovelace")
    scheduled_talk(event, "Engines that weave", (9, 0), (10, 0), speakers=[speaker])
    scheduled_talk(event, "Notes on notes", (10, 0), (11, 0), day=8)
    return event


# What the schedule asks the worker to keep besides itself (static/js/offline.js).
KEPT_WITH_THE_SCHEDULE = [
    "/devconf/schedule/",
    "/static/css/site.css",
    "/static/js/event.js",
    "/devconf/schedule/?day=2012-11-07",
    "/devconf/schedule/?day=2012-11-08",
    "/devconf/schedule/?talks=",
    "/devconf/schedule.ics",
    "/devconf/schedule.xml",
    "/devconf/schedule.json",
]


def wait_until_kept(page, paths):
    """Waits until the worker controls the page and holds a copy of each of ``paths``.

    Waiting for them all also keeps the test's own requests from overlapping
    the worker's (the live server's test database takes one at a time).
    """
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    missing = page.evaluate(
        """async (paths) => {
            const deadline = Date.now() + 10000;
            for (;;) {
                const missing = [];
                for (const path of paths) {
                    if (!(await caches.match(path))) missing.push(path);
                }
                if (!missing.length || Date.now() > deadline) return missing;
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
        }""",
        paths,
    )
    assert missing == []


def test_schedule_and_talk_work_offline_and_refresh_when_back(page, event_with_talks):
    schedule_url, talk_url = "/devconf/schedule/", "/devconf/talks/engines-that-weave/"
    speaker_url = "/devconf/speakers/ada-lovelace/"
    page.goto(schedule_url)
    wait_until_kept(page, KEPT_WITH_THE_SCHEDULE)
    # The talk page, opened while online, is kept as it is read.
    page.goto(talk_url)
    wait_until_kept(page, [talk_url])
    page.goto(speaker_url)
    wait_until_kept(page, [speaker_url])
    page.goto(talk_url)
    assert page.locator(NOTICE).is_hidden()

    page.context.set_offline(True)
    page.reload()
    assert page.locator("h1").inner_text().startswith("Engines that weave")
    assert page.locator(NOTICE).is_visible()
    assert page.locator(NOTICE).inner_text().startswith("Offline, as of ")
    page.goto(speaker_url)
    assert page.locator("h1").inner_text() == "Ada Lovelace"
    assert page.locator(NOTICE).is_visible()
    page.goto(schedule_url)
    assert "Engines that weave" in page.locator(".talk-card").first.inner_text()
    assert page.locator(NOTICE).is_visible()
    # Kept with the schedule without being opened: another day and the exports.
    page.goto("/devconf/schedule/?day=2012-11-08")
    assert "Notes on notes" in page.locator("main").inner_text()
    exported = page.evaluate("fetch('/devconf/schedule.json').then((r) => r.text())")
    assert "Notes on notes" in exported

    page.goto(schedule_url)
    # Meanwhile an organiser renames the talk (released on the next request).
    talk = Talk.objects.get(slug="engines-that-weave", release=None)
    talk.title = "Engines that weave, revised"
    talk.save()
    page.context.set_offline(False)
    # The page reloads itself, from the network.
    expect(page.locator(".talk-card").first).to_contain_text("Engines that weave, revised")
    assert page.locator(NOTICE).is_hidden()
    assert page.console_errors == []


def test_star_list_works_offline(page, event_with_talks):
    page.goto("/devconf/schedule/")
    wait_until_kept(page, KEPT_WITH_THE_SCHEDULE)
    page.locator("[data-star]").first.click()
    my_schedule = page.locator("[data-my-schedule]").get_attribute("href")
    # The star list's new address is kept once the star changes it.
    wait_until_kept(page, [my_schedule])

    page.context.set_offline(True)
    page.goto(my_schedule)
    assert page.locator("h1").inner_text() == "My schedule"
    assert page.locator(".talk-card").count() == 1
    assert page.locator(NOTICE).is_visible()


def test_nothing_of_the_admin_is_kept(page, event_with_talks):
    page.goto("/devconf/schedule/")
    wait_until_kept(page, KEPT_WITH_THE_SCHEDULE)
    page.goto("/admin/login/")
    page.goto("/accounts/login/")
    wait_until_kept(page, ["/devconf/schedule/"])

    kept = page.evaluate(
        """async () => {
            const names = await caches.keys();
            const cache = await caches.open(names[0]);
            return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }"""
    )
    assert [path for path in kept if path.startswith(("/admin/", "/accounts/"))] == []
    assert "/devconf/schedule/" in kept


def test_with_the_network_up_a_reload_shows_the_server_and_not_the_copy(page, event_with_talks):
    page.goto("/devconf/schedule/")
    wait_until_kept(page, KEPT_WITH_THE_SCHEDULE)
    talk = Talk.objects.get(slug="engines-that-weave", release=None)
    talk.title = "Engines that weave, moved"
    talk.save()

    page.reload()

    assert "Engines that weave, moved" in page.locator(".talk-card").first.inner_text()
    assert page.locator(NOTICE).is_hidden()
