"""The schedule with the network off: the service worker's saved copies, and back online."""

import pytest

from schedule.models import Talk
from tests.factories import EventFactory, SpeakerFactory, scheduled_talk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NOTICE = "[data-offline-notice]"


@pytest.fixture
def event_with_talks(db):
    event = EventFactory(slug="devconf", name="DevConf")
    speaker = SpeakerFactory(name="Ada Lovelace", slug="ada-lovelace")
    scheduled_talk(event, "Engines that weave", (9, 0), (10, 0), speakers=[speaker])
    scheduled_talk(event, "Notes on notes", (10, 0), (11, 0), day=8)
    return event


def controlled(page):
    """Waits until the service worker controls the page and has kept what it asked for."""
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_function(
        """async (count) => {
            const names = await caches.keys();
            if (!names.length) return false;
            const cache = await caches.open(names[0]);
            return (await cache.keys()).length >= count;
        }""",
        arg=7,  # the page, All days, two days, the star list and three exports
    )


def test_schedule_and_talk_work_offline_and_refresh_when_back(page, event_with_talks):
    schedule_url, talk_url = "/devconf/schedule/", "/devconf/talks/engines-that-weave/"
    page.goto(schedule_url)
    controlled(page)
    # The talk page, opened while online, is kept as it is read.
    page.goto(talk_url)
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    assert page.locator(NOTICE).is_hidden()

    page.context.set_offline(True)
    page.reload()
    assert page.locator("h1").inner_text() == "Engines that weave"
    assert page.locator(NOTICE).is_visible()
    assert page.locator(NOTICE).inner_text().startswith("Offline, as of ")
    page.goto(schedule_url)
    assert page.locator(".talk-card").all_inner_texts()[0].startswith("Engines that weave")
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
    with page.expect_navigation():
        page.context.set_offline(False)
    assert page.locator(NOTICE).is_hidden()
    assert page.locator(".talk-card").all_inner_texts()[0].startswith(
        "Engines that weave, revised"
    )
    assert page.console_errors == []


def test_star_list_works_offline(page, event_with_talks):
    page.goto("/devconf/schedule/")
    controlled(page)
    page.locator("[data-star]").first.click()
    my_schedule = page.locator("[data-my-schedule]").get_attribute("href")
    # The star list's new address is kept once the star changes it.
    page.wait_for_function(
        """async (url) => Boolean(await caches.match(url))""",
        arg=my_schedule,
    )

    page.context.set_offline(True)
    page.goto(my_schedule)
    assert page.locator("h1").inner_text() == "My schedule"
    assert page.locator(".talk-card").count() == 1
    assert page.locator(NOTICE).is_visible()


def test_nothing_of_the_admin_is_kept(page, event_with_talks):
    page.goto("/devconf/schedule/")
    controlled(page)
    page.goto("/admin/login/")
    page.goto("/accounts/login/")

    kept = page.evaluate(
        """async () => {
            const names = await caches.keys();
            const cache = await caches.open(names[0]);
            return (await cache.keys()).map((request) => new URL(request.url).pathname);
        }"""
    )
    assert [path for path in kept if path.startswith(("/admin/", "/accounts/"))] == []
    assert "/devconf/schedule/" in kept
