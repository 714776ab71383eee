"""``python -m bench.reads``: what counting reads and "trending now" cost a page.

Run against a database with content (``make run`` or ``make bench`` seed it), with
``DATABASE_URL`` set; prints JSON. In-process, through every middleware, page cache
off:
- *story page*: p50/p95 of the story page with trending empty (no query) and with
  eight stories trending (one more query): the difference is what the rail adds;
- *beacon*: p50/p95 of ``POST /reads/``, the request a reader's browser sends after
  the page is shown (the page itself never waits for it), counted and de-duplicated;
- *flush*: writing 1,000 pending reads of 100 stories into hourly buckets.
The machine is shared: compare within one run.
"""

from __future__ import annotations

import json
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles import reads  # noqa: E402
from articles.models import Article  # noqa: E402
from bench.measure import percentile  # noqa: E402

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "200"))
AGENT = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"


def _timed(call, samples: int) -> dict:
    call()  # warm
    times = []
    for number in range(samples):
        started = time.perf_counter()
        call(number)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(percentile(times, 0.50), 3),
        "p95_ms": round(percentile(times, 0.95), 3),
    }


def main() -> dict:
    client = Client(
        HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "testserver"
    )
    stories = list(Article.objects.published().order_by("-published_at")[:100])
    if not stories:
        raise SystemExit("bench.reads: no published story; run make run or make bench")
    story_url = stories[0].get_absolute_url()
    result: dict = {"samples": SAMPLES}
    with override_settings(PAGE_CACHE_ENABLED=False, ALLOWED_HOSTS=["*"]):
        cache.delete(reads.TRENDING_KEY)
        result["story_without_trending"] = _timed(
            lambda n=0: client.get(story_url), SAMPLES
        )
        cache.set(reads.TRENDING_KEY, [s.pk for s in stories[1:9]], 3600)
        result["story_with_trending"] = _timed(
            lambda n=0: client.get(story_url), SAMPLES
        )
        result["trending_added_p95_ms"] = round(
            result["story_with_trending"]["p95_ms"]
            - result["story_without_trending"]["p95_ms"],
            3,
        )

        def beacon(number: int = 0) -> None:
            story = stories[number % len(stories)]
            client.post(
                "/reads/",
                {"story": str(story.pk)},
                HTTP_USER_AGENT=AGENT,
                REMOTE_ADDR=f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}",
            )

        result["beacon"] = _timed(beacon, SAMPLES)
    reads.flush_reads()
    for number in range(1000):
        reads._pending.add(
            stories[number % len(stories)].pk,
            reads.on_the_hour(timezone.now()),
        )
    started = time.perf_counter()
    touched = reads.flush_reads()
    result["flush_1000_reads_ms"] = round((time.perf_counter() - started) * 1000, 1)
    result["flush_rows"] = touched
    return result


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
