"""The request-path cache: bounded, expiring, and never caching a failure."""

from __future__ import annotations

import pytest

from core.cache import LookupCache


class Loader:
    def __init__(self) -> None:
        self.calls = 0

    async def __call__(self) -> int:
        self.calls += 1
        return self.calls


async def test_a_hit_does_not_load_again_until_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [100.0]
    monkeypatch.setattr("core.cache.time.monotonic", lambda: clock[0])
    cache: LookupCache[str, int] = LookupCache(10, ttl=30)
    load = Loader()
    assert await cache.get("u", load) == 1
    clock[0] += 29
    assert await cache.get("u", load) == 1
    clock[0] += 2
    assert await cache.get("u", load) == 2


async def test_the_least_recently_used_entry_is_evicted() -> None:
    cache: LookupCache[str, int] = LookupCache(2, ttl=None)
    loads = {k: Loader() for k in "abc"}
    for key in "ab":
        await cache.get(key, loads[key])
    await cache.get("a", loads["a"])  # a is now the most recent
    await cache.get("c", loads["c"])  # evicts b
    await cache.get("a", loads["a"])
    await cache.get("b", loads["b"])
    assert (loads["a"].calls, loads["b"].calls) == (1, 2)


async def test_failures_and_a_zero_ttl_are_not_cached() -> None:
    cache: LookupCache[str, int] = LookupCache(10, ttl=0)
    load = Loader()
    await cache.get("u", load)
    await cache.get("u", load)
    assert load.calls == 2

    async def failing() -> int:
        raise LookupError("no such thing")

    forever: LookupCache[str, int] = LookupCache(10, ttl=None)
    with pytest.raises(LookupError):
        await forever.get("x", failing)
    assert await forever.get("x", Loader()) == 1


def test_put_and_peek_expire_and_a_zero_ttl_keeps_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [0.0]
    monkeypatch.setattr("core.cache.time.monotonic", lambda: clock[0])
    cache: LookupCache[str, bytes] = LookupCache(10, ttl=5)
    cache.put("k", b"key")
    assert cache.peek("k") == b"key"
    clock[0] += 5
    assert cache.peek("k") is None
    uncached: LookupCache[str, bytes] = LookupCache(10, ttl=0)
    uncached.put("k", b"key")
    assert uncached.peek("k") is None
