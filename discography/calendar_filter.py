"""The calendar's artist filter: every artist with an event from this week on.

Each request of ``/calendar/`` lists them (some hundreds on a busy calendar), but the
list changes only when an event is added, moved, called off or deleted, when its
artists change, or when an artist is renamed. So each process keeps the list, and
its ``<option>`` elements, under a version number in the shared cache (Redis in
production) that every such change raises (``connect()``; at once and again at
commit, as the page cache does): one cache read per request instead of a query of
some hundred rows and a template loop over them.

Writes that send no signal (bulk loads, raw SQL) are caught up after
``KEEP_SECONDS``; so is another process's change when there is no shared cache
(each process then has its own). When the cache cannot be read, the list is read
from the database.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import time
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from markupsafe import Markup, escape

from artists.models import Artist
from discography.events import Event

logger = logging.getLogger(__name__)

VERSION_KEY = "discography:calendar-artists:version"
KEEP_SECONDS = 300

# (since, version) -> (kept at, choices, options): the newest only.
_kept: dict[tuple, tuple[float, list[tuple[str, str]], str]] = {}


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A random start, not 1: after a flush, no process may find its old list
        # under a number that is handed out again.
        version = secrets.randbits(62)
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no number yet: the next read starts a new one
        pass
    except Exception:  # the store is down: the list is caught up by its age
        logger.warning("calendar artist filter: cache unreachable", exc_info=True)


def changed(sender=None, **kwargs: Any) -> None:
    """A row the filter lists changed: a new list, now and once it is committed
    (a process reading between the two would keep the old rows)."""
    _bump()
    transaction.on_commit(_bump, using=kwargs.get("using"), robust=True)


def connect() -> None:
    for model in (Event, Artist):
        post_save.connect(changed, sender=model, dispatch_uid=f"cal-filter-{model}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"cal-del-{model}")
    m2m_changed.connect(
        changed, sender=Event.artists.through, dispatch_uid="cal-filter-links"
    )


def _read(since: datetime.datetime) -> list[tuple[str, str]]:
    """(slug, name) of the artists with public events from ``since`` on, A to Z:
    one query over the link table (the events' start index finds them)."""
    upcoming = Event.objects.upcoming(since=since).order_by().values("pk")
    return list(
        Artist.objects.filter(
            pk__in=Event.artists.through.objects.filter(event_id__in=upcoming).values(
                "artist_id"
            )
        )
        .order_by("sort_name", "name")
        .values_list("slug", "name")
    )


def _options(choices: list[tuple[str, str]]) -> str:
    return "".join(
        f'<option value="{escape(slug)}">{escape(name)}</option>'
        for slug, name in choices
    )


def artist_choices(since: datetime.datetime) -> tuple[list[tuple[str, str]], str]:
    """The filter's (slug, name) pairs and their ``<option>`` elements (escaped)."""
    try:
        key = (since, _version())
    except Exception:
        logger.warning("calendar artist filter: cache unreachable", exc_info=True)
        choices = _read(since)
        return choices, _options(choices)
    kept = _kept.get(key)
    if kept is not None and time.monotonic() - kept[0] < KEEP_SECONDS:
        return kept[1], kept[2]
    choices = _read(since)
    options = _options(choices)
    _kept.clear()
    _kept[key] = (time.monotonic(), choices, options)
    return choices, options


def artist_options(options: str, selected: str) -> Markup:
    """The ``<option>`` elements with ``selected`` (a slug) marked."""
    if selected:
        chosen = f'<option value="{escape(selected)}">'
        options = options.replace(chosen, chosen[:-1] + " selected>", 1)
    return Markup(options)  # noqa: S704 - every name and slug escaped in _options
