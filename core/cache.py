"""A Redis cache that keeps the site answering while Redis is away.

Django's ``RedisCache`` raises on every call when Redis is unreachable, which would
turn each page view into a 500. ``ResilientRedisCache`` catches Redis errors, logs
them (once per outage), and serves the call from an in-process ``LocMemCache``
instead. After a failure it leaves Redis alone for ``RETRY_AFTER`` seconds, so an
outage costs one connect timeout per process and pause, not one per call.

What this means for the parts built on the cache while Redis is down:
- page and fragment caching continue per process (each worker warms its own);
- rate limits (``cache.add``/``cache.incr``) keep counting, per process: a client
  may get up to one allowance per worker instead of one in total, never unlimited;
- django-axes' login lockout (the cache handler) likewise counts per process.
When Redis answers again, calls go back to it; the local copies are dropped.

The page cache must never serve a per-process copy (an edit made elsewhere would not
show), so it uses ``cache.strict``: the same Redis without the fallback, raising.

Without Redis, :class:`SharedFileCache` keeps pages in files under ``var/`` that every
process on the machine shares, with an atomic ``incr``.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("core.cache")

RETRY_AFTER = 5.0


class ReusingRedisCacheClient(RedisCacheClient):
    """Keeps one ``redis.Redis`` per connection pool instead of building one per call.

    Django builds a new client for every cache call, and a client's constructor
    fills a table of ~170 response callbacks: about a quarter of a millisecond, more
    than the round trip itself on a cached page. Clients are thread-safe.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class ResilientRedisCache(RedisCache):
    """RedisCache whose calls fall back to a local cache while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._fallback = LocMemCache(
            f"newsroom-redis-fallback-{id(self)}",
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "OPTIONS": {"MAX_ENTRIES": 5000},
            },
        )
        self.strict = RedisCache(server, params)
        self.strict._class = ReusingRedisCacheClient
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._is_down = False

    @property
    def is_degraded(self) -> bool:
        """True while calls are answered by the local fallback."""
        return self._is_down

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if self._is_down and time.monotonic() < self._down_until:
            return getattr(self._fallback, name)(*args, **kwargs)
        method: Callable[..., Any] = getattr(super(), name)
        try:
            result = method(*args, **kwargs)
        except RedisError as error:
            with self._lock:
                if not self._is_down:
                    logger.warning(
                        "Redis unreachable (%s); using the in-process cache", error
                    )
                self._is_down = True
                self._down_until = time.monotonic() + RETRY_AFTER
            return getattr(self._fallback, name)(*args, **kwargs)
        if self._is_down:
            with self._lock:
                if self._is_down:
                    logger.warning("Redis is back; the shared cache is in use again")
                    self._is_down = False
                    self._fallback.clear()
        return result

    def add(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("add", *args, **kwargs)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get", *args, **kwargs)

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set", *args, **kwargs)

    def touch(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("touch", *args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("delete_many", *args, **kwargs)

    def clear(self, *args: Any, **kwargs: Any) -> Any:
        self._fallback.clear()
        return self._call("clear", *args, **kwargs)


class SharedFileCache(FileBasedCache):
    """Django's file cache, shared by every process on the machine, whose ``incr``
    is atomic (an exclusive lock on a file beside the entries), so two processes
    counting changes at once never hand out the same number."""

    def __init__(self, directory: str, params: dict[str, Any]) -> None:
        super().__init__(directory, params)
        self.lock_path = os.path.join(os.path.abspath(directory), ".incr.lock")

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        os.makedirs(os.path.dirname(self.lock_path), exist_ok=True)
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            return super().incr(key, delta, version)
