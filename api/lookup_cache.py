"""A small in-memory cache for answers the API needs on every request."""

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
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and (self._ttl is None or hit[1] > now):
            self._entries.move_to_end(key)
            return hit[0]
        value = await load()
        if self._ttl != 0:
            self._entries[key] = (value, now + (self._ttl or 0))
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return value
