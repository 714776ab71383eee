"""Whole-page cache for anonymous readers, invalidated by what each page shows.

A story that goes viral must be served at close to the speed of a static file, so an
anonymous GET is answered from the cache before sessions, authentication or any view
runs (:class:`CachedPagesWSGI`, the WSGI front door).

Correctness comes from *dependency keys* (core.pagedeps): a page records the keys of
what it shows (``story:12``, ``artist:3``, ``list:home``, ... and ``site``), each key
has a version in the shared store, and a page is served only while every one of its
keys still has the version it was rendered with. A change bumps the versions of the
keys it touches, so approving a reaction on one story refreshes that story's page and
leaves every other page cached, in every process at once.

The store is shared by every process: Redis when ``REDIS_URL`` is set, a file cache
under ``var/`` otherwise (settings ``PAGE_CACHE_ALIAS``). When the store cannot be
reached, no page is served from any cache (a takedown is never hidden) and the
changes that could not be written wait in an outbox (core.pagecache_outbox), replayed
before any page is served again. Scheduled stories appear on time without a cron job:
a page is never kept past the moment the next scheduled story goes live.

Readers with a session (staff, or anyone the site has given a session or a flash
message) bypass the cache, as do responses that set a cookie or say they are private.
Every invalidation goes through one entry point, :func:`content_changed`: the save,
delete and link signals of public models, and the writes that send no signal.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from http import HTTPStatus

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag

from core import pagecache_outbox, pagecache_watch, pagedeps, purge
from core.pagecache_local import _LocalPages, known_keys, local_pages  # noqa: F401
from core.pagecache_request import is_enabled, page_key

logger = logging.getLogger(__name__)

# A counter bumped by every change; the version a change gives the keys it touches.
SEQUENCE_KEY = "pagecache:sequence"
VERSION_KEY = "pagecache:v:{key}"
NEXT_CHANGE_KEY = "pagecache:next-change:{sequence}"
# The front door's lookup, handed to the middleware so a miss costs one round trip.
LOOKUP_ENVIRON_KEY = "pagecache.lookup"
# After the store failed, leave it alone (and cache nothing) this long.
RETRY_AFTER = 2.0


def _cache():
    """The shared store, without any per-process fallback (core.cache.strict)."""
    cache = caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]
    return getattr(cache, "strict", cache)


class _Availability:
    """Whether this process may use the store; closed for RETRY_AFTER after a failure."""

    def __init__(self) -> None:
        self.down_until = 0.0

    def usable(self) -> bool:
        return time.monotonic() >= self.down_until

    def failed(self) -> None:
        if self.usable():
            logger.warning("page cache store unreachable: serving no cached page")
        self.down_until = time.monotonic() + RETRY_AFTER

    def reset(self) -> None:
        self.down_until = 0.0


availability = _Availability()


def _version_key(key: str) -> str:
    return VERSION_KEY.format(key=key)


def current_sequence() -> int:
    """The change counter, created on first use."""
    cache = _cache()
    sequence = cache.get(SEQUENCE_KEY)
    if sequence is None:
        # Start from the clock, not 1: after a flush, versions only grow.
        sequence = int(time.time() * 1000)
        if not cache.add(SEQUENCE_KEY, sequence, timeout=None):
            sequence = cache.get(SEQUENCE_KEY, sequence)
    return sequence


def publish_change(keys: Iterable[str]) -> None:
    """Give every key a new version in the shared store (raises when unreachable)."""
    cache = _cache()
    try:
        sequence = cache.incr(SEQUENCE_KEY)
    except ValueError:  # no counter yet (first use, or a flush)
        current_sequence()
        sequence = cache.incr(SEQUENCE_KEY)
    cache.set_many({_version_key(key): sequence for key in keys}, timeout=None)
    # Once more when the versions are written: a process that read the counter
    # between the two saw the old versions, and must look at them again.
    final = cache.incr(SEQUENCE_KEY)
    watch = _feed()
    if watch is not None:  # every process hears it without asking (pagecache_watch)
        watch.announce(final, keys)


def _feed() -> pagecache_watch.ChangeFeed | None:
    return pagecache_watch.feed(current_sequence)


def bump_generation() -> None:
    """Invalidate every cached page, in every process sharing the store."""
    content_changed(keys=[pagedeps.SITE])


def _next_scheduled_change() -> datetime | None:
    """When the next scheduled change goes live (None when nothing is scheduled)."""
    found = [when for when in (lookup() for lookup in _schedules) if when is not None]
    return min(found, default=None)


def seconds_to_keep(sequence: int, now: datetime | None = None) -> int:
    """How long a page rendered now may be served: never past the next go-live."""
    longest = int(getattr(settings, "PAGE_CACHE_SECONDS", 600))
    now = now or timezone.now()
    cache = _cache()
    key = NEXT_CHANGE_KEY.format(sequence=sequence)
    next_change = cache.get(key)
    if next_change is None or (next_change != "none" and next_change <= now):
        # Unknown, or the story it named has gone live (the clock changed the pages,
        # no save did): look again, or every page would be stored for 0 seconds
        # until this entry expired.
        next_change = _next_scheduled_change() or "none"
        cache.set(key, next_change, timeout=longest)
    if next_change == "none":
        return longest
    return max(0, min(longest, int((next_change - now).total_seconds())))


def _response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    # A view that set its own shared lifetime (a live blog's updates answer, a few
    # seconds) keeps it: its rows may not be recorded as it answers from its own
    # cache, so only the lifetime it chose can keep it current.
    if "s-maxage" in cache_control:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _public_cache_control(timeout: int) -> str:
    shared = min(int(getattr(settings, "PAGE_CACHE_SHARED_SECONDS", 60)), timeout)
    # Browsers revalidate every time (a cheap 304); a CDN may hold a page until it
    # is purged by key, and never past the next scheduled go-live.
    return f"public, max-age=0, s-maxage={max(shared, 0)}, stale-while-revalidate=30"


def _is_current(stored: tuple, found: dict) -> bool:
    """Every key the page shows still has the version it was rendered with."""
    return all(
        found.get(_version_key(key)) == version for key, version in stored[0].items()
    )


def lookup(key: str) -> tuple[int, tuple | None]:
    """(the change counter now, the stored page if it is still current).

    One round trip in the usual cases: for a page this process holds, the counter
    alone while it has not moved since the page was last checked (else the versions
    of its keys); for another, the counter, the page and the versions of the keys
    it showed last time, together.
    Raises when the store cannot be reached, or when changes wait in the outbox
    that cannot be replayed yet: then no page may be served.
    """
    if pagecache_outbox.pending():
        pagecache_outbox.replay(publish_change)
    cache = _cache()
    local = local_pages.get(key)
    if local is not None:
        checked = local_pages.checked_at(key)
        watch = _feed()
        if watch is not None and watch.unchanged_since(local[0], checked):
            return checked, local  # no change announced to any key it shows
        sequence = cache.get(SEQUENCE_KEY)
        if sequence is not None and sequence == local_pages.checked_at(key):
            return sequence, local  # nothing changed anywhere since it was checked
        found = cache.get_many([SEQUENCE_KEY, *map(_version_key, local[0])])
        if _is_current(local, found):
            local_pages.mark_checked(key, sequence)  # read before the versions
            return found.get(SEQUENCE_KEY) or current_sequence(), local
        local_pages.discard(key)
        found.update(cache.get_many([key]))
    else:
        wanted = [SEQUENCE_KEY, *map(_version_key, known_keys.get(key)), key]
        found = cache.get_many(wanted)
    sequence = found.get(SEQUENCE_KEY) or current_sequence()
    stored = found.get(key)
    if stored is None:
        return sequence, None
    unknown = [_version_key(k) for k in stored[0] if _version_key(k) not in found]
    if unknown:
        found.update(cache.get_many(unknown))
    known_keys.put(key, tuple(stored[0]))
    if not _is_current(stored, found):
        return sequence, None
    local_pages.put(key, stored)
    local_pages.mark_checked(key, found.get(SEQUENCE_KEY))
    return sequence, stored


def guarded_lookup(key: str) -> tuple[bool, int | None, tuple | None]:
    """(store usable, counter, current page); never raises: an outage renders."""
    if not availability.usable():
        return False, None, None
    try:
        sequence, stored = lookup(key)
    except Exception:
        availability.failed()
        logger.debug("page cache lookup failed", exc_info=True)
        return False, None, None
    return True, sequence, stored


_NOT_MODIFIED_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Vary")


def replay(
    stored: tuple, *, method: str, if_none_match: str
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body for a stored page: 304 when the reader has it."""
    _, status, headers, body, _ = stored
    etag = next((value for name, value in headers if name == "ETag"), None)
    if etag and etag in if_none_match:
        kept = [(n, v) for n, v in headers if n in _NOT_MODIFIED_HEADERS]
        return 304, [*kept, ("X-Page-Cache", "hit")], b""
    return (
        status,
        [*headers, ("X-Page-Cache", "hit")],
        b"" if method == "HEAD" else body,
    )


