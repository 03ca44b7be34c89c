"""Settings come from the environment; production refuses unsafe defaults."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-key-long-and-random-enough-3f9c8e1d7b6a5f4e3d2c1b0a9f8e7d",
    "ALLOWED_HOSTS": "conference.example.org",
}

SETTINGS_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "EMAIL_URL",
    "CACHE_URL",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "FORWARDED_ALLOW_IPS",
}


def run_django(code, **env_overrides):
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="conference.settings", **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_as_seen(**env):
    result = run_django(
        "from django.conf import settings as s; import json; print(json.dumps({"
        "'engine': s.DATABASES['default']['ENGINE'],"
        "'name': str(s.DATABASES['default']['NAME']),"
        "'host': s.DATABASES['default'].get('HOST', ''),"
        "'email': s.EMAIL_BACKEND, 'outbox_sends_with': s.MAILER_EMAIL_BACKEND,"
        "'cache': s.CACHES['default']['BACKEND'],"
        "'cache_location': s.CACHES['default'].get('LOCATION'),"
        "'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, 'tz': s.USE_TZ}))",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_refuses_to_start_without_a_secret_key():
    result = run_django("print('started')", DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "started" not in result.stdout


def test_defaults_are_sqlite_console_email_and_a_cache_every_process_shares():
    seen = settings_as_seen(DEBUG="true")

    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["name"] == str(PROJECT / "db.sqlite3")
    assert seen["email"] == "django.core.mail.backends.console.EmailBackend"
    assert seen["outbox_sends_with"] == "django.core.mail.backends.console.EmailBackend"
    assert seen["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert seen["cache_location"] == str(PROJECT / ".cache" / "pages")
    assert seen["debug"] is True
    assert seen["tz"] is True


def test_database_email_and_cache_urls_are_read_from_the_environment():
    seen = settings_as_seen(
        **PRODUCTION_ENV,
        DATABASE_URL="postgres://conference@db.internal:5432/conference",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.internal:587",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )

    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["name"] == "conference"
    assert seen["host"] == "db.internal"
    # Sign-in links go straight out; the outbox (release mails) sends to the same server.
    assert seen["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert seen["outbox_sends_with"] == "django.core.mail.backends.smtp.EmailBackend"
    assert seen["cache"] == "infrastructure.cache.RedisCache"
    assert seen["debug"] is False
    assert seen["hosts"] == ["conference.example.org"]


@pytest.mark.parametrize("debug", ["false", ""])
def test_production_settings_pass_the_deploy_checks(debug):
    env = dict(PRODUCTION_ENV)
    if debug:
        env["DEBUG"] = debug
    else:
        env.pop("DEBUG")

    result = run_django(
        "from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')",
        **env,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_the_proxies_trusted_to_name_the_client_are_read_from_the_environment():
    result = run_django(
        "from django.conf import settings; print(settings.FORWARDED_ALLOW_IPS)",
        **PRODUCTION_ENV,
        FORWARDED_ALLOW_IPS="127.0.0.1, 10.0.0.2",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['127.0.0.1', '10.0.0.2']"


def test_a_trusted_proxy_that_is_no_address_stops_the_site_with_its_name():
    result = run_django("print('started')", **PRODUCTION_ENV, FORWARDED_ALLOW_IPS="::1,10.0.0.0/8")

    assert result.returncode != 0
    assert "FORWARDED_ALLOW_IPS: '10.0.0.0/8' is not an IP address" in result.stderr
    assert "started" not in result.stdout


# An import holding SQLite's write lock, with a page read and a second write
# meanwhile, in a process of its own on a file database (the tests' own
# database is in memory, where SQLite has no journal modes).
SQLITE_UNDER_IMPORT = """
import datetime, json, sqlite3, threading
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.test import Client
from conference.models import Event
from schedule.models import Talk

call_command("migrate", verbosity=0)
event = Event.objects.create(
    name="Locked Conf", slug="locked", time_zone="UTC", is_published=True,
    start_date=datetime.date(2030, 5, 6), end_date=datetime.date(2030, 5, 6),
)
start = datetime.datetime(2030, 5, 6, 9, 0, tzinfo=datetime.UTC)
Talk.objects.create(
    event=event, title="Still readable", slug="still-readable", is_published=True,
    start=start, end=start + datetime.timedelta(hours=1),
)
from schedule.releases.service import release_schedule
release_schedule(event)
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal_mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy_timeout_ms = cursor.fetchone()[0]
path = settings.DATABASES["default"]["NAME"]

# A read while the importer writes.
importer = sqlite3.connect(path, isolation_level=None, timeout=10)
importer.execute("BEGIN EXCLUSIVE")
importer.execute("UPDATE conference_event SET tagline = 'importing'")
response = Client(raise_request_exception=False).get("/locked/schedule/")
importer.execute("ROLLBACK")

# An organiser's save (read, then write) while the importer writes and commits.
locked, read_done = threading.Event(), threading.Event()
def import_a_row():
    other = sqlite3.connect(path, isolation_level=None, timeout=10)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE conference_event SET tagline = 'imported'")
    locked.set()
    # Waits for the save to have read (it cannot, if it queues for the lock first).
    read_done.wait(timeout=1.5)
    other.execute("COMMIT")
    other.close()
thread = threading.Thread(target=import_a_row)
thread.start()
locked.wait()
try:
    with transaction.atomic():
        edited = Event.objects.get(slug="locked")
        read_done.set()
        edited.name = "Renamed Conf"
        edited.save(update_fields=["name"])
    save_error = ""
except OperationalError as error:
    save_error = str(error)
thread.join()
print(json.dumps({
    "journal_mode": journal_mode,
    "busy_timeout_ms": busy_timeout_ms,
    "status": response.status_code,
    "page_shows_talk": "Still readable" in response.content.decode(),
    "save_error": save_error,
    "saved": list(Event.objects.values_list("name", "tagline")),
}))
"""


@pytest.fixture(scope="module")
def sqlite_under_import(tmp_path_factory):
    database = tmp_path_factory.mktemp("sqlite") / "db.sqlite3"
    result = run_django(
        SQLITE_UNDER_IMPORT,
        DEBUG="true",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{database}",
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sqlite_file_database_is_in_wal_mode_with_a_busy_timeout(sqlite_under_import):
    assert sqlite_under_import["journal_mode"] == "wal"
    assert sqlite_under_import["busy_timeout_ms"] == 20000


def test_sqlite_pages_read_while_an_import_holds_the_write_lock(sqlite_under_import):
    assert sqlite_under_import["status"] == 200
    assert sqlite_under_import["page_shows_talk"] is True


def test_sqlite_save_during_an_import_waits_its_turn_instead_of_failing(sqlite_under_import):
    assert sqlite_under_import["save_error"] == ""
    assert sqlite_under_import["saved"] == [["Renamed Conf", "imported"]]
