"""The load test's PostgreSQL: the URL it insists on, createdb, and a restart mid-run.

The restart stops the local cluster with ``pg_ctlcluster``, keeps it down
for a while, starts it again and notes, in an ``Outage``, when each step
happened and when a fresh connection answered again.
"""

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from http_client import HOST
from processes import BenchError

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
        raise BenchError(
            "the load test needs PostgreSQL: set DATABASE_URL=postgres://USER@HOST:PORT/NAME "
            f"(it is {'unset' if not url else repr(parts.scheme + '://...')}); "
            "use a throwaway database, the event is replaced in it"
        )
    if not parts.path.strip("/"):
        raise BenchError("DATABASE_URL names no database")
    return url


def create_database(url):
    parts = urlsplit(url)
    command = ["createdb", "-h", parts.hostname or HOST, "-p", str(parts.port or 5432)]
    if parts.username:
        command += ["-U", parts.username]
    command.append(parts.path.strip("/"))
    environment = dict(os.environ)
    if parts.password:
        environment["PGPASSWORD"] = parts.password
    result = subprocess.run(command, capture_output=True, text=True, env=environment, timeout=60)
    if result.returncode != 0 and "already exists" not in result.stderr:
        raise BenchError(f"createdb failed: {result.stderr.strip()}")
    print(
        f"Database {parts.path.strip('/')}: "
        + ("created." if result.returncode == 0 else "already exists, used as it is."),
        flush=True,
    )


def database_answers(url):
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2) as connection:
            connection.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def pg_cluster(args):
    if args.pg_cluster:
        return args.pg_cluster.split()
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if len(versions) != 1:
        raise BenchError("cannot tell which PostgreSQL cluster to restart: use --pg-cluster")
    return [versions[0], "main"]


def pg_ctlcluster(cluster, action):
    result = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, action],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise BenchError(f"pg_ctlcluster {action} failed: {result.stderr.strip()}")


def check_restartable(url, args):
    if urlsplit(url).hostname not in LOOPBACK_NAMES:
        raise BenchError("--restart-db restarts the local cluster: DATABASE_URL must be loopback")
    if shutil.which("pg_ctlcluster") is None:
        raise BenchError("--restart-db needs pg_ctlcluster (Debian's postgresql-common)")
    return pg_cluster(args)


@dataclass
class Outage:
    stop_at: float = 0.0  # seconds since the load began
    stopped_at: float = 0.0
    started_at: float = 0.0
    back_at: float = 0.0  # a fresh connection answered
    error: str = ""


def restart_database(url, cluster, down_seconds, begun, outage):
    """Stop PostgreSQL, wait, start it, and note when it answers again."""
    try:
        outage.stop_at = time.monotonic() - begun
        if down_seconds:
            pg_ctlcluster(cluster, "stop")
            outage.stopped_at = time.monotonic() - begun
            time.sleep(down_seconds)
            outage.started_at = time.monotonic() - begun
            pg_ctlcluster(cluster, "start")
        else:
            pg_ctlcluster(cluster, "restart")
            outage.stopped_at = outage.started_at = time.monotonic() - begun
        deadline = time.monotonic() + 60
        while not database_answers(url):
            if time.monotonic() > deadline:
                raise BenchError("PostgreSQL did not answer within 60 s of its start")
            time.sleep(0.05)
        outage.back_at = time.monotonic() - begun
    except Exception as error:  # reported, and the run fails
        outage.error = str(error)
