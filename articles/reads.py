"""First-party read counting, and the lists built from it (trending, most read).

How a read is counted, without a tracker:
- the story page loads ``static/js/site.js`` (same origin, CSP-safe) which, once the
  page has been visible for a moment, sends one small POST to ``/reads/`` naming the
  story: it works the same for pages served from the page cache;
- the server drops it when it comes from a known bot, a prefetch or prerender, another
  site, or a signed-in staff member, and counts one read per reader per story per day:
  the reader is recognised by a hash of (a salt drawn at random each day, address,
  browser), kept only in the cache until the day ends, never in the database; no
  cookie is set and no address is stored;
- counts wait in the web process and are written as hourly buckets
  (``StoryReads``) every few seconds: a read costs no database write of its own.

The beacon is sent after the page has loaded, so counting adds nothing to a page's
own time; when the cache (Redis) is away, de-duplication falls back to the process
(core.cache) and a failure of any kind only loses counts, never a page.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import math
import re
import secrets
import threading
import time
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery, Sum, signals
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from articles.models import Article, Section, StoryReads
from artists.models import Artist
from core import pagecache

logger = logging.getLogger(__name__)

# Crawlers, link previewers, monitors and headless browsers (Lighthouse included).
BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|scrape|fetch|preview|monitor|lighthouse|headless|"
    r"phantom|facebookexternalhit|embedly|quora link|whatsapp|curl|wget|python-|"
    r"java/|go-http|okhttp|axios|node-fetch|httpclient",
    re.IGNORECASE,
)
FLUSH_SECONDS = float(getattr(settings, "READS_FLUSH_SECONDS", 10))
TRENDING_SECONDS = int(getattr(settings, "READS_TRENDING_SECONDS", 60))
# Trending weighs each hour's reads by half every this many hours.
HALF_LIFE_HOURS = float(getattr(settings, "READS_HALF_LIFE_HOURS", 6))
TRENDING_WINDOW = datetime.timedelta(hours=48)
MOST_READ_WINDOW = datetime.timedelta(days=7)
# {"ids": [...], "cards": [Article, ...]}: the cards themselves, so pages need no query.
TRENDING_KEY = "reads:trending:v3"
TRENDING_VERSION_KEY = "reads:trending:v3:version"
# The page-cache key of every page showing the trending list (articles.cachekeys).
TRENDING_LIST = "list:trending"
# How many trending stories are kept (a page shows up to five, one may be itself).
TRENDING_SIZE = 8
# The editors' chart: one bar per hour for this long after publication, then per day.
HOURLY_CHART_SPAN = datetime.timedelta(hours=48)
_MAX_PENDING = 50_000


def on_the_hour(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(minute=0, second=0, microsecond=0)


# ---- deciding whether a beacon is a read ----


def is_countable(request: HttpRequest) -> bool:
    """A read by a person: not a bot, not a prefetch, from our own pages, not staff."""
    agent = request.headers.get("User-Agent", "")
    if not agent or BOT_PATTERN.search(agent):
        return False
    purpose = request.headers.get("Sec-Purpose", "") + request.headers.get(
        "Purpose", ""
    )
    if "prefetch" in purpose or "prerender" in purpose:
        return False
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


# The day's salt as this process last read it: one cache round trip less per beacon
# (a beacon is a request of its own, and the cheaper it is the less it takes from
# the pages served beside it). Only today's is kept.
_salt_here: tuple[datetime.date | None, str] = (None, "")


def _todays_salt(today: datetime.date) -> str:
    """A random salt shared by every process for one day, forgotten after it."""
    global _salt_here
    if _salt_here[0] == today:
        return _salt_here[1]
    key = f"reads:salt:{today.isoformat()}"
    salt = cache.get(key)
    if salt is None:
        cache.add(key, secrets.token_hex(16), timeout=2 * 86400)
        salt = cache.get(key) or ""
    if salt:
        _salt_here = (today, salt)
    return salt


def reader_digest(request: HttpRequest, story_id: int, *, now=None) -> str:
    """Who read, as a one-day pseudonym: a salted hash, never the address itself."""
    today = (now or timezone.now()).astimezone(datetime.UTC).date()
    material = "|".join(
        (
            _todays_salt(today),
            request.META.get("REMOTE_ADDR", ""),
            request.headers.get("User-Agent", ""),
            str(story_id),
        )
    )
    return hashlib.sha256(material.encode()).hexdigest()[:32]


# ---- counting ----


class _Pending:
    """Reads counted by this process and not yet written: {(story, hour): reads}."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.counts: Counter[tuple[int, datetime.datetime]] = Counter()
        self.since = time.monotonic()

    def add(self, story_id: int, hour: datetime.datetime) -> bool:
        """Count one read; True when it is time to write the counts out."""
        with self.lock:
            if len(self.counts) < _MAX_PENDING:
                self.counts[(story_id, hour)] += 1
            return time.monotonic() - self.since >= FLUSH_SECONDS

    def take(self) -> Counter[tuple[int, datetime.datetime]]:
        with self.lock:
            taken, self.counts = self.counts, Counter()
            self.since = time.monotonic()
            return taken


