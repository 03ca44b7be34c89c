"""The deployment pieces: gunicorn's config, S3 storage, and a Redis cache shared by processes."""

import json
import multiprocessing
import os
import runpy
import subprocess
import sys
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest

PROJECT = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = PROJECT / "deploy" / "gunicorn.conf.py"
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-key-long-and-random-enough-7d1e0c9b8a7f6e5d4c3b2a1f0e9d8c",
    "ALLOWED_HOSTS": "conference.example.org",
}
S3_ENV = {
    "AWS_STORAGE_BUCKET_NAME": "conference-media",
    "AWS_S3_ENDPOINT_URL": "https://s3.example.org",
    "AWS_S3_REGION_NAME": "eu-west-1",
    "AWS_S3_CUSTOM_DOMAIN": "media.example.org",
    "AWS_ACCESS_KEY_ID": "test-access-key",
    "AWS_SECRET_ACCESS_KEY": "test-secret-key",
}
GUNICORN_VARIABLES = (
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT",
    "GUNICORN_KEEPALIVE",
    "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER",
    "GUNICORN_ACCESS_LOG",
    "GUNICORN_LOG_LEVEL",
    "FORWARDED_ALLOW_IPS",
)
# What a subprocess must not inherit from the test run: it gets only what a test gives it.
INHERITED_SETTINGS = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "EMAIL_URL",
    "CACHE_URL",
    "ALLOWED_HOSTS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
    "STATIC_ROOT",
    *S3_ENV,
    *GUNICORN_VARIABLES,
}
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/15"


