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
        "'email': s.EMAIL_BACKEND,"
        "'cache': s.CACHES['default']['BACKEND'],"
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


def test_defaults_are_sqlite_console_email_and_local_memory_cache():
    seen = settings_as_seen(DEBUG="true")

    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["name"] == str(PROJECT / "db.sqlite3")
    assert seen["email"] == "django.core.mail.backends.console.EmailBackend"
    assert seen["cache"] == "django.core.cache.backends.locmem.LocMemCache"
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
    assert seen["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert seen["cache"] == "conference.cache.RedisCache"
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
