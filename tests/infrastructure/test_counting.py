"""The page cache's counters (renders per client, per second): one round trip on Redis, the
same counts on any other cache, and nothing counted while the cache is away."""

import redis
from django.core.cache import cache

from infrastructure.page_cache import shared


def test_a_counter_on_redis_counts_from_one_and_expires(private_redis):
    counts = [shared.count("pages:renders:test", 60) for _ in range(3)]
    other = shared.count("pages:renders:other", 60)

    assert counts == [1, 2, 3]
    assert other == 1
    # Django's own calls read it as the number it is.
    assert cache.get("pages:renders:test") == 3
    assert cache.incr("pages:renders:test") == 4
    store = redis.Redis.from_url(private_redis.url)
    (key,) = store.keys("*pages:renders:test")
    assert 0 < store.ttl(key) <= 60


def test_a_counter_on_redis_is_one_round_trip(private_redis, monkeypatch):
    shared.count("pages:renders:test", 60)
    client = cache._cache.get_client(write=True)
    calls = []
    real = type(client.connection_pool).get_connection
    monkeypatch.setattr(
        type(client.connection_pool),
        "get_connection",
        lambda pool, *args, **kwargs: calls.append(args) or real(pool, *args, **kwargs),
    )

    assert shared.count("pages:renders:test", 60) == 2
    assert len(calls) == 1


def test_a_counter_on_another_cache_counts_the_same(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert [shared.count("pages:site-renders:1", 5) for _ in range(3)] == [1, 2, 3]
    assert cache.get("pages:site-renders:1") == 3


def test_a_counter_counts_nothing_while_redis_is_away(private_redis, monkeypatch):
    monkeypatch.setattr(shared, "RETRY_SECONDS", 0)
    shared.count("pages:renders:test", 60)
    private_redis.kill()

    assert shared.count("pages:renders:test", 60) is None
