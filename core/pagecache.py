"""Whole-page cache for anonymous readers, with exact invalidation.

A story that goes viral must be served at close to the speed of a static file, so an
anonymous GET is answered from the cache before sessions, authentication or any view
runs. Correctness comes from a *content generation*: one counter in the shared cache
(Redis when configured, so every process agrees) that is part of every page's key.
Any change to published content bumps it, and the next request of every page, in every
process, renders afresh. Scheduled stories appear on time without a cron job because a
page is never kept past the moment the next scheduled story goes live.

Readers with a session (staff, or anyone the site has given a session or a flash
message) bypass the cache, as do responses that set a cookie or say they are private.

The engine names no app. Each app says, from its ``AppConfig.ready()``, which of its
models readers see (:func:`register_public_models`) and when its scheduled content goes
live (:func:`register_schedule`). Every invalidation goes through one entry point,
:func:`content_changed`: the save, delete and link signals of public models, and the
writes that send no signal (``QuerySet.update()``, a background task).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.http.cookie import parse_cookie
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, quote_etag

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
NEXT_CHANGE_KEY = "pagecache:next-change:{generation}"
# v2: entries carry their expiry (for the per-process copy); v1 entries are ignored.
PAGE_KEY = "pagecache:page:v2:{digest}"
# Paths that are never cached: the staff site, probes, and files served elsewhere.
EXCLUDED_PREFIXES = ("/admin/", "/healthz", "/readyz", "/static/", "/media/")
BYPASS_COOKIES = ("messages",)


def _cache():
    return caches[getattr(settings, "PAGE_CACHE_ALIAS", "default")]


def is_enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def current_generation() -> int:
    """The content generation every page key includes; created on first use."""
    generation = _cache().get(GENERATION_KEY)
    if generation is None:
        # Start from the clock, not 1: after a cache flush, keys can never collide
        # with pages stored under an earlier counter.
        generation = int(time.time() * 1000)
        if not _cache().add(GENERATION_KEY, generation, timeout=None):
            generation = _cache().get(GENERATION_KEY, generation)
    return generation


def bump_generation() -> None:
    """Invalidate every cached page, in every process sharing the cache."""
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no counter yet: the next request starts a fresh one
        cache.set(GENERATION_KEY, int(time.time() * 1000), timeout=None)


def _next_scheduled_change() -> datetime | None:
    """When the next scheduled change goes live (None when nothing is scheduled)."""
    found = [when for when in (lookup() for lookup in _schedules) if when is not None]
    return min(found, default=None)


def seconds_to_keep(generation: int, now: datetime | None = None) -> int:
    """How long a page rendered now may be served: never past the next go-live."""
    longest = int(getattr(settings, "PAGE_CACHE_SECONDS", 600))
    now = now or timezone.now()
    cache = _cache()
    key = NEXT_CHANGE_KEY.format(generation=generation)
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


def _is_secure(environ: dict) -> bool:
    """``HttpRequest.is_secure()`` for a bare WSGI environ (same proxy header rule)."""
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    if proxy_header:
        header, secure_value = proxy_header
        value = environ.get(header)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


def _host(environ: dict) -> str:
    """The host as Django reads it (unvalidated: an unknown host never has a page)."""
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        return environ["HTTP_X_FORWARDED_HOST"]
    if "HTTP_HOST" in environ:
        return environ["HTTP_HOST"]
    return f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"


def page_key(environ: dict) -> str | None:
    """The cache key of this request's page, or None when it must not use the cache.

    Read from the WSGI environ (``request.META`` is the same dict), so the WSGI
    front door (:class:`CachedPagesWSGI`) and the middleware agree on every key.
    Only anonymous GET and HEAD requests qualify: no session, no flash message, not
    the admin or files, and not a plain-HTTP request that must be redirected first.
    """
    if not is_enabled() or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    path = environ.get("PATH_INFO", "")
    if path.startswith(EXCLUDED_PREFIXES):
        return None
    cookie_header = environ.get("HTTP_COOKIE")
    if cookie_header:
        cookies = parse_cookie(cookie_header)
        if settings.SESSION_COOKIE_NAME in cookies:
            return None
        if any(name in cookies for name in BYPASS_COOKIES):
            return None
    secure = _is_secure(environ)
    if settings.SECURE_SSL_REDIRECT and not secure:
        return None
    query = environ.get("QUERY_STRING", "")
    raw = "{}://{}{}{}{}".format(
        "https" if secure else "http",
        _host(environ),
        environ.get("SCRIPT_NAME", ""),
        path,
        f"?{query}" if query else "",
    )
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return PAGE_KEY.format(digest=digest)


def _response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if "private" in cache_control or "no-store" in cache_control:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _public_cache_control() -> str:
    shared = int(getattr(settings, "PAGE_CACHE_SHARED_SECONDS", 60))
    # Browsers revalidate every time (a cheap 304); a CDN may hold a page briefly.
    return f"public, max-age=0, s-maxage={shared}, stale-while-revalidate=30"


class _LocalPages:
    """Pages this process served lately, each checked against the shared generation.

    A hit on a hot page then costs one small round trip (the generation) instead of
    fetching the page: a viral story is ~15-60 KB per request otherwise. Entries keep
    their shared expiry, so a page is never served past the next scheduled go-live
    here either. Bounded by PAGE_CACHE_LOCAL_BYTES (16 MB per process by default).
    """

    def __init__(self) -> None:
        self._pages: OrderedDict[str, tuple] = OrderedDict()
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

    def discard(self, key: str) -> None:
        with self._lock:
            self._forget(key)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def _forget(self, key: str) -> None:
        old = self._pages.pop(key, None)
        if old is not None:
            self._bytes -= len(old[3])


local_pages = _LocalPages()


def lookup(key: str) -> tuple[int | None, tuple | None]:
    """(current generation, the stored page if it is still current).

    One round trip: the generation alone when this process holds the page, else
    the generation and the page together.
    """
    cache = _cache()
    local = local_pages.get(key)
    if local is not None:
        generation = cache.get(GENERATION_KEY)
        if generation is not None and local[0] == generation:
            return generation, local
        local_pages.discard(key)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    stored = found.get(key)
    if stored is not None and generation is not None and stored[0] == generation:
        local_pages.put(key, stored)
        return generation, stored
    return generation, None


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
    runs at all, by :class:`CachedPagesWSGI`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = page_key(request.META)
        if key is None:
            return self.get_response(request)
        try:
            generation, stored = lookup(key)
        except Exception:  # a cache outage must never take the site down
            logger.warning("page cache unavailable; rendering", exc_info=True)
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

        generation = generation if generation is not None else current_generation()
        response = self.get_response(request)
        if _response_is_cacheable(request, response):
            try:
                self._store(key, generation, response)
            except Exception:  # storing is an optimisation: the reader gets the page
                logger.warning("could not store a page in the cache", exc_info=True)
        return response

    def _store(self, key: str, generation: int, response: HttpResponse) -> None:
        timeout = seconds_to_keep(generation)
        body = response.content
        etag = quote_etag(hashlib.md5(body, usedforsecurity=False).hexdigest())
        response["ETag"] = etag
        response["Last-Modified"] = http_date()
        response["Cache-Control"] = _public_cache_control()
        response["Content-Length"] = str(len(body))
        patch_vary_headers(response, ["Cookie"])
        response["X-Page-Cache"] = "miss"
        if timeout <= 0:
            return
        headers = [
            (name, value) for name, value in response.items() if name != "X-Page-Cache"
        ]
        expires = time.time() + timeout
        stored = (generation, response.status_code, headers, body, expires)
        _cache().set(key, stored, timeout)


class CachedPagesWSGI:
    """The WSGI front door: a cached page is answered before Django runs at all.

    A hit costs one cache round trip and no request object, middleware or signal,
    which is what lets a viral story be served at close to a static file's speed.
    Everything else (a miss, a reader with a session, a POST, an outage) goes to
    Django, whose :class:`AnonymousPageCacheMiddleware` renders and stores it.
    """

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable):
        try:
            key = page_key(environ)
            stored = lookup(key)[1] if key is not None else None
        except Exception:  # an outage: Django renders, and logs it once there
            stored = None
        if stored is None:
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


def register_public_models(*models: type[Model]) -> None:
    """Rows of these models appear on public pages: saving, deleting or relinking one
    invalidates them. Apps call it from ``AppConfig.ready()``; a model not registered
    (the moderation record, staff-only notes) never invalidates a page.

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