class AnonymousPageCacheMiddleware:
    """Serve anonymous GETs from the shared cache, and store what they render.

    First in MIDDLEWARE, so a stored page carries every header the rest of the
    stack adds and a hit is replayed exactly, by this middleware or, before Django
    runs at all, by :class:`CachedPagesWSGI`. When the front door already looked
    the page up (and missed), its answer is reused: one round trip per miss.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = page_key(request.META)
        if key is None:
            return self.get_response(request)
        door = request.META.pop(LOOKUP_ENVIRON_KEY, None)
        if door is not None and door[0] == key:
            usable, sequence, stored = door[1:]
        else:
            usable, sequence, stored = guarded_lookup(key)
        if not usable:
            return self.get_response(request)
        if stored is not None:
            status, headers, body = replay(
                stored,
                method=request.method,
                if_none_match=request.headers.get("If-None-Match", ""),
            )
            response = HttpResponse(body, status=status)
            for name, value in headers:
                response[name] = value
            return response

        token = pagedeps.start_recording()
        try:
            response = self.get_response(request)
        finally:
            match = getattr(request, "resolver_match", None)
            keys = pagedeps.stop_recording(
                token,
                url_name=match.view_name if match else None,
                kwargs=match.kwargs if match else {},
            )
        if _response_is_cacheable(request, response):
            try:
                self._store(key, sequence, keys, response)
            except Exception:  # storing is an optimisation: the reader gets the page
                availability.failed()
                logger.warning("could not store a page in the cache", exc_info=True)
        return response

    def _store(
        self, key: str, sequence: int, keys: list[str], response: HttpResponse
    ) -> None:
        timeout = seconds_to_keep(sequence)
        body = response.content
        etag = quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest())
        response["ETag"] = etag
        response["Last-Modified"] = http_date()
        response["Cache-Control"] = _public_cache_control(timeout)
        response["Content-Length"] = str(len(body))
        # The same keys for the CDN in front: Fastly and Varnish (xkey) read
        # Surrogate-Key, Cloudflare Cache-Tag; each purges by them (core.purge).
        response["Surrogate-Key"] = " ".join(keys)
        response["Cache-Tag"] = ",".join(keys)
        patch_vary_headers(response, ["Cookie"])
        response["X-Page-Cache"] = "miss"
        if timeout <= 0:
            return
        versions = _versions_since(sequence, keys)
        if versions is None:  # something it shows changed while it rendered
            return
        headers = [
            (name, value) for name, value in response.items() if name != "X-Page-Cache"
        ]
        expires = time.time() + timeout
        stored = (versions, response.status_code, headers, body, expires)
        _cache().set(key, stored, timeout)
        known_keys.put(key, tuple(versions))


def _versions_since(sequence: int, keys: list[str]) -> dict[str, int] | None:
    """The versions of ``keys`` now, or None if one changed after ``sequence`` (the
    counter read before the page rendered: the page may show the old rows)."""
    cache = _cache()
    wanted = [_version_key(key) for key in keys]
    found = cache.get_many([SEQUENCE_KEY, *wanted])
    missing = [name for name in wanted if name not in found]
    if missing:
        # Never changed (or evicted): today's counter is their version. Not older,
        # since an evicted version may have been bumped after this page's rows.
        now = found.get(SEQUENCE_KEY) or current_sequence()
        for name in missing:
            cache.add(name, now, timeout=None)
        found.update(cache.get_many(missing))
    versions = {}
    for key, name in zip(keys, wanted, strict=True):
        version = found.get(name)
        if version is None or version > sequence:
            return None
        versions[key] = version
    return versions


class CachedPagesWSGI:
    """The WSGI front door: a cached page is answered before Django runs at all.

    A hit costs one cache round trip and no request object, middleware or signal,
    which is what lets a viral story be served at close to a static file's speed.
    Everything else (a miss, a reader with a session, a POST, an outage) goes to
    Django, whose :class:`AnonymousPageCacheMiddleware` renders and stores it,
    reusing this lookup.
    """

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable):
        key = page_key(environ)
        if key is None:
            return self.application(environ, start_response)
        usable, sequence, stored = guarded_lookup(key)
        if stored is None:
            environ[LOOKUP_ENVIRON_KEY] = (key, usable, sequence, None)
            return self.application(environ, start_response)
        status, headers, body = replay(
            stored,
            method=environ["REQUEST_METHOD"],
            if_none_match=environ.get("HTTP_IF_NONE_MATCH", ""),
        )
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [body]


# --- what invalidates pages ------------------------------------------------------------

# Models (``app_label.modelname``) whose rows readers see, as the apps registered them.
_public_models: set[str] = set()
# Each answers "when does the next scheduled change go live?" (None: nothing waits).
_schedules: list[Callable[[], datetime | None]] = []
# Keys changed in the open transaction of each database alias, published at commit;
# per thread, as Django's connections are.
_pending_by_thread = threading.local()


def _pending() -> dict[str, set[str]]:
    if not hasattr(_pending_by_thread, "keys"):
        _pending_by_thread.keys = {}
    return _pending_by_thread.keys


def register_public_models(*models: type[Model]) -> None:
    """Rows of these models appear on public pages: saving, deleting or relinking one
    invalidates the pages showing it (the keys its app declared with
    ``core.pagedeps.register_keys``; every page when it declared none). Apps call it
    from ``AppConfig.ready()``; a model not registered (the moderation record,
    staff-only notes) never invalidates a page.

    A public model may still say that one particular row is invisible: a method
    ``affects_public_pages()`` returning False (a pending reaction) skips it.
    """
    _public_models.update(model._meta.label_lower for model in models)


def register_schedule(next_change: Callable[[], datetime | None]) -> None:
    """``next_change()`` tells when content scheduled ahead goes live (or None).

    No page is kept past the earliest answer, so a story scheduled for 9:00 appears
    at 9:00 without a save, a cron job or a purge.
    """
    if next_change not in _schedules:
        _schedules.append(next_change)


def is_public(model: type[Model]) -> bool:
    """Whether changes to ``model``'s rows show on public pages."""
    return model._meta.label_lower in _public_models


