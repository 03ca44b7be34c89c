"""An edit made by any process shows on the next request to every process.

A server with two gunicorn workers serves the schedule from its page cache;
a separate ``manage.py shell`` renames a talk, as an import or an organiser's
script would; every worker then shows the new title. Once with the settings
a newcomer gets (no CACHE_URL: a cache in files that the processes share) and
once with Redis.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
REQUESTS_PER_CHECK = 8  # enough for both workers to answer


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_url_or_skip():
    url = os.environ.get("CACHE_URL", "")
    if not url.startswith(("redis://", "rediss://")):
        url = "redis://127.0.0.1:6379/12"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except (redis.RedisError, OSError) as error:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"Redis at {url} does not answer ({error}); CI needs it")
        pytest.skip(f"Redis at {url} does not answer ({error})")
    return url


@pytest.fixture
def site(tmp_path):
    """``site(cache_url)``: a migrated database with one event, and its running server."""
    servers = []

    def start(cache_url):
        slug = f"shared-{uuid.uuid4().hex[:8]}"
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DJANGO_SETTINGS_MODULE", "CACHE_URL", "DATABASE_URL"}
        }
        env |= {
            "DJANGO_SETTINGS_MODULE": "conference.settings",
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "CACHE_DIR": str(tmp_path / "cache"),
        }
        if cache_url:
            env["CACHE_URL"] = cache_url

        def manage(*args):
            finished = subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=PROJECT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
            )
            assert finished.returncode == 0, finished.stderr
            return finished

        manage("migrate", "--no-input", "-v", "0")
        manage(
            "shell",
            "-c",
            "import datetime; from conference.models import Event;"
            "from schedule.models import Talk;"
            f"e = Event.objects.create(name='Shared', slug={slug!r}, is_published=True,"
            " start_date=datetime.date(2030, 5, 6), end_date=datetime.date(2030, 5, 6),"
            " time_zone='Europe/Madrid');"
            "start = datetime.datetime(2030, 5, 6, 8, 0, tzinfo=datetime.UTC);"
            "Talk.objects.create(event=e, title='Before the edit', slug='the-talk',"
            " start=start, end=start + datetime.timedelta(minutes=30), is_published=True);"
            "from schedule.releases.service import release_schedule; release_schedule(e)",
        )
        port = free_port()
        gunicorn = [sys.executable, "-m", "gunicorn", "--workers", "2"]
        server = subprocess.Popen(
            [*gunicorn, "--bind", f"127.0.0.1:{port}", "conference.wsgi:application"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        servers.append(server)
        url = f"http://127.0.0.1:{port}/{slug}/schedule/"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(server.stderr.read().decode()[-2000:]) from None
                time.sleep(0.2)
        return url, manage

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=30)


def titles_served(url):
    pages = [
        urllib.request.urlopen(url, timeout=10).read().decode() for _ in range(REQUESTS_PER_CHECK)
    ]
    return {
        title for page in pages for title in ("Before the edit", "After the edit") if title in page
    }


def edit_from_another_process(manage):
    manage(
        "shell",
        "-c",
        "from schedule.models import Talk;"
        "talk = Talk.objects.get(slug='the-talk'); talk.title = 'After the edit'; talk.save();"
        # Attendees see it once it is released, as an organiser does next.
        "from schedule.releases.service import release_schedule; release_schedule(talk.event)",
    )


@pytest.mark.parametrize("cache", ["default", "redis"])
def test_an_edit_from_another_process_shows_on_every_worker(site, cache):
    url, manage = site(None if cache == "default" else redis_url_or_skip())
    assert titles_served(url) == {"Before the edit"}  # now in the page cache

    edit_from_another_process(manage)

    assert titles_served(url) == {"After the edit"}