def run_python(code, *, settings="conference.settings", **env_overrides):
    env = {key: value for key, value in os.environ.items() if key not in INHERITED_SETTINGS}
    env.update(DJANGO_SETTINGS_MODULE=settings, **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def django_seen(statements, **kwargs):
    """The ``seen`` that ``statements`` build in a fresh Django process with this environment."""
    result = run_python(
        f"import django, json; django.setup(); {statements}; print(json.dumps(seen))", **kwargs
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


# -- Gunicorn ----------------------------------------------------------------


@pytest.fixture
def gunicorn_env(monkeypatch):
    for name in GUNICORN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def gunicorn_settings():
    namespace = runpy.run_path(str(GUNICORN_CONFIG))
    return {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_") and name not in {"os", "multiprocessing"}
    }


def test_gunicorn_config_defaults_suit_one_machine_behind_a_proxy(gunicorn_env):
    settings = gunicorn_settings()

    assert settings["bind"] == ["127.0.0.1:8000"]
    assert settings["workers"] == 2 * multiprocessing.cpu_count() + 1
    assert settings["threads"] == 1
    assert (settings["timeout"], settings["graceful_timeout"]) == (30, 30)
    assert settings["preload_app"] is True
    assert settings["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert settings["accesslog"] == "-"
    assert "%(M)sms" in settings["access_log_format"]


def test_django_trusts_the_proxies_gunicorn_trusts_by_default(gunicorn_env):
    gunicorn_trusts = gunicorn_settings()["forwarded_allow_ips"]

    django_trusts = django_seen(
        "from django.conf import settings; seen = settings.FORWARDED_ALLOW_IPS", **PRODUCTION_ENV
    )

    assert django_trusts == gunicorn_trusts.split(",") == ["127.0.0.1", "::1"]


def test_gunicorn_config_reads_the_environment(gunicorn_env):
    gunicorn_env.setenv("GUNICORN_BIND", "unix:/run/conference/gunicorn.sock, 10.0.0.5:8000")
    gunicorn_env.setenv("WEB_CONCURRENCY", "3")
    gunicorn_env.setenv("GUNICORN_THREADS", "4")
    gunicorn_env.setenv("GUNICORN_TIMEOUT", "60")
    gunicorn_env.setenv("GUNICORN_ACCESS_LOG", "")
    gunicorn_env.setenv("FORWARDED_ALLOW_IPS", "10.0.0.1")

    settings = gunicorn_settings()

    assert settings["bind"] == ["unix:/run/conference/gunicorn.sock", "10.0.0.5:8000"]
    assert (settings["workers"], settings["threads"], settings["timeout"]) == (3, 4, 60)
    assert settings["accesslog"] is None
    assert settings["forwarded_allow_ips"] == "10.0.0.1"


@pytest.mark.parametrize(
    ("value", "message"),
    [("lots", "WEB_CONCURRENCY must be a whole number, not 'lots'"), ("-2", "not -2")],
)
def test_gunicorn_config_refuses_a_worker_count_that_is_no_number(gunicorn_env, value, message):
    gunicorn_env.setenv("WEB_CONCURRENCY", value)

    with pytest.raises(ValueError, match=message):
        gunicorn_settings()


def test_gunicorn_config_sets_only_settings_gunicorn_knows_with_valid_values(gunicorn_env):
    from gunicorn.config import Config

    config = Config()

    for name, value in gunicorn_settings().items():
        assert name in config.settings, f"{name} is not a gunicorn setting"
        config.set(name, value)  # raises on a value of the wrong kind
    assert config.workers == 2 * multiprocessing.cpu_count() + 1
    assert config.preload_app is True


def test_gunicorn_loads_the_site_with_the_config():
    result = run_python(
        "import sys; from gunicorn.app.wsgiapp import run; sys.argv = ['gunicorn', '-c', "
        f"{str(GUNICORN_CONFIG)!r}, '--check-config', 'conference.wsgi:application']; run()",
        **PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stdout + result.stderr


# -- Storage -----------------------------------------------------------------

STORAGE_SEEN = (
    "from django.conf import settings; from django.core.files.storage import storages; "
    "seen = {'backend': settings.STORAGES['default']['BACKEND'], "
    "'class': type(storages['default']).__name__}"
)


def test_uploads_stay_on_the_file_system_without_a_bucket():
    seen = django_seen(STORAGE_SEEN, **PRODUCTION_ENV)

    assert seen == {
        "backend": "django.core.files.storage.FileSystemStorage",
        "class": "FileSystemStorage",
    }


def test_uploads_go_to_the_bucket_with_public_unsigned_urls_when_one_is_named():
    seen = django_seen(
        "from django.conf import settings; from django.core.files.storage import storages; "
        "seen = {'backend': settings.STORAGES['default']['BACKEND'], "
        "'url': storages['default'].url('speakers/photos/a1b2.jpg'), "
        "'static': settings.STORAGES['staticfiles']['BACKEND']}",
        **PRODUCTION_ENV,
        **S3_ENV,
    )

    assert seen == {
        "backend": "storages.backends.s3.S3Storage",
        "url": "https://media.example.org/media/speakers/photos/a1b2.jpg",
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    }


def test_deploy_checks_stay_clean_with_s3_storage():
    result = run_python(
        "import django; django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')",
        **PRODUCTION_ENV,
        **S3_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_tests_keep_in_memory_storage_when_a_bucket_is_named():
    seen = django_seen(STORAGE_SEEN, settings="conference.settings_testing", **S3_ENV)

    assert seen == {
        "backend": "django.core.files.storage.InMemoryStorage",
        "class": "InMemoryStorage",
    }


# -- Cache -------------------------------------------------------------------

CACHE_SEEN = "from django.conf import settings; seen = settings.CACHES['default']['BACKEND']"


def test_redis_cache_url_uses_djangos_own_backend_even_beside_django_redis(tmp_path):
    # django-environ prefers django-redis whenever it can import it.
    (tmp_path / "django_redis").mkdir()
    (tmp_path / "django_redis" / "__init__.py").write_text("")

    seen = django_seen(
        CACHE_SEEN,
        **PRODUCTION_ENV,
        CACHE_URL="redis://127.0.0.1:6379/3",
        PYTHONPATH=str(tmp_path),
    )

    assert seen == "infrastructure.cache.RedisCache"


@pytest.mark.parametrize(
    ("cache_url", "timeouts"),
    [
        ("redis://127.0.0.1:6379/1", [0.5, 0.5]),
        ("redis://127.0.0.1:6379/1?socket_timeout=2", [0.5, 2]),
    ],
)
def test_a_hung_redis_holds_a_request_half_a_second_unless_told_otherwise(cache_url, timeouts):
    seen = django_seen(
        "from django.conf import settings; options = settings.CACHES['default']['OPTIONS']; "
        "seen = [options['socket_connect_timeout'], options['socket_timeout']]",
        **PRODUCTION_ENV,
        CACHE_URL=cache_url,
    )

    assert seen == timeouts


@pytest.mark.parametrize(
    ("cache_url", "backend"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/15", "infrastructure.cache.RedisCache"),
    ],
)
def test_test_settings_follow_cache_url_when_it_is_set(cache_url, backend):
    env = {"CACHE_URL": cache_url} if cache_url else {}

    seen = django_seen(CACHE_SEEN, settings="conference.settings_testing", **env)

    assert seen == backend


def redis_url():
    url = os.environ.get("CACHE_URL", "")
    return url if url.startswith(("redis://", "rediss://")) else LOCAL_REDIS_URL


def redis_unreachable_reason(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except (redis.RedisError, OSError) as error:
        return f"no Redis answers at {url} ({error})"
    return None


@pytest.fixture
def shared_redis():
    """The Redis URL the app processes share; skipped without one, except in CI."""
    url = redis_url()
    reason = redis_unreachable_reason(url)
    if reason:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"{reason}: CI needs Redis (.ci/run starts one on 127.0.0.1:6379)")
        pytest.skip(f"{reason}: start redis-server to run the shared-cache tests")
    return url


def in_app_process(code, url):
    """Run ``code`` with ``cache`` in a fresh production-settings process on the Redis ``url``."""
    result = run_python(
        f"import django; django.setup(); from django.core.cache import cache; {code}",
        **PRODUCTION_ENV,
        CACHE_URL=url,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_app_processes_on_redis_see_each_others_writes_and_deletions(shared_redis):
    key = f"test-deploy:{uuid.uuid4().hex}"
    read = f"print(repr(cache.get({key!r})))"

    in_app_process(f"cache.set({key!r}, {{'version': 1}}, 60)", shared_redis)
    first = in_app_process(read, shared_redis)
    in_app_process(f"cache.set({key!r}, {{'version': 2}}, 60)", shared_redis)
    second = in_app_process(read, shared_redis)
    in_app_process(f"cache.delete({key!r})", shared_redis)
    after_delete = in_app_process(read, shared_redis)

    assert (first, second, after_delete) == ("{'version': 1}", "{'version': 2}", "None")


def test_gunicorn_master_prepares_the_workers_before_forking_them(gunicorn_env):
    import infrastructure.prefork

    prepared = []
    gunicorn_env.setattr(infrastructure.prefork, "prepare_workers", lambda: prepared.append(True))

    when_ready = gunicorn_settings()["when_ready"]
    when_ready(SimpleNamespace(cfg=SimpleNamespace(preload_app=True)))
    when_ready(SimpleNamespace(cfg=SimpleNamespace(preload_app=False)))  # --no-preload

    assert prepared == [True]


def test_workers_start_with_every_template_compiled_and_the_collector_frozen():
    seen = django_seen(
        "import gc; from django.template import engines; "
        "from infrastructure.prefork import prepare_workers, project_templates; "
        "prepare_workers(); loader = engines['django'].engine.template_loaders[0]; "
        "names = list(project_templates()); "
        "seen = {'missing': sorted(set(names) - set(loader.get_template_cache)), "
        "'count': len(names), 'frozen': gc.get_freeze_count()}",
        **PRODUCTION_ENV,
    )

    assert seen["missing"] == []
    assert seen["count"] > 30
    assert seen["frozen"] > 10_000  # the objects loaded so far, Django's among them


def test_the_redis_backend_reuses_one_client_and_keeps_djangos_behaviour(shared_redis):
    from infrastructure.cache import RedisCache

    cache = RedisCache(shared_redis, {"KEY_PREFIX": f"test-deploy-{uuid.uuid4().hex}"})
    cache.set("page", {"body": b"\x1f\x8b"}, 60)
    cache.set_many({"a": 1, "b": 2}, 60)

    assert cache.get("page") == {"body": b"\x1f\x8b"}
    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": 2}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete_many(["page", "a", "b"])
    assert cache.get("page", "gone") == "gone"


# -- The outbox's timers -----------------------------------------------------


def systemd_unit(name):
    import configparser

    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str
    unit.read_string((PROJECT / "deploy" / name).read_text())
    return unit


@pytest.mark.parametrize(
    ("timer", "every", "command"),
    [
        ("conference-mail.timer", "1min", "send_mail"),
        ("conference-mail-retry.timer", "20min", "retry_deferred"),
    ],
)
def test_the_timers_send_the_outbox_every_minute_and_retry_every_20(timer, every, command):
    from django.core.management import get_commands

    timer_unit = systemd_unit(timer)
    service = systemd_unit(timer_unit["Timer"]["Unit"])
    main = systemd_unit("conference.service")

    assert timer_unit["Timer"]["OnUnitActiveSec"] == every
    assert service["Service"]["ExecStart"].split()[-2:] == ["manage.py", command]
    assert get_commands()[command] == "mailer"
    # The same user, checkout and settings as the site itself.
    for key in ("User", "WorkingDirectory", "EnvironmentFile"):
        assert service["Service"][key] == main["Service"][key]