_pending = _Pending()


# The largest id a story row can have (a signed 64-bit column).
LARGEST_STORY_ID = 2**63 - 1


def count_beacon(request: HttpRequest, story: str) -> bool:
    """One beacon as it arrived (``story`` as posted): counted when it names a story
    id and comes from a person (is_countable). The view and the WSGI front door
    (articles.beacon) both answer with this."""
    if not (story.isascii() and story.isdigit()):
        return False
    if not 0 < int(story) <= LARGEST_STORY_ID or not is_countable(request):
        return False
    return record_read(request=request, story_id=int(story))


def record_read(*, request: HttpRequest, story_id: int, now=None) -> bool:
    """Count one read of ``story_id`` if this reader has not read it today.

    True when the read was counted. Never raises: counting is worth less than the
    reader's request."""
    now = now or timezone.now()
    try:
        digest = reader_digest(request, story_id, now=now)
        end_of_day = 86400 - int(now.timestamp()) % 86400
        if not cache.add(f"reads:seen:{digest}", 1, timeout=end_of_day):
            return False
        if _pending.add(story_id, on_the_hour(now)):
            flush_reads()
        return True
    except Exception:  # a counter must never break a request
        logger.warning("could not count a read", exc_info=True)
        return False


def flush_reads() -> int:
    """Write the reads this process holds into hourly buckets; returns rows touched.

    Reads of ids that are not published stories are dropped here, once per flush,
    rather than checked on every beacon."""
    taken = _pending.take()
    if not taken:
        return 0
    story_ids = {story_id for story_id, _hour in taken}
    try:
        live = set(
            Article.objects.published()
            .filter(pk__in=story_ids)
            .values_list("pk", flat=True)
        )
        touched = 0
        for (story_id, hour), reads in sorted(taken.items()):
            if story_id in live:
                _add_to_bucket(story_id, hour, reads)
                touched += 1
        if touched:
            refresh_trending()
        return touched
    except Exception:  # database or cache away: these counts are lost, nothing else
        logger.warning("could not write %d read buckets", len(taken), exc_info=True)
        return 0


def _add_to_bucket(story_id: int, hour: datetime.datetime, reads: int) -> None:
    bucket = StoryReads.objects.filter(article_id=story_id, hour=hour)
    if bucket.update(reads=F("reads") + reads):
        return
    try:
        with transaction.atomic():
            StoryReads.objects.create(article_id=story_id, hour=hour, reads=reads)
    except IntegrityError:  # another process created it first
        bucket.update(reads=F("reads") + reads)


# ---- lists for readers ----


def trending_scores(now: datetime.datetime | None = None) -> dict[int, float]:
    """Reads of the last two days, each hour's weighed down by its age (decay)."""
    now = now or timezone.now()
    scores: dict[int, float] = {}
    rows = StoryReads.objects.since(now - TRENDING_WINDOW).values_list(
        "article_id", "hour", "reads"
    )
    for story_id, hour, reads in rows:
        age_hours = max(0.0, (now - hour).total_seconds() / 3600)
        weight = math.pow(0.5, age_hours / HALF_LIFE_HOURS)
        scores[story_id] = scores.get(story_id, 0.0) + reads * weight
    return scores


