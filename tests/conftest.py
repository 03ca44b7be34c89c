import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command

from conference.admin_site import ORGANISERS_GROUP
from tests.factories import EventFactory, RoomFactory, SpeakerFactory, TalkFactory, UserFactory


@pytest.fixture
def organiser(db):
    """A person whose only grant is membership of the Organisers group."""
    from django.contrib.auth.models import Group

    user = UserFactory(username="organiser")
    user.groups.add(Group.objects.get(name=ORGANISERS_GROUP))
    return user


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", email="", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture
def manage(tmp_path):
    """``manage(*args, **env)`` runs ``python manage.py *args`` as an organiser runs it.

    The process has a fresh database of its own (a SQLite file, or on a
    PostgreSQL run a PostgreSQL database dropped afterwards) and the run's
    cache (``CACHE_URL`` passes through); it returns the ``CompletedProcess``.
    """
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "conference.settings",
        "SECRET_KEY": "subprocess-test-only-key",
    }
    database = None
    url = urlsplit(os.environ.get("DATABASE_URL", ""))
    if url.scheme in {"postgres", "postgresql"}:
        import psycopg
        from psycopg import sql

        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        name = "_".join(filter(None, ["test", url.path.strip("/"), worker, "manage"]))
        database = sql.Identifier(name)
        server = urlunsplit(url._replace(scheme="postgresql", path="/postgres"))
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(database))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(database))
        env["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{name}"))
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"

    def run(*args, **overrides):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=PROJECT,
            env=env | overrides,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    yield run
    if database is not None:
        with psycopg.connect(server, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(database))


@pytest.fixture
def run_command():
    """``run_command(name, *args, **options)``: ``(stdout, stderr)`` of ``manage.py name``."""

    def run(name, *args, **options):
        stdout, stderr = StringIO(), StringIO()
        call_command(name, *args, stdout=stdout, stderr=stderr, **options)
        return stdout.getvalue(), stderr.getvalue()

    return run


AGENDA_FILE = "schedule/data/kvm-forum-2012-agenda.txt"


@pytest.fixture
def kvm_forum(db):
    """The 2012 KVM Forum + oVirt Workshop, imported from the project's agenda file."""
    from conference.models import Event
    from schedule.formats.agenda.importer import agenda_import

    agenda_import(path=AGENDA_FILE, event_slug="kvm-forum-2012", zone="Europe/Madrid")
    return Event.objects.get(slug="kvm-forum-2012")


@pytest.fixture
def cached_conf(db):
    """Cached Conf (``/cached/``): one talk, “Memory management” in Hall by Rik van Riel."""
    event = EventFactory(slug="cached", name="Cached Conf")
    TalkFactory(
        event=event,
        slug="memory",
        title="Memory management",
        room=RoomFactory(event=event, name="Hall"),
        speakers=[SpeakerFactory(name="Rik van Riel", slug="rik")],
    )
    return event


@pytest.fixture(autouse=True)
def _auto_release(request):
    """Requests release pending edits first (tests/auto_release.py), unless the test
    is about releasing and says ``@pytest.mark.manual_releases``."""
    from tests import auto_release

    auto_release.enabled = request.node.get_closest_marker("manual_releases") is None
    yield
    auto_release.enabled = True


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's own language (settings.LANGUAGE_CODE): a
    request in another one (Accept-Language: de) leaves it active in the thread."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache, as a fresh deployment would."""
    from django.core.cache import cache

    from infrastructure.page_cache import fragments, recent_entries, shared, versions
    from schedule.timetable import forget_made_cards

    cache.clear()
    recent_entries.clear()
    fragments.forget_recent_fragments()
    forget_made_cards()
    versions._stamped_in.clear()
    shared.reset()


class PrivateRedis:
    """A redis-server of one test's own, which the test stops and starts again.

    Its data survive a restart (an append-only file, synced on every write),
    as a production Redis's do: what was cached before an outage is still
    there after it.
    """

    def __init__(self, directory):
        self.directory = directory
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                *("redis-server", "--bind", "127.0.0.1", "--port", str(self.port)),
                *("--dir", str(self.directory), "--save", ""),
                *("--appendonly", "yes", "--appendfsync", "always"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port}")

    def kill(self):
        """Gone at once, as in a crash: connections are refused."""
        self.process.kill()
        self.process.wait()

    def freeze(self):
        """Hung: connections are accepted and nothing answers."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.thaw()
            self.kill()


@pytest.fixture
def private_redis(tmp_path, settings):
    """The cache on a Redis of this test's own: skipped without redis-server, failed in CI."""
    from infrastructure.page_cache import recent_entries

    if shutil.which("redis-server") is None:
        reason = "redis-server is not installed"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{reason}: CI needs it for the cache-outage tests")
        pytest.skip(f"{reason}: apt-get install redis-server to run the cache-outage tests")
    redis = PrivateRedis(tmp_path)
    redis.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "infrastructure.cache.RedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    recent_entries.clear()
    yield redis
    redis.stop()
    recent_entries.clear()


def pytest_configure(config):
    # The catalogs' .mo files are built, not kept in git: `make test` compiles
    # them first, and so does a plain `pytest` (atomically, so xdist's workers
    # may all try at once).
    from conference.catalogs import compile_catalogs

    compile_catalogs()
