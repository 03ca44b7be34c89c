"""The shared cache as the page cache uses it: a cache that cannot be reached is a miss.

Cached pages are a copy of what the database holds, so losing the cache
(Redis stopped, restarting, cut off by the network) may cost speed, never a
page: a read that fails answers "not there", a write that fails is dropped,
and the page is rendered from the database and served. One line is logged
when the cache stops answering and one when it answers again, however many
requests fall in between. After a failure this process leaves the cache
alone for ``RETRY_SECONDS``, so that a Redis that hangs rather than refuses
costs its socket timeout (``conference/settings.py``) once per interval, not
on every call of every request.

One kind of write must not be dropped: a new version of an event's pages
(``versions.py``). Should it be lost while Redis keeps its data (a network
cut, a restart with persistence), the pages stored under the old version
would be served again once Redis answers, as if the edit had never happened.
Such writes are made with ``set(..., must_arrive=True)``: when one fails it
is kept, and this process writes it again before it makes any other call to
the cache, so nothing this process reads after the outage predates it.
"""

import logging
import threading
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

try:
    from redis import RedisError
except ImportError:  # the redis package is only needed for a redis:// CACHE_URL
    RedisError = OSError

# What a cache that cannot be reached raises: redis-py's errors, and the
# socket's own for backends that let them through. Anything else (a value
# that cannot be pickled, a bug) is not an outage and is not hidden.
UNREACHABLE_ERRORS = (RedisError, OSError)

RETRY_SECONDS = 1.0


class _Health:
    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None  # time.time() of the first failure of this outage
        self.retry_at = 0.0  # time.monotonic() before which calls are not tried
        self.pending = {}  # key -> (value, timeout): writes that must still arrive

    def may_try(self):
        return self.down_since is None or time.monotonic() >= self.retry_at

    def failed(self, error):
        with self.lock:
            self.retry_at = time.monotonic() + RETRY_SECONDS
            if self.down_since is not None:
                return
            self.down_since = time.time()
        logger.warning(
            "The shared cache cannot be reached (%s: %s): pages are rendered without it "
            "until it answers again",
            type(error).__name__,
            error,
        )

    def answered(self):
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is None:
                return
            seconds = time.time() - self.down_since
            self.down_since = None
        logger.warning("The shared cache answers again, after %.1f s", seconds)


_health = _Health()


def _deliver_pending():
    """Write the kept writes; False (and nothing else is tried) while they cannot arrive."""
    while _health.pending:
        with _health.lock:
            if not _health.pending:
                break
            key, (value, timeout) = next(iter(_health.pending.items()))
        try:
            cache.set(key, value, timeout)
        except UNREACHABLE_ERRORS as error:
            _health.failed(error)
            return False
        _health.answered()
        with _health.lock:
            # A newer value kept for the key meanwhile is still to be written.
            if _health.pending.get(key, (None,))[0] is value:
                del _health.pending[key]
    return True


def _call(method, *args, default=None):
    if not _health.may_try() or not _deliver_pending():
        return default
    try:
        result = getattr(cache, method)(*args)
    except UNREACHABLE_ERRORS as error:
        _health.failed(error)
        return default
    _health.answered()
    return result


def get(key):
    """The value under ``key``; None when there is none or the cache cannot be reached."""
    return _call("get", key)


def get_many(keys):
    """The values under ``keys`` that exist, by key; empty when the cache cannot be reached."""
    return _call("get_many", keys, default={}) if keys else {}


def set_many(values, timeout):
    """Store ``values`` (by key); dropped if the cache cannot be reached."""
    if values:
        _call("set_many", values, timeout)


def add(key, value, timeout):
    """Store ``value`` unless ``key`` holds one; False when it does or the cache is away."""
    return _call("add", key, value, timeout, default=False)


def incr(key, delta=1):
    """Add ``delta`` to the number under ``key`` (which must exist); None when that fails."""
    try:
        return _call("incr", key, delta)
    except ValueError:  # gone since it was made: the caller counts nothing
        return None


def count(key, timeout):
    """One more under ``key`` (a counter made at 0 that lives ``timeout`` seconds): the new
    count, or None when the cache cannot be reached."""
    if hasattr(cache, "count"):  # one round trip (infrastructure/cache.py)
        return _call("count", key, timeout)
    add(key, 0, timeout)
    return incr(key)


def set(key, value, timeout, *, must_arrive=False):
    """Store ``value``; dropped if the cache cannot be reached, unless it ``must_arrive``.

    A write that must arrive is kept until it has (only the last value per
    key): written now if the cache answers, else before this process's next
    call to it.
    """
    if not must_arrive:
        _call("set", key, value, timeout)
        return
    with _health.lock:
        _health.pending[key] = (value, timeout)
    if _health.may_try():
        _deliver_pending()


def pending_keys():
    """The keys of the writes still waiting for the cache to answer."""
    with _health.lock:
        return sorted(_health.pending)


def reset():
    """Forget the state of an outage and the kept writes (tests, and a cache just emptied)."""
    with _health.lock:
        _health.down_since = None
        _health.retry_at = 0.0
        _health.pending.clear()
