"""What gunicorn's master does once before it forks (``infrastructure/prefork.py``)."""

import gc
import logging

import pytest

from infrastructure import prefork

pytestmark = pytest.mark.django_db

warmed = []


def warm_up_that_reads_the_database():
    from conference.models import Event

    warmed.append(Event.objects.count())


def warm_up_that_fails():
    raise RuntimeError("no such table")


@pytest.fixture(autouse=True)
def closed(monkeypatch):
    """When the connections were closed, by what had been warmed by then.

    Not closed for real: the test's own connection holds its transaction.
    """
    # The test process's own objects must stay collectable.
    monkeypatch.setattr(gc, "freeze", lambda: None)
    warmed.clear()
    calls = []
    monkeypatch.setattr(prefork.connections, "close_all", lambda: calls.append(list(warmed)))
    return calls


def test_the_warm_ups_run_and_then_every_connection_is_closed_for_the_fork(settings, closed):
    settings.PREFORK_WARM_UP = [f"{__name__}.warm_up_that_reads_the_database"]

    prefork.prepare_workers()

    assert warmed == [0]
    assert closed == [[0]]


def test_a_failing_warm_up_is_logged_and_the_next_one_still_runs(settings, caplog, closed):
    settings.PREFORK_WARM_UP = [
        f"{__name__}.warm_up_that_fails",
        f"{__name__}.warm_up_that_reads_the_database",
    ]

    with caplog.at_level(logging.WARNING, logger="infrastructure.prefork"):
        prefork.prepare_workers()

    assert warmed == [0]
    assert closed == [[0]]
    assert f"{__name__}.warm_up_that_fails failed; the workers start without it" in caplog.text
    assert "no such table" in caplog.text