def content_changed(
    *objects: Model, keys: Iterable[str] = (), using: str | None = None
) -> None:
    """Pages showing what changed are stale: invalidate them, now and at commit.

    The one entry point of invalidation. ``objects`` are the rows that changed (each
    touches the keys its app declared); ``keys`` names more directly. A store outage
    is never raised, so a save or a task never fails on it: the keys wait in the
    outbox, and no page is served until they are replayed. The second publication,
    once the transaction on ``using`` commits, matters: a page another process
    renders between the first and the commit reads the old rows. The CDN in front
    is purged at commit (core.purge).
    """
    if not is_enabled():
        return
    touched = set(keys)
    for instance in objects:
        touched |= pagedeps.touched_by(instance)
    if not touched:
        return
    _publish_quietly(touched)
    alias = using or DEFAULT_DB_ALIAS
    connection = connections[alias]
    if not connection.in_atomic_block:
        purge.purge_keys(touched)
        return
    flush = _commit_flusher(alias)
    if not any(callback == flush for _, callback, _ in connection.run_on_commit):
        _pending()[alias] = set()
        transaction.on_commit(flush, using=alias, robust=True)
    _pending()[alias] |= touched


class _commit_flusher:
    """Publishes the keys a transaction changed once it commits (equal per alias, so
    one is registered per transaction however many rows change)."""

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _commit_flusher) and other.alias == self.alias

    def __hash__(self) -> int:
        return hash(self.alias)

    def __call__(self) -> None:
        keys = _pending().pop(self.alias, set())
        if keys:
            _publish_quietly(keys)
            purge.purge_keys(keys)


