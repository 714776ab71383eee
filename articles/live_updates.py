"""What readers' pages read of live coverage: pages of entries, and the changes a
polling page has not seen yet.

Ten thousand readers polling every few seconds must not mean thousands of queries a
second. All of them poll the same address (``?after=`` the cursor the last answer
gave, which is the same for every reader who is up to date), so a shared cache in
front answers most polls; what reaches the site is answered from one *snapshot* per
story: its latest changes, each entry already rendered, kept in the shared cache.
A change to the story's entries marks the snapshot stale (after its commit); the next poll rebuilds it (two or three queries) if no process did so in
the last second (a lock in the shared cache), else answers from the stale copy until
the lock passes. So the database sees at most one rebuild per second per story, and
none while nothing changes (a rebuild every SAFETY_SECONDS catches a change no
service announced). An answer from a stale copy says ``private``: no shared cache
(the page cache, a CDN) keeps it, so a stored answer is always one that was current
when it was made. A reader whose cursor is older than what the snapshot holds is
told to reload the page.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import logging
import threading
import time
import uuid
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.embeds import find_post_refs, render_body_with_embeds
from articles.models import Article, LiveEntry, SocialPost

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
KEY_EVENTS = 50
# How many of a story's latest changes the snapshot holds: a reader further behind
# reloads the page instead.
CHANGES_KEPT = 100
# The database is asked at most once per this many seconds per story.
REBUILD_SECONDS = 1
# Rebuilt this often even when no change was announced.
SAFETY_SECONDS = 30.0
# Changes committed out of order (two posts a moment apart) still reach a reader:
# each answer repeats this much before the cursor, and pages skip what they have.
CURSOR_GRACE = datetime.timedelta(seconds=2)
SNAPSHOT_TIMEOUT = 24 * 3600
SNAPSHOT_KEY = "live:updates:v2:{digest}"
CHANGED_KEY = "live:changed:v2:{digest}"
LOCK_KEY = "live:rebuild:v2:{digest}"
CURSOR_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def cursor_of(moment: datetime.datetime | None) -> str:
    """A moment as the ``after`` value pages send back (UTC, microseconds, no '+')."""
    if moment is None:
        return ""
    return moment.astimezone(datetime.UTC).strftime(CURSOR_FORMAT)


def parse_after(value: str | None) -> datetime.datetime | int | None:
    """``after`` from a query string: an entry id, a moment, or None if neither."""
    value = (value or "").strip()
    if value.isdigit() and len(value) <= 18:
        return int(value)
    try:
        # A '+' not percent-encoded arrives as a space.
        moment = datetime.datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError:
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    if not 1900 <= moment.year <= 2100:
        return None
    return moment


def time_ago(moment: datetime.datetime, now: datetime.datetime | None = None) -> str:
    """ "5 min ago": the label next to an entry's exact time (pages refresh it)."""
    seconds = ((now or timezone.now()) - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return timezone.localtime(moment).strftime("%-d %b %Y")


def posts_for(entries) -> dict[tuple[str, str], SocialPost]:
    """The stored posts the entries embed, in one query (none when none embeds)."""
    refs = {(r.platform, r.post_id) for e in entries for r in find_post_refs(e.body)}
    if not refs:
        return {}
    wanted = Q(pk__in=[])
    for platform, post_id in refs:
        wanted |= Q(platform=platform, post_id=post_id)
    return {(p.platform, p.post_id): p for p in SocialPost.objects.filter(wanted)}


def entry_html(
    entry: LiveEntry,
    *,
    now: datetime.datetime | None = None,
    as_pinned: bool = False,
    posts: dict | None = None,
) -> SafeString:
    """One entry as it appears in the stream (the page and the updates answer);
    ``as_pinned`` leaves out the anchor, which the entry keeps in the stream;
    ``posts`` are the embedded posts' details (:func:`posts_for`)."""
    html = render_to_string(
        "articles/_live_entry.html",
        {
            "entry": entry,
            "body": render_body_with_embeds(entry.body, (posts or {}).values()),
            "ago": time_ago(entry.created_at, now),
            "as_pinned": as_pinned,
        },
    )
    return mark_safe(html)  # noqa: S308 - rendered by an autoescaping template


# --- the story page ---------------------------------------------------------------


def _entries(article: Article):
    return LiveEntry.objects.filter(article_id=article.pk).shown().newest_first()


def coverage_block(request, article: Article) -> dict[str, Any]:
    """The live part of a story page: the newest entries (at most PAGE_SIZE), the
    pinned entry and the key events; three queries whatever the number of entries
    (a fourth for the posts they embed, if any)."""
    page = list(_entries(article)[: PAGE_SIZE + 1])
    entries, has_older = page[:PAGE_SIZE], len(page) > PAGE_SIZE
    # The key events readers jump from and the pinned entry, in one query.
    marked = list(
        _entries(article)
        .filter(Q(is_key_event=True) | Q(is_pinned=True))
        .order_by("-is_pinned", "-created_at", "-id")[: KEY_EVENTS + 1]
    )
    highlights = sorted(
        (entry for entry in marked if entry.is_key_event),
        key=lambda entry: (entry.created_at, entry.pk),
        reverse=True,
    )[:KEY_EVENTS]
    pinned = next((entry for entry in marked if entry.is_pinned), None)
    posts = posts_for([*entries, *([pinned] if pinned else [])])
    newest = max((e.updated_at for e in entries), default=None)
    latest_change = (
        LiveEntry.objects.filter(article_id=article.pk)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
    )
    return {
        "article": article,
        "entries": entries,
        "pinned": pinned,
        "key_events": highlights,
        "older_url": _older_url(article, entries[-1]) if has_older else "",
        "cursor": cursor_of(latest_change or newest or article.coverage_started_at),
        "is_running": article.is_covered_live,
        "entry_html": functools.partial(entry_html, posts=posts),
    }


def _older_url(article: Article, oldest_shown: LiveEntry) -> str:
    return f"{article.get_absolute_url()}live/?before={oldest_shown.pk}"


def older_page(article: Article, before: int) -> dict[str, Any]:
    """The page of entries posted before entry ``before`` (plain links, no script)."""
    anchor = LiveEntry.objects.filter(article_id=article.pk, pk=before).first()
    entries_qs = _entries(article)
    if anchor is not None:
        entries_qs = entries_qs.filter(created_at__lte=anchor.created_at).exclude(
            created_at=anchor.created_at, pk__gte=anchor.pk
        )
    page = list(entries_qs[: PAGE_SIZE + 1])
    entries = page[:PAGE_SIZE]
    return {
        "article": article,
        "entries": entries,
        "older_url": _older_url(article, entries[-1]) if len(page) > PAGE_SIZE else "",
        "entry_html": functools.partial(entry_html, posts=posts_for(entries)),
        "anchor_found": anchor is not None,
    }


def latest_updates(article: Article, count: int = 50) -> list[LiveEntry]:
    """The latest entries for structured data and feeds (one query)."""
    return list(_entries(article)[:count])


# --- the updates answer -----------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """A story's latest changes, rendered; what every poll is answered from."""

    article_id: int | None  # None: no published live story at this address
    is_running: bool
    cursor: str
    # Every change after this moment is held (None: every change ever is).
    complete_after: datetime.datetime | None
    changes: tuple[dict[str, Any], ...]  # oldest first
    read_at: float  # when the rebuild began reading (time.time())
    # The change mark the rebuild saw before reading: a different mark since means
    # a change committed that it may not hold (no clocks compared).
    seen_mark: str | None = None


def _digest(slug: str) -> str:
    return hashlib.sha256(slug.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _change(entry: LiveEntry, now: datetime.datetime, posts: dict) -> dict[str, Any]:
    removed = entry.deleted_at is not None
    return {
        "id": entry.pk,
        "anchor": entry.anchor,
        "created": cursor_of(entry.created_at),
        "updated": cursor_of(entry.updated_at),
        "updated_at": entry.updated_at,
        "removed": removed,
        "key_event": "" if removed or not entry.is_key_event else entry.key_title,
        "pinned": entry.is_pinned and not removed,
        "html": "" if removed else entry_html(entry, now=now, posts=posts),
    }


def build(slug: str, *, seen_mark: str | None = None) -> Snapshot:
    """Read a story's latest changes from the database (two queries, a third
    for the posts they embed)."""
    BUILDS.count()
    read_at = time.time()
    story = (
        Article.objects.published()
        .filter(slug=slug, is_live_blog=True)
        .only("id", "slug", "is_live_blog", "coverage_ended_at", "coverage_started_at")
        .first()
    )
    if story is None:
        return Snapshot(None, False, "", None, (), read_at, seen_mark)
    rows = list(
        LiveEntry.objects.filter(article_id=story.pk)
        .with_authors()
        .order_by("-updated_at", "-id")[: CHANGES_KEPT + 1]
    )
    complete_after = rows[CHANGES_KEPT].updated_at if len(rows) > CHANGES_KEPT else None
    kept = rows[:CHANGES_KEPT]
    now = timezone.now()
    posts = posts_for(e for e in kept if e.deleted_at is None)
    changes = tuple(_change(entry, now, posts) for entry in reversed(kept))
    latest = kept[0].updated_at if kept else story.coverage_started_at
    return Snapshot(
        story.pk,
        story.is_covered_live,
        cursor_of(latest),
        complete_after,
        changes,
        read_at,
        seen_mark,
    )


class _BuildCounter:
    """How many snapshots this process built (the bench reads it: DB renders)."""

    def __init__(self) -> None:
        self.total = 0
        self._lock = threading.Lock()

    def count(self) -> None:
        with self._lock:
            self.total += 1


BUILDS = _BuildCounter()


def _store(digest: str, snapshot: Snapshot) -> None:
    cache.set(SNAPSHOT_KEY.format(digest=digest), snapshot, SNAPSHOT_TIMEOUT)


def _is_stale(snapshot: Snapshot, mark: str | None) -> bool:
    if mark is not None and mark != snapshot.seen_mark:
        return True
    return time.time() - snapshot.read_at > SAFETY_SECONDS


def current(slug: str) -> tuple[Snapshot, bool]:
    """The story's snapshot and whether it is current: rebuilt by one process at a
    time, at most once a second; one cache round trip when nothing changed."""
    digest = _digest(slug)
    snapshot_key = SNAPSHOT_KEY.format(digest=digest)
    changed_key = CHANGED_KEY.format(digest=digest)
    found = cache.get_many([snapshot_key, changed_key])
    snapshot, mark = found.get(snapshot_key), found.get(changed_key)
    if snapshot is not None and not _is_stale(snapshot, mark):
        return snapshot, True
    # Stale or missing: the process that takes the lock asks the database; the
    # others answer from the stale copy meanwhile (a missing one is built by each
    # process that meets it: a cold cache, once).
    if snapshot is None or cache.add(
        LOCK_KEY.format(digest=digest), 1, timeout=REBUILD_SECONDS
    ):
        # The mark was read before the rows: a change marked (after its commit)
        # since then makes this snapshot stale at once, never silently current.
        snapshot = build(slug, seen_mark=mark)
        _store(digest, snapshot)
        return snapshot, True
    return snapshot, False


def mark_changed(slug: str) -> None:
    """A story's entries or coverage changed (and committed): polls rebuild soon."""
    try:
        mark = uuid.uuid4().hex  # any new value; no clock is compared
        cache.set(CHANGED_KEY.format(digest=_digest(slug)), mark, SNAPSHOT_TIMEOUT)
    except Exception:  # without the mark the safety rebuild shows it a bit later
        logger.warning("could not mark live story %s as changed", slug, exc_info=True)


def answer(
    slug: str, after: datetime.datetime | int | None
) -> tuple[dict[str, Any] | None, bool]:
    """What a polling page receives: the changes after its cursor, the new cursor,
    and whether coverage still runs (None: no live story at this address); and
    whether the answer is current (else no shared cache may keep it)."""
    snapshot, is_current = current(slug)
    if snapshot.article_id is None:
        return None, is_current
    since: datetime.datetime | None
    if isinstance(after, int):
        # An entry id: changes since that entry was posted, if the snapshot holds it.
        found = next((c for c in snapshot.changes if c["id"] == after), None)
        since = parse_after(found["created"]) if found else None
    else:
        since = after
    reload = since is None or (
        snapshot.complete_after is not None and since < snapshot.complete_after
    )
    changes = []
    if not reload:
        floor = since - CURSOR_GRACE
        changes = [
            {k: v for k, v in change.items() if k != "updated_at"}
            for change in snapshot.changes
            if change["updated_at"] > floor
        ]
    data = {
        "cursor": snapshot.cursor,
        "live": snapshot.is_running,
        "reload": reload,
        "entries": changes,
    }
    return data, is_current
