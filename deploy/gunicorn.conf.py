"""Gunicorn's configuration for the conference site: ``gunicorn -c deploy/gunicorn.conf.py``.

Every value can be changed from the environment, so one file serves a
laptop (``make serve``), the benchmark (``make bench``) and the systemd unit
(``deploy/conference.service``, which reads its variables from an
EnvironmentFile). Gunicorn runs this file as Python and reads its
module-level names as settings.

Sync workers suit a site behind nginx: the proxy buffers slow clients, so a
worker is only ever busy while Django renders. Gunicorn trusts
``X-Forwarded-*`` headers only from ``FORWARDED_ALLOW_IPS``, and Django trusts
``X-Forwarded-Proto`` from anyone who can reach the socket
(``SECURE_PROXY_SSL_HEADER``), so bind to loopback or a private network that
only the proxy or load balancer can reach, never to a public address.
"""

import multiprocessing
import os


def _int_from_env(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise ValueError(f"{name} must not be negative, not {number}")
    return number


# Where to listen: "127.0.0.1:8000", "0.0.0.0:8000" on a private network, or
# "unix:/run/conference/gunicorn.sock". Several, separated by commas.
bind = [
    address.strip()
    for address in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
    if address.strip()
]

# Gunicorn's own advice: (2 × cores) + 1 sync workers. WEB_CONCURRENCY is the
# variable Heroku-style platforms (and gunicorn itself) use for it.
workers = _int_from_env("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1) or 1
# More than one thread makes each worker a gthread worker.
threads = _int_from_env("GUNICORN_THREADS", 1) or 1

# A request that takes longer than this is stuck: its worker is killed and
# replaced. Restarts and reloads wait as long for requests in progress.
timeout = _int_from_env("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int_from_env("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind a load balancer, keep its connections open a little longer than its
# own idle timeout would; sync workers ignore it.
keepalive = _int_from_env("GUNICORN_KEEPALIVE", 5)

# Recycle each worker after this many requests (with jitter, so that not all
# restart at once) to bound the growth of any slow leak; 0 turns it off.
max_requests = _int_from_env("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int_from_env("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Import Django once in the master and fork the workers from it: faster
# starts and shared memory. Connections (database, Redis) are opened lazily,
# in each worker, so none is shared across the fork. A new release therefore
# needs a restart (systemctl restart), not a HUP.
preload_app = True


def when_ready(server):
    """In the master, once the site is loaded and before the first worker is forked."""
    if server.cfg.preload_app:  # as this file, the command line or GUNICORN_CMD_ARGS set it
        from infrastructure.prefork import prepare_workers

        prepare_workers()


# The proxy in front: which addresses may set X-Forwarded-Proto and -For.
# Django reads the same variable for the browser's address (sign-in throttling).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Access log to stdout (the journal under systemd) unless turned off with an
# empty GUNICORN_ACCESS_LOG, as the benchmark does. The line names the client
# the proxy saw (then the proxy's own address) and how long the request took in milliseconds.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The workers' heartbeat files: memory, not a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

proc_name = "conference"
