"""A small in-memory cache for answers needed on every request or every payload."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LookupCache(Generic[K, V]):
    """A bounded LRU with an optional time to live; `ttl=None` keeps entries until evicted."""

    def __init__(self, max_entries: int, ttl: float | None) -> None:
        self._entries: OrderedDict[K, tuple[V, float]] = OrderedDict()
        self._max = max_entries
        self._ttl = ttl

    async def get(self, key: K, load: Callable[[], Awaitable[V]]) -> V:
        """The cached value, or `load()`'s (cached when it did not raise)."""
        hit = self.peek(key)
        if hit is not None:
            return hit
        value = await load()
        self.put(key, value)
        return value

    def peek(self, key: K) -> V | None:
        """The cached value, if there is a live one."""
        hit = self._entries.get(key)
        if hit is None:
            return None
        if self._ttl is not None and hit[1] <= time.monotonic():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return hit[0]

    def put(self, key: K, value: V) -> None:
        """Remember a value (not at all when `ttl` is 0), evicting the least recently used."""
        if self._ttl == 0:
            return
        self._entries[key] = (value, time.monotonic() + (self._ttl or 0))
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        """Forget everything."""
        self._entries.clear()
