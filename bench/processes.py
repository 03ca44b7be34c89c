"""The environment of a run and the processes it starts, stopped whatever happens.

Where a run keeps its files, the error that ends it, a free loopback port,
the shared cache (Redis when it answers), the production-like environment
every process of the run shares, ``manage.py`` in its own process, the
database's preparation (migrate, generate the event, collect the static
files) and gunicorn: started in its own process group, waited for until it
serves, stopped on exit, errors and Ctrl-C, its workers listed.
"""

import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from http_client import HOST, fetch

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "bench" / "results"
GUNICORN_CONFIG = PROJECT / "deploy" / "gunicorn.conf.py"
# The local Redis database the benchmark uses when CACHE_URL is not set; the
# test suite flushes the one it is given (CI: 15), so this one is apart.
LOCAL_REDIS_CACHE_URL = "redis://127.0.0.1:6379/14"


class BenchError(RuntimeError):
    """The benchmark cannot go on; the message says why."""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def redis_answers(url):
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or HOST, parts.port or 6379), 1) as redis:
            redis.sendall(b"PING\r\n")
            return redis.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def shared_cache_url(args):
    """The cache URL for every process of the run, or "" for local memory."""
    if args.cache_url:
        return args.cache_url
    if redis_answers(LOCAL_REDIS_CACHE_URL):
        return LOCAL_REDIS_CACHE_URL
    print(
        f"bench: no Redis answers at {LOCAL_REDIS_CACHE_URL}: each worker caches on its own, "
        "so the cold measurement cannot see edits (set CACHE_URL to a shared cache).",
        file=sys.stderr,
    )
    return ""


def bench_environment(args, port, cache_url):
    """Production settings on loopback: the one environment every process of the run shares."""
    env = dict(os.environ)
    env.update(
        CACHE_URL=cache_url or "locmemcache://",
        DJANGO_SETTINGS_MODULE="conference.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=os.environ.get("DATABASE_URL") or f"sqlite:///{RESULTS / 'bench.sqlite3'}",
        STATIC_ROOT=str(RESULTS / "static"),
        WEB_CONCURRENCY=str(args.workers),
        GUNICORN_BIND=f"{HOST}:{port}",
        GUNICORN_ACCESS_LOG="",
        GUNICORN_LOG_LEVEL="warning",
        PYTHONUNBUFFERED="1",
        # Every request comes from one address: the API's limit per address would
        # answer 429 within a second, as would the bound on a client's renders of
        # searches (bench/query_flood.py puts that one back: it measures it).
        API_ANONYMOUS_RATE="",
        PAGE_CACHE_RENDERS_PER_CLIENT="0",
        # The worker's processor time per response, which the cold line reports.
        SERVER_TIMING="true",
    )
    return env


def setup_django(database_url):
    """Django in this process, on ``database_url`` (the scripts that time code in-process)."""
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conference.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-key")
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def manage(env, *arguments, timeout=900):
    """Run ``manage.py`` in its own process; its output goes straight to the terminal."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=PROJECT, env=env, timeout=timeout
    )
    if result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(arguments)} failed (status {result.returncode})")
    return time.perf_counter() - started


def prepare_database(args, env):
    """Migrate, generate the event (unless reused) and collect the static files."""
    manage(env, "migrate", "--no-input", "-v", "0")
    generated_in = None
    reuse = args.reuse and (
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "shell",
                "-v",
                "0",
                "-c",
                "import sys; from conference.models import Event; "
                f"sys.exit(0 if Event.objects.filter(slug={args.slug!r}).exists() else 1)",
            ],
            cwd=PROJECT,
            env=env,
            timeout=120,
        ).returncode
        == 0
    )
    if not reuse:
        generated_in = manage(
            env,
            "generate_event",
            "--slug",
            args.slug,
            "--days",
            str(args.days),
            "--rooms",
            str(args.rooms),
            "--slots",
            str(args.slots),
            "--replace",
        )
    static_root = Path(env["STATIC_ROOT"])
    shutil.rmtree(static_root, ignore_errors=True)
    manage(env, "collectstatic", "--no-input", "-v", "0")
    return generated_in


@contextlib.contextmanager
def gunicorn(env, log_path):
    """Gunicorn in its own process group, stopped whatever happens."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                str(GUNICORN_CONFIG),
                "conference.wsgi:application",
            ],
            cwd=PROJECT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop_process_group(process)


def worker_memory(master_pid):
    """Each gunicorn worker's resident memory in MiB, smallest first, read from /proc.

    Empty where there is no /proc (not Linux).
    """
    sizes = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name, in parentheses, may hold spaces: the fields follow it.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master_pid:
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError, ValueError):
            continue  # a process that ended meanwhile
        resident = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
        if resident:
            sizes.append(int(resident[1]) / 1024)
    return sorted(sizes)


def stop_process_group(process):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def wait_until_serving(process, port, path, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited (status {process.returncode}):\n{tail(log_path)}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if fetch(port, path).status == 200:
                return
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer within {timeout} s:\n{tail(log_path)}")


def tail(path, lines=20):
    with contextlib.suppress(OSError):
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    return ""


def worker_pids(master_pid):
    children = set()
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{master_pid}/task").iterdir():
            children |= {int(pid) for pid in (task / "children").read_text().split()}
    return children