def _publish_quietly(keys: set[str]) -> None:
    try:
        if not availability.usable():
            raise ConnectionError("page cache store marked unreachable")
        publish_change(keys)
    except Exception:
        availability.failed()
        pagecache_outbox.add(keys)
        logger.warning("page cache store unreachable: change kept in the outbox")


def _row_changed(sender, instance=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    if not is_public(sender):
        return
    affects = getattr(instance, "affects_public_pages", None)
    if callable(affects) and not affects():
        return
    content_changed(instance, using=using)


def _links_changed(
    sender,
    instance=None,
    action="",
    using=None,
    reverse=False,
    model=None,
    pk_set=None,
    **kwargs,
) -> None:
    # Before a removal (the lists the row leaves) and after every change (those it
    # joins): both sets of pages show it.
    if not (action.startswith("post_") or action in ("pre_remove", "pre_clear")):
        return
    _row_changed(type(instance), instance=instance, using=using)
    # Linked from the other side (an artist's stories): the rows on the owning side
    # changed too, and pages showing them may not show this row yet.
    if reverse and pk_set and model is not None and is_public(model):
        rows = model._default_manager.using(using).filter(pk__in=pk_set)
        content_changed(*rows, using=using)


def connect_invalidation() -> None:
    """Listen to every save, delete and link change (core's ``ready()`` calls it)."""
    post_save.connect(_row_changed, dispatch_uid="pagecache-save")
    post_delete.connect(_row_changed, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_links_changed, dispatch_uid="pagecache-m2m")
    pagedeps.connect_recording()
