"""A real Chromium, driven by Playwright, for what only a browser shows.

The tests use the system's Chromium (Debian's package). Where none is found
they are skipped with a note, unless REQUIRE_BROWSER or CI=true is set (as CI does), in
which case a missing browser is a failure.
"""

import os
import shutil
import threading
import time

import pytest

CHROMIUM_CANDIDATES = ["chromium", "chromium-browser", "google-chrome", "chrome"]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium():
    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"]
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def migrated_data(django_db_setup, django_db_blocker):
    """Each test database's copy of the data migrations made, for serialized rollback.

    Django keeps it on the connection object; once Playwright's event loop runs
    in this thread, the test sees another connection object without it, and a
    transactional test would then wipe the migrations' data (the Organisers
    group) for every test after it.
    """
    from django.db import connections

    with django_db_blocker.unblock():
        return {
            alias: connections[alias]._test_serialized_contents
            for alias in connections
            if hasattr(connections[alias], "_test_serialized_contents")
        }


def _restore_migrated_data(migrated_data):
    from django.db import connections

    for alias, contents in migrated_data.items():
        connections[alias]._test_serialized_contents = contents


class RequestsInFlight:
    """How many requests the live server is answering, to wait for them to end.

    The live server's threads share the test's SQLite connection: a request
    still running when a test ends (a page's last fetch, a service worker's
    background copies) would run into the next test's database setup.
    """

    def __init__(self):
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs):
        with self.changed:
            self.count += 1

    def finished(self, **kwargs):
        with self.changed:
            self.count -= 1
            self.changed.notify_all()

    def wait_until_none(self, timeout=10.0):
        # A request the browser sent just before it closed may not have
        # started yet: none in flight twice, a moment apart, is settled.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.changed:
                remaining = max(0.0, deadline - time.monotonic())
                if not self.changed.wait_for(lambda: self.count <= 0, remaining):
                    return False
            time.sleep(0.05)
            with self.changed:
                if self.count <= 0:
                    return True
        return False


@pytest.fixture(scope="session")
def requests_in_flight():
    from django.core.signals import request_finished, request_started

    counter = RequestsInFlight()
    request_started.connect(counter.started, dispatch_uid="browser-tests-started")
    request_finished.connect(counter.finished, dispatch_uid="browser-tests-finished")
    yield counter
    request_started.disconnect(dispatch_uid="browser-tests-started")
    request_finished.disconnect(dispatch_uid="browser-tests-finished")


@pytest.fixture(autouse=True)
def live_server_settles(request):
    """After a live-server test, wait for its requests to end before the database is reset."""
    if "live_server" not in request.fixturenames:
        yield
        return
    # Set up first, so the database is torn down after the wait.
    request.getfixturevalue("transactional_db")
    counter = request.getfixturevalue("requests_in_flight")
    yield
    assert counter.wait_until_none(), "The live server still answered requests 10 s after the test"


@pytest.fixture(scope="session")
def chromium_browser(migrated_data):
    executable = find_chromium()
    if executable is None:
        message = (
            "No Chromium found (tried CHROMIUM_PATH and "
            + ", ".join(CHROMIUM_CANDIDATES)
            + "); install Debian's 'chromium' package to run the browser tests."
        )
        if os.environ.get("REQUIRE_BROWSER") or os.environ.get("CI", "").lower() in {
            "1",
            "true",
            "yes",
        }:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the tests' own ORM calls
    # are synchronous and safe.
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        # This session fixture starts before the first browser test loads the
        # migrations' data, and from here on the test sees other connection
        # objects: give them the data too, or that first test starts without
        # it whenever a transactional test before it emptied the database.
        _restore_migrated_data(migrated_data)
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()
    monkeypatch.undo()


@pytest.fixture
def browser_context_options():
    """Options for the browser context; override in a test module to change them."""
    return {}


@pytest.fixture
def page(chromium_browser, live_server, browser_context_options, migrated_data):
    _restore_migrated_data(migrated_data)
    # Service workers only where a test asks for them (test_offline.py): the
    # worker's background fetches would overlap the test's own requests, and
    # the live server's test database takes one at a time.
    options = {"service_workers": "block", **browser_context_options}
    context = chromium_browser.new_context(base_url=live_server.url, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    # Every console error and uncaught exception, for tests to assert there are none.
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()