def refresh_trending(*, force: bool = False) -> list[int] | None:
    """Work "trending now" out again, at most once per TRENDING_SECONDS across
    processes (``force`` skips that wait); returns the new ids, None when skipped.

    Called after reads are written, never by a page: pages only read the stored
    cards (no query at all). Decay weighs every story by the same factor as time
    passes, so between reads the order cannot change: recomputing when reads arrive
    keeps it exact. Kept two days, so a site with no reads at all stops showing a
    stale list."""
    if not force and not cache.add("reads:trending:fresh", 1, TRENDING_SECONDS):
        return None
    scores = trending_scores()
    ranked = sorted(scores, key=lambda pk: (-scores[pk], -pk))[:TRENDING_SIZE]
    shown_before = _stored_trending()["ids"]
    shown = _store_trending(ranked)
    if shown != shown_before:
        # Cached pages show the list: they are rendered again, at most once a
        # minute, and only when it changed.
        pagecache.content_changed(keys=[TRENDING_LIST])
    return shown


def _cards() -> QuerySet:
    """Published stories as a card shows them (the body stays in the database)."""
    return Article.objects.published().for_listing().defer("body")


def _in_order(stories: QuerySet, ids: list[int]) -> list[Article]:
    found = {story.pk: story for story in stories.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


_NOTHING_TRENDS: dict = {"ids": [], "cards": [], "version": ""}
# The last list this process read, with its version: while the shared version is
# the same, pages reuse it instead of fetching and unpickling the cards again.
_read_here: tuple[str, dict] = ("", _NOTHING_TRENDS)


def _store_trending(ranked: list[int]) -> list[int]:
    """Fetch the cards of ``ranked`` once (one query) and share them through the
    cache, so every page of every process shows them without a query; the ids
    actually stored (stories no longer live drop out)."""
    global _read_here
    cards = _in_order(_cards(), ranked) if ranked else []
    ids = [story.pk for story in cards]
    stored = {"ids": ids, "cards": cards, "version": secrets.token_hex(8)}
    timeout = int(TRENDING_WINDOW.total_seconds())
    cache.set_many(
        {TRENDING_KEY: stored, TRENDING_VERSION_KEY: stored["version"]}, timeout
    )
    _read_here = (stored["version"], stored)
    return ids


def _stored_trending() -> dict:
    """The shared list: a small version read each time, the cards only when the
    version changed since this process last read them."""
    global _read_here
    version = cache.get(TRENDING_VERSION_KEY)
    if not version:
        return _NOTHING_TRENDS
    if _read_here[0] == version:
        return _read_here[1]
    stored = cache.get(TRENDING_KEY) or _NOTHING_TRENDS
    if stored["version"] == version:
        _read_here = (version, stored)
    return stored


def trending_stories(*, limit: int = 5, exclude: int | None = None) -> list[Article]:
    """ "Trending now", as worked out at most a minute ago: read from the shared
    cache, no query; a cache that cannot answer shows nothing rather than breaking
    the page."""
    try:
        cards = _stored_trending()["cards"]
    except Exception:
        logger.warning("trending: cache unavailable", exc_info=True)
        return []
    return [story for story in cards if story.pk != exclude][:limit]


def _card_face(story: Article) -> tuple:
    """What a trending card shows of a story (rail_list): its headline, address,
    time and picture. A save that changes none of it (a new dek, a body edit)
    leaves the pages showing the list cached."""
    return (
        story.pk,
        story.headline,
        story.slug,
        story.published_at,
        str(story.hero_image or ""),
        story.hero_renditions,
    )


def _story_changed(sender, instance: Article, **kwargs) -> None:
    """A trending story edited, unpublished or deleted: its stored card is fetched
    again at once (or dropped), not a minute later; the pages showing the list are
    refreshed only when a card now looks different."""
    try:
        stored = _stored_trending()
        if instance.pk in stored["ids"]:
            before = [_card_face(story) for story in stored["cards"]]
            _store_trending(stored["ids"])  # also this process's copy (_read_here)
            after = [_card_face(story) for story in _read_here[1]["cards"]]
            if after != before:
                pagecache.content_changed(keys=[TRENDING_LIST])
    except Exception:  # the list catches up at the next refresh
        logger.warning("trending: could not follow a story's change", exc_info=True)


# Connected when the app is ready (articles.apps imports this module).
signals.post_save.connect(_story_changed, sender=Article, dispatch_uid="reads.trend")
signals.post_delete.connect(
    _story_changed, sender=Article, dispatch_uid="reads.trend.delete"
)


def most_read(
    *, section: Section | None = None, artist: Artist | None = None, limit: int = 5
) -> list[Article]:
    """ "Most read this week", site-wide, in a section or about an artist: one query
    (the cards with their week's reads), over the stories read this week only."""
    since = timezone.now() - MOST_READ_WINDOW
    read_this_week = StoryReads.objects.since(since).values("article_id")
    stories = _cards().filter(pk__in=read_this_week)
    if section is not None:
        stories = stories.filter(section=section)
    if artist is not None:
        stories = stories.filter(artists=artist)
    ranked = with_read_counts(stories, since=since).order_by(
        "-total_reads", "-published_at", "-pk"
    )
    return list(ranked[:limit])


# ---- what editors see ----


def with_read_counts(stories: QuerySet, *, since=None) -> QuerySet:
    """Stories annotated with ``total_reads`` (all time, or since a moment), in the
    same query: for the story list of the admin."""
    buckets = StoryReads.objects.filter(article=OuterRef("pk"))
    if since is not None:
        buckets = buckets.since(since)
    total = (
        buckets.order_by()
        .values("article")
        .annotate(total=Sum("reads"))
        .values("total")
    )
    return stories.annotate(
        total_reads=Coalesce(Subquery(total, output_field=IntegerField()), 0)
    )


def reads_chart(article: Article, *, now=None) -> list[dict]:
    """Bars for the editors' chart: ``{"start", "reads", "label", "per"}``.

    Per hour for the first two days after publication (every hour, zeros included),
    then per day. Two queries."""
    now = now or timezone.now()
    start = on_the_hour(article.published_at or article.created_at)
    hourly_end = min(
        start + HOURLY_CHART_SPAN, on_the_hour(now) + datetime.timedelta(hours=1)
    )
    buckets = StoryReads.objects.filter(article=article)
    by_hour = dict(
        buckets.filter(hour__gte=start, hour__lt=hourly_end).values_list(
            "hour", "reads"
        )
    )
    bars = []
    hour = start
    while hour < hourly_end:
        bars.append({"start": hour, "reads": by_hour.get(hour, 0), "per": "hour"})
        hour += datetime.timedelta(hours=1)
    if now >= start + HOURLY_CHART_SPAN:
        for row in buckets.filter(hour__gte=start + HOURLY_CHART_SPAN).per_day():
            bars.append({"start": row["day"], "reads": row["total"], "per": "day"})
    return bars


CHART_WIDTH, CHART_HEIGHT = 640, 120


def chart_context(article: Article, *, now=None) -> dict:
    """What ``admin/articles/_story_reads.html`` draws: bars scaled to the chart,
    with the numbers kept for the table beside it (two queries)."""
    bars = reads_chart(article, now=now) if article.published_at else []
    tallest = max((bar["reads"] for bar in bars), default=0) or 1
    step = CHART_WIDTH / max(len(bars), 1)
    for index, bar in enumerate(bars):
        bar["x"] = round(index * step, 2)
        bar["width"] = round(max(step - 1, 1), 2)
        bar["height"] = round(bar["reads"] / tallest * (CHART_HEIGHT - 4), 2)
        bar["y"] = round(CHART_HEIGHT - bar["height"], 2)
    return {
        "article": article,
        "bars": bars,
        "total": sum(bar["reads"] for bar in bars),
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        "hourly_count": sum(1 for bar in bars if bar["per"] == "hour"),
    }