def content_changed(*objects: Model, using: str | None = None) -> None:
    """Pages may show something that changed: invalidate them, now and at commit.

    The one entry point of invalidation. ``objects`` are the rows that changed (today
    every cached page is invalidated whatever they are); a cache outage is logged,
    never raised, so a save or a task never fails on it. The second bump, once the
    transaction on ``using`` commits, matters: a page another process renders between
    the first bump and the commit reads the old rows, and would otherwise be stored
    under the new generation and served until the next change.
    """
    _bump_quietly()
    connection = connections[using or DEFAULT_DB_ALIAS]
    if (
        is_enabled()
        and connection.in_atomic_block
        and not any(
            callback is _bump_quietly for _, callback, _ in connection.run_on_commit
        )
    ):
        transaction.on_commit(_bump_quietly, using=using, robust=True)


def _bump_quietly() -> None:
    try:
        bump_generation()
    except Exception:
        logger.warning("could not invalidate the page cache", exc_info=True)


def _row_changed(sender, instance=None, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    if not is_public(sender):
        return
    affects = getattr(instance, "affects_public_pages", None)
    if callable(affects) and not affects():
        return
    content_changed(instance, using=using)


def _links_changed(sender, instance=None, action="", using=None, **kwargs) -> None:
    if action.startswith("post_"):
        _row_changed(type(instance), instance=instance, using=using)


def connect_invalidation() -> None:
    """Listen to every save, delete and link change (core's ``ready()`` calls it)."""
    post_save.connect(_row_changed, dispatch_uid="pagecache-save")
    post_delete.connect(_row_changed, dispatch_uid="pagecache-delete")
    m2m_changed.connect(_links_changed, dispatch_uid="pagecache-m2m")
