import os
import shutil
import signal
import socket
import subprocess
import time

import pytest

from conference.admin_site import ORGANISERS_GROUP
from tests.factories import UserFactory


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


AGENDA_FILE = "schedule/data/kvm-forum-2012-agenda.txt"


@pytest.fixture
def kvm_forum(db):
    """The 2012 KVM Forum + oVirt Workshop, imported from the project's agenda file."""
    from conference.models import Event
    from schedule.formats.agenda.importer import agenda_import

    agenda_import(path=AGENDA_FILE, event_slug="kvm-forum-2012", zone="Europe/Madrid")
    return Event.objects.get(slug="kvm-forum-2012")


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache, as a fresh deployment would."""
    from django.core.cache import cache

    from conference.page_cache import recent_entries, shared, versions

    cache.clear()
    recent_entries.clear()
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
    from conference.page_cache import recent_entries

    if shutil.which("redis-server") is None:
        reason = "redis-server is not installed"
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{reason}: CI needs it for the cache-outage tests")
        pytest.skip(f"{reason}: apt-get install redis-server to run the cache-outage tests")
    redis = PrivateRedis(tmp_path)
    redis.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "conference.cache.RedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    recent_entries.clear()
    yield redis
    redis.stop()
    recent_entries.clear()
