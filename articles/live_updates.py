"""What readers' pages read of live coverage: pages of entries, and the changes a
polling page has not seen yet.

Ten thousand readers polling every few seconds must not mean thousands of queries a
second. All of them poll the same address (``?after=`` the cursor the last answer
gave, which is the same for every reader who is up to date), so a shared cache in
front answers most polls; what reaches the site is answered from one *snapshot* per
story: its latest changes, each entry already rendered. The snapshot lives in the
shared cache; it is rebuilt (two queries) when an entry changes (at commit) and at
most once a second otherwise, by whichever process first takes the rebuild lock,
and each process keeps its copy for half a second. A reader whose cursor is older
than what the snapshot holds is told to reload the page.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import hashlib
import threading
import time
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from articles.embeds import find_post_refs, render_body_with_embeds
from articles.models import Article, LiveEntry, SocialPost

PAGE_SIZE = 20
# How many of a story's latest changes the snapshot holds: a reader further behind
# reloads the page instead.
CHANGES_KEPT = 100
# The database is asked at most once per this many seconds per story.
REBUILD_SECONDS = 1.0
# Each process re-reads the shared snapshot after this long.
LOCAL_SECONDS = 0.5
# Changes committed out of order (two posts a moment apart) still reach a reader:
# each answer repeats this much before the cursor, and pages skip what they have.
CURSOR_GRACE = datetime.timedelta(seconds=2)
SNAPSHOT_TIMEOUT = 600
SNAPSHOT_KEY = "live:updates:v1:{digest}"
LOCK_KEY = "live:rebuild:v1:{digest}"
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
    pinned entry and the key events; three queries whatever the number of entries."""
    page = list(_entries(article)[: PAGE_SIZE + 1])
    entries, has_older = page[:PAGE_SIZE], len(page) > PAGE_SIZE
    highlights = list(
        _entries(article).filter(is_key_event=True)[:50]
    )  # the list readers jump from
    pinned = next(iter(_entries(article).filter(is_pinned=True)[:1]), None)
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
    built_at: float


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


def build(slug: str) -> Snapshot:
    """Read a story's latest changes from the database (two queries, a third
    for the posts they embed)."""
    BUILDS.count()
    story = (
        Article.objects.published()
        .filter(slug=slug, is_live_blog=True)
        .only("id", "slug", "is_live_blog", "coverage_ended_at", "coverage_started_at")
        .first()
    )
    if story is None:
        return Snapshot(None, False, "", None, (), time.time())
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
        time.time(),
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
# slug digest -> (snapshot, monotonic time read); this process's copies.
_local: dict[str, tuple[Snapshot, float]] = {}


def _store(digest: str, snapshot: Snapshot) -> None:
    cache.set(SNAPSHOT_KEY.format(digest=digest), snapshot, SNAPSHOT_TIMEOUT)
    _local[digest] = (snapshot, time.monotonic())


def current(slug: str) -> Snapshot:
    """The story's snapshot, at most about a second old, built by one process."""
    digest = _digest(slug)
    held = _local.get(digest)
    if held is not None and time.monotonic() - held[1] < LOCAL_SECONDS:
        return held[0]
    snapshot = cache.get(SNAPSHOT_KEY.format(digest=digest))
    if snapshot is not None and time.time() - snapshot.built_at < REBUILD_SECONDS:
        _local[digest] = (snapshot, time.monotonic())
        return snapshot
    # Stale or missing: one process (the one that takes the lock) asks the
    # database; the others answer from the stale copy meanwhile.
    if cache.add(LOCK_KEY.format(digest=digest), 1, timeout=REBUILD_SECONDS) or (
        snapshot is None
    ):
        snapshot = build(slug)
        _store(digest, snapshot)
        return snapshot
    _local[digest] = (snapshot, time.monotonic())
    return snapshot


def refresh(article_id: int) -> None:
    """Rebuild a story's snapshot now (an entry changed and the change committed)."""
    slug = Article.objects.filter(pk=article_id).values_list("slug", flat=True).first()
    if slug is None:
        return
    try:
        _store(_digest(slug), build(slug))
    except Exception:  # the next poll rebuilds it; a post never fails on the cache
        cache.delete(SNAPSHOT_KEY.format(digest=_digest(slug)))


def answer(slug: str, after: datetime.datetime | int | None) -> dict[str, Any] | None:
    """What a polling page receives: the changes after its cursor, the new cursor,
    and whether coverage still runs (None: no live story at this address)."""
    snapshot = current(slug)
    if snapshot.article_id is None:
        return None
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
    return {
        "cursor": snapshot.cursor,
        "live": snapshot.is_running,
        "reload": reload,
        "entries": changes,
    }


def forget_local_copies() -> None:
    """Drop this process's copies of snapshots (tests; a cache flush)."""
    _local.clear()
