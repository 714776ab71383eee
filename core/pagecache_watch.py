"""Changes pushed to every process, so a hit on an unchanged page costs no round trip.

With Redis as the shared store, each cached hit used to ask Redis whether anything had
changed: one round trip, cheap on its own, but on a busy machine the worker then waits
for Redis to be scheduled, and a cached story served at about half a static file's
rate. Instead, :func:`core.pagecache.publish_change` also announces each change on a
Redis channel (the change counter it ended at, and the keys it touched). Every process
subscribes once; before answering from its own memory it reads whatever announcements
have arrived (a non-blocking look at its socket, no round trip). A page none of whose
keys was announced since it was last checked is still current; any other goes back
to the store as before.

It is trusted only while it can prove it hears everything:

* the subscription is confirmed before the counter is read (``since``): changes
  before that are in the counter, later ones arrive as announcements;
* a ping goes out every :data:`HEARTBEAT` seconds on the subscription, and the feed
  is trusted only while a pong came back within :data:`TRUST_FOR` (announcements
  and pongs share one connection, in order, so a pong proves every change published
  before its ping has been read);
* any error, a dropped connection, or a fork forgets everything: the process asks
  the store on every hit until it has subscribed again.

Without Redis (the shared file store), reading the counter is a local file read and
no feed is used.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Seconds between pings on the subscription, and how recent a pong must be.
HEARTBEAT = 0.5
TRUST_FOR = 2.0
# After the feed failed, leave it alone this long (hits ask the store meanwhile).
RETRY_AFTER = 2.0
# An announcement naming more keys than this says "everything" instead.
MAX_KEYS = 500
EVERYTHING = "*"
# Keys remembered as changed, at most; past it everything counts as changed once.
MAX_REMEMBERED = 100_000


def channel(url: str) -> str:
    """One channel per site and Redis database: channels are server-wide, so two
    sites (or test runs) on one Redis must not hear each other's changes."""
    prefix = getattr(settings, "PAGE_CACHE_FEED_PREFIX", "") or "newsroom"
    database = urlsplit(url).path.strip("/") or "0"
    return f"{prefix}:{database}:pagecache:changes"


def _client(url: str) -> redis.Redis:
    # No silent retries: a subscription that reconnected by itself would have missed
    # what was announced meanwhile; an error must reach us, so trust is dropped.
    return redis.Redis.from_url(
        url, socket_connect_timeout=1, socket_timeout=1, retry=Retry(NoBackoff(), 0)
    )


def announcement(sequence: int, keys: Iterable[str]) -> str:
    keys = sorted(set(keys))
    if len(keys) > MAX_KEYS:
        keys = [EVERYTHING]
    return json.dumps([sequence, keys], separators=(",", ":"))


class ChangeFeed:
    """This process's subscription to the announcements, and what it has heard."""

    def __init__(self, url: str, read_sequence: Callable[[], int]) -> None:
        self.url = url
        self.read_sequence = read_sequence
        self._lock = threading.Lock()
        self._reset()
        self._retry_at = 0.0
        self._publisher: tuple[int, redis.Redis] | None = None

    def _reset(self) -> None:
        self._pid = os.getpid()
        self._pubsub = None
        self._lost = False
        # The counter when the subscription was confirmed (None: not trusted).
        self.since: int | None = None
        # Each key announced since, with the counter its latest change ended at.
        self._changed: dict[str, int] = {}
        self._everything_at = 0
        self._pong_at = 0.0
        self._ping_at = 0.0

    # --- publishing -------------------------------------------------------------------

    def announce(self, sequence: int, keys: Iterable[str]) -> None:
        """Tell every process (raises when Redis cannot be reached)."""
        if self._publisher is None or self._publisher[0] != os.getpid():
            self._publisher = (os.getpid(), _client(self.url))  # not a parent's socket
        self._publisher[1].publish(channel(self.url), announcement(sequence, keys))

    # --- listening --------------------------------------------------------------------

    def unchanged_since(self, keys: Iterable[str], sequence: int | None) -> bool:
        """Whether no key in ``keys`` changed after ``sequence`` (a page's last
        check); False whenever the feed cannot vouch for it."""
        if sequence is None:
            return False
        with self._lock:
            if not self._listen() or self.since is None or sequence < self.since:
                return False
            if self._everything_at > sequence:
                return False
            changed = self._changed
            return all(changed.get(key, 0) <= sequence for key in keys)

    def _listen(self) -> bool:
        """Read what has arrived; True while the feed is trusted."""
        if self._pid != os.getpid():  # forked: the parent's socket is not ours
            self._reset()
        now = time.monotonic()
        try:
            if self._pubsub is None:
                if now < self._retry_at:
                    return False
                self._subscribe()
            pubsub = self._pubsub
            while True:
                message = pubsub.get_message(timeout=0)
                if message is None:
                    break
                self._heard(message)
            if self._lost:
                raise ConnectionError("the subscription was made again")
            if now - self._ping_at >= HEARTBEAT:
                self._ping_at = now
                pubsub.ping()
        except Exception:
            logger.warning("page cache change feed lost; asking the store per hit")
            self._drop()
            self._retry_at = now + RETRY_AFTER
            return False
        return now - self._pong_at < TRUST_FOR

    def _subscribe(self) -> None:
        pubsub = _client(self.url).pubsub()
        pubsub.subscribe(channel(self.url))
        # Wait for the confirmation: only then is every later change announced to us.
        deadline = time.monotonic() + 1.0
        while True:
            message = pubsub.get_message(timeout=max(0.0, deadline - time.monotonic()))
            if message is not None and message["type"] == "subscribe":
                break
            if time.monotonic() >= deadline:
                pubsub.close()
                raise TimeoutError("no subscription confirmation")
        # Should the connection ever be made again under us (redis-py reconnects a
        # subscription by itself), announcements may have been missed: distrust.
        pubsub.connection.register_connect_callback(self._reconnected)
        self._pubsub = pubsub
        self._lost = False
        self._changed.clear()
        self._everything_at = 0
        self.since = self.read_sequence()
        self._pong_at = self._ping_at = time.monotonic()

    def _reconnected(self, connection) -> None:
        self._lost = True

    def _heard(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "pong":
            self._pong_at = time.monotonic()
            return
        if kind != "message":
            return
        sequence, keys = json.loads(message["data"])
        if EVERYTHING in keys:
            self._everything_at = max(self._everything_at, sequence)
            return
        changed = self._changed
        for key in keys:
            if changed.get(key, 0) < sequence:
                changed[key] = sequence
        if len(changed) > MAX_REMEMBERED:
            self._everything_at = max(changed.values())
            changed.clear()

    def _drop(self) -> None:
        pubsub = self._pubsub
        self._reset()
        if pubsub is not None:
            try:
                pubsub.close()
            except Exception:  # already broken: nothing more to release
                logger.debug("closing the change feed failed", exc_info=True)


_feeds: dict[str, ChangeFeed] = {}


def feed(read_sequence: Callable[[], int]) -> ChangeFeed | None:
    """This process's feed when pages are cached in Redis (``PAGE_CACHE_FEED_URL``),
    else None; ``read_sequence`` reads the shared change counter."""
    url = getattr(settings, "PAGE_CACHE_FEED_URL", None)
    if not url:
        return None
    found = _feeds.get(url)
    if found is None:
        found = _feeds.setdefault(url, ChangeFeed(url, read_sequence))
    return found
