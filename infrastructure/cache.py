"""Django's own Redis cache backend, with one Redis client per connection pool.

Django 5.2's ``RedisCacheClient.get_client`` builds a new ``redis.Redis``
for every cache call, and building one copies the library's table of
response callbacks: five times the CPU of the GET itself. A cached public
page is served after a single small GET (the event's version, see
infrastructure/page_cache/serving.py), so that cost was most of a hit's. This client
makes the ``redis.Redis`` of each connection pool once and reuses it:
a ``redis.Redis`` is safe to share between threads, its connections come
from the pool, and the pool starts afresh in a forked process.

It also counts in one round trip (``RedisCache.count``), which Django's
``add`` then ``incr`` (an EXISTS, then the INCRBY) made three: the page
cache counts every search it is asked for (infrastructure/page_cache/queries.py).

``CACHE_URL=redis://…`` selects it (conference/settings.py); everything else
is Django's backend as it is.
"""

from django.core.cache.backends import redis as django_redis
from django.utils.functional import cached_property


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    @cached_property
    def _cache(self):
        return RedisCacheClient(self._servers, **self._options)

    def count(self, key, timeout, version=None):
        """One more under ``key`` (made at 0, living ``timeout`` seconds): the new count."""
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        with client.pipeline(transaction=False) as pipeline:
            # As Django stores an int (plain digits), so ``get`` and ``incr`` read it too.
            pipeline.set(key, 0, ex=timeout, nx=True)
            pipeline.incr(key)
            _, count = pipeline.execute()
        return count
