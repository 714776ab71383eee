"""``python -m bench.reads``: what counting reads and "trending now" cost a page.

Run against a database with content (``make run`` or ``make bench`` seed it), with
``DATABASE_URL`` set; prints JSON. Two parts (``python -m bench.reads [in_process]
[load]``):

In process, through every middleware, page cache off (``in_process``):
- *story page*: wall and CPU time per request, p50/p95, in three states measured in
  alternating rounds (the machine is shared: only differences within one run mean
  anything): no trending list; the list as pages read it now (the cards stored with
  the list, no query); and the list as pages read it before (ids from the cache,
  then one query for the cards per render). "added" is each state minus the first;
- *beacon*: p50/p95 of ``POST /reads/``, the request a reader's browser sends after
  the page is shown (the page itself never waits for it), counted and de-duplicated;
- *flush*: writing 1,000 pending reads of 100 stories into hourly buckets.

Through gunicorn (``under_load``, also run by ``make bench``): the cached story page
against the static file, with counting on: wrk alternates each reader's page view
with the beacon its browser sends (each reader a different browser, so the reads
are counted, flushed and trending is worked out again, which purges cached pages at
most once a minute), and separately the cached story alone.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles import reads  # noqa: E402
from articles.models import Article  # noqa: E402
from bench.measure import percentile  # noqa: E402

SAMPLES = int(os.environ.get("BENCH_SAMPLES", "200"))
ROUNDS = int(os.environ.get("BENCH_READS_ROUNDS", "4"))
AGENT = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"
BEACON_SCRIPT = Path(__file__).resolve().parent / "wrk_beacon.lua"


def _stats(wall: list[float], cpu: list[float]) -> dict:
    return {
        "p50_ms": round(percentile(wall, 0.50), 3),
        "p95_ms": round(percentile(wall, 0.95), 3),
        "cpu_p50_ms": round(percentile(cpu, 0.50), 3),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 3),
    }


def _timed(call, samples: int) -> tuple[list[float], list[float]]:
    call()  # warm
    wall, cpu = [], []
    for number in range(samples):
        started, started_cpu = time.perf_counter(), time.process_time()
        call(number)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
    return wall, cpu


def _per_render_query(*, limit: int = 5, exclude: int | None = None) -> list:
    """How the rail read trending before: ids from the cache, one query per render."""
    ids = [pk for pk in reads._stored_trending()["ids"] if pk != exclude][:limit]
    return reads._in_order(reads._cards(), ids) if ids else []


def _use_trending(function) -> None:
    for engine in engines.all():
        environment = getattr(engine, "env", None)
        if environment is not None and "trending_stories" in environment.globals:
            environment.globals["trending_stories"] = function


def story_page_states(client: Client, story_url: str, ids: list[int]) -> dict:
    """The story page with no list, the stored list, and the list fetched per
    render, in alternating rounds; wall and CPU per request."""
    states = {
        "story_without_trending": ([], reads.trending_stories),
        "story_with_trending_stored": (ids, reads.trending_stories),
        "story_with_trending_query_per_render": (ids, _per_render_query),
    }
    times = {name: ([], []) for name in states}
    per_round = max(20, SAMPLES // ROUNDS)
    try:
        for _round in range(ROUNDS):
            for name, (listed, function) in states.items():
                reads._store_trending(listed)
                _use_trending(function)
                wall, cpu = _timed(lambda n=0: client.get(story_url), per_round)
                times[name][0].extend(wall)
                times[name][1].extend(cpu)
    finally:
        _use_trending(reads.trending_stories)
    result = {name: _stats(*measured) for name, measured in times.items()}
    base = result["story_without_trending"]
    for name in list(states)[1:]:
        result[f"{name}_added"] = {
            key: round(result[name][key] - base[key], 3)
            for key in ("p50_ms", "p95_ms", "cpu_p50_ms", "cpu_p95_ms")
        }
    return result


def in_process() -> dict:
    client = Client(
        HTTP_HOST=settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "testserver"
    )
    stories = list(Article.objects.published().order_by("-published_at")[:100])
    if not stories:
        raise SystemExit("bench.reads: no published story; run make run or make bench")
    story_url = stories[0].get_absolute_url()
    result: dict = {"samples_per_state": max(20, SAMPLES // ROUNDS) * ROUNDS}
    with override_settings(PAGE_CACHE_ENABLED=False, ALLOWED_HOSTS=["*"]):
        ids = [story.pk for story in stories[1:9]]
        result.update(story_page_states(client, story_url, ids))

        def beacon(number: int = 0) -> None:
            story = stories[number % len(stories)]
            client.post(
                "/reads/",
                {"story": str(story.pk)},
                HTTP_USER_AGENT=AGENT,
                REMOTE_ADDR=f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}",
            )

        result["beacon"] = _stats(*_timed(beacon, SAMPLES))
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
    cache.delete(reads.TRENDING_KEY)
    return result


def under_load(
    wrk: str, base: str, story_path: str, story_pk: int, static_path: str, seconds: int
) -> dict:
    """The cached story against the static file through gunicorn, with counting on:
    page views each followed by their beacon, and the cached story alone."""
    import subprocess
    import urllib.request

    from bench import load

    urllib.request.urlopen(base + story_path, timeout=10).read()  # cache the page
    static = load.run_wrk(wrk, base, [static_path], seconds=seconds)
    alone = load.run_wrk(wrk, base, [story_path], seconds=seconds)
    command = [
        wrk,
        "-t2",
        "-c8",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(BEACON_SCRIPT),
        base + story_path,
        "--",
        story_path,
        str(story_pk),
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    mixed = json.loads(output.strip().splitlines()[-1])
    taken = mixed["duration_us"] / 1e6
    pages = mixed["pages"] / taken
    result = {
        "static_file_rps": static["rps"],
        "cached_story_rps": alone["rps"],
        "cached_story_vs_static": round(alone["rps"] / static["rps"], 3),
        "with_counting": {
            "requests_rps": round(mixed["requests"] / taken, 1),
            "page_views_per_s": round(pages, 1),
            "beacons_per_s": round(mixed["beacons"] / taken, 1),
            "p50_ms": round(mixed["latency_us"]["p50"] / 1000, 2),
            "p99_ms": round(mixed["latency_us"]["p99"] / 1000, 2),
            "non_2xx": mixed["non_2xx"],
            "errors": sum(mixed["errors"].values()),
        },
    }
    # Every request of the mix (a page or its beacon) against a static file's.
    result["with_counting"]["requests_vs_static"] = round(
        result["with_counting"]["requests_rps"] / static["rps"], 3
    )
    result["target"] = "requests_vs_static and cached_story_vs_static >= 0.8"
    return result


def main(parts: list[str]) -> dict:
    """``in_process`` (the default) and/or ``load`` (gunicorn on this database:
    collectstatic first, with STATIC_ROOT set)."""
    result: dict = {}
    if not parts or "in_process" in parts:
        result["in_process"] = in_process()
    if "load" in parts:
        from django.templatetags.static import static

        from bench import load

        story = Article.objects.published().order_by("-published_at").first()
        with load.gunicorn({"PAGE_CACHE_ENABLED": "1"}) as (base, _master):
            result["under_load"] = under_load(
                load.ensure_wrk(),
                base,
                story.get_absolute_url(),
                story.pk,
                static("css/site.css"),
                int(os.environ.get("BENCH_WRK_SECONDS", "10")),
            )
    return result


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=2))
