"""Per-process memory of the page cache: hot pages, and the keys each page showed.

A hit on a hot page then costs one small round trip (the versions of its keys)
instead of fetching the page: a viral story is ~15-60 KB per request otherwise.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import OrderedDict

from django.conf import settings


class _LocalPages:
    """Pages this process served lately, each checked against the shared store.

    Each remembers the change counter at which its keys' versions were last found
    current: while the counter has not moved, a hit costs one small round trip (the
    counter) instead of fetching the page (~15-60 KB) or its keys' versions (up to a
    few hundred for a list). Entries keep
    their shared expiry, so a page is never served past the next scheduled go-live
    here either. Bounded by PAGE_CACHE_LOCAL_BYTES (16 MB per process by default).
    """

    def __init__(self) -> None:
        self._pages: OrderedDict[str, tuple] = OrderedDict()
        self._checked_at: dict[str, int] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple | None:
        with self._lock:
            stored = self._pages.get(key)
            if stored is not None:
                self._pages.move_to_end(key)
        if stored is not None and stored[4] <= time.time():
            self.discard(key)
            return None
        return stored

    def put(self, key: str, stored: tuple) -> None:
        limit = int(getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 16 * 1024 * 1024))
        size = len(stored[3])
        if size > limit // 8:
            return
        with self._lock:
            self._forget(key)
            self._pages[key] = stored
            self._bytes += size
            while self._bytes > limit:
                self._forget(next(iter(self._pages)))

    def checked_at(self, key: str) -> int | None:
        """The change counter when this page was last found current."""
        return self._checked_at.get(key)

    def mark_checked(self, key: str, sequence: int | None) -> None:
        with self._lock:
            if key in self._pages and sequence is not None:
                self._checked_at[key] = sequence

    def discard(self, key: str) -> None:
        with self._lock:
            self._forget(key)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._checked_at.clear()
            self._bytes = 0

    def _forget(self, key: str) -> None:
        self._checked_at.pop(key, None)
        old = self._pages.pop(key, None)
        if old is not None:
            self._bytes -= len(old[3])


local_pages = _LocalPages()


class _KnownKeys:
    """The keys each page showed when this process last saw it (bounded), so even a
    page this process does not hold is fetched with its versions in one round trip."""

    def __init__(self, limit: int = 5000) -> None:
        self._keys: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[str, ...]:
        return self._keys.get(key, ())

    def put(self, key: str, keys: tuple[str, ...]) -> None:
        keys = tuple(sys.intern(name) for name in keys)  # shared by many pages
        with self._lock:
            self._keys[key] = keys
            self._keys.move_to_end(key)
            while len(self._keys) > self._limit:
                self._keys.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()


known_keys = _KnownKeys()
