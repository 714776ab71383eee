"""Changes the page cache could not publish, kept until the shared store answers.

A save during a Redis blip must not leave the old page in Redis to be served for
minutes once Redis is back. The keys it touched are appended to a file every process
on the machine sees (``PAGE_CACHE_OUTBOX``, under ``var/``); while that file holds
anything, every process replays it before serving a cached page, and serves none
until the replay succeeds. Deployments with several machines put ``var/`` on a
shared volume (docker-compose.prod.yml does) or keep Redis highly available.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

_lock = threading.Lock()
# Keys this process could not even write to the file (a read-only disk).
_in_memory: set[str] = set()


def path() -> Path:
    return Path(settings.PAGE_CACHE_OUTBOX)


def pending() -> bool:
    """Whether a change waits (a stat call: cheap enough for every request)."""
    if _in_memory:
        return True
    try:
        return os.stat(path()).st_size > 0
    except FileNotFoundError:
        return False


def add(keys: Iterable[str]) -> None:
    keys = set(keys)
    try:
        path().parent.mkdir(parents=True, exist_ok=True)
        with open(path(), "a", encoding="utf-8") as outbox:
            fcntl.flock(outbox, fcntl.LOCK_EX)
            outbox.write("".join(f"{key}\n" for key in sorted(keys)))
    except OSError:
        logger.exception("page cache outbox not writable; kept in this process")
        with _lock:
            _in_memory.update(keys)


def replay(publish: Callable[[set[str]], None]) -> None:
    """Publish every waiting key, then empty the outbox; raises if publishing fails
    (the keys stay for the next attempt)."""
    with _lock:
        if _in_memory:
            publish(set(_in_memory))
            _in_memory.clear()
    try:
        outbox = open(path(), "r+", encoding="utf-8")
    except FileNotFoundError:
        return
    with outbox:
        fcntl.flock(outbox, fcntl.LOCK_EX)
        keys = {line.strip() for line in outbox if line.strip()}
        if keys:
            publish(keys)
            logger.warning("page cache: replayed %d waiting change keys", len(keys))
        outbox.truncate(0)
