"""``python -m bench`` (``make bench``): seed PostgreSQL, measure, write bench/report.*.

Environment:
  BENCH_DATABASE_URL  PostgreSQL URL (default: a throwaway ``newsroom_bench`` database on
                      127.0.0.1, dropped and created afresh)
  BENCH_STORIES       stories to seed (10000; 100000 on request)
  BENCH_SEED          1 (default) seeds; 0 reuses a database seeded before
  BENCH_WRK_SECONDS   length of each wrk run (10)
  BENCH_SAMPLES       in-process requests per page type and state (200)
  BENCH_REPORT        report file name under bench/ (report: report.md, report.json)
  REDIS_URL           shared page cache for the gunicorn workers (redis://127.0.0.1:6379/0)
  BENCH_BUSY          1 (default) runs the busy day (bench/busy.py); 0 skips it
  BENCH_BUSY_SECONDS  length of each busy-day run (30)
  BENCH_BUSY_BEFORE   a git ref whose code is measured on the busy day as well
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/newsroom_bench"


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def recreate_database(url: str) -> None:
    """Drop and create the throwaway database named in ``url``."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def redis_url() -> str | None:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:
        log(f"Redis at {url} is not reachable: each worker keeps its own page cache")
        return None
    return url


def _counting_under_load(
    wrk: str, base: str, story_path: str, static_path: str, seconds: int
) -> dict:
    """bench.reads.under_load (issue 24): the cached story with its beacons."""
    from articles.models import Article
    from bench import reads as reads_bench

    slug = story_path.strip("/").rsplit("/", 1)[-1]
    story_pk = Article.objects.get(slug=slug).pk
    try:
        return reads_bench.under_load(
            wrk, base, story_path, story_pk, static_path, seconds
        )
    except Exception as error:  # say so, go on with the rest of the bench
        return {"error": str(error)[:200]}


def configure(url: str) -> dict[str, str]:
    """Production-like settings for this process and the gunicorn workers."""
    env = {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "STATIC_ROOT": str(ROOT / "var" / "bench-static"),
        "CACHE_KEY_PREFIX": "newsroom-bench",
        "PAGE_CACHE_ENABLED": "1",
    }
    shared = redis_url()
    if shared:
        env["REDIS_URL"] = shared
    else:
        os.environ.pop("REDIS_URL", None)
    os.environ.update(env)
    return env


def main() -> int:
    stories = int(os.environ.get("BENCH_STORIES", "10000"))
    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    wrk_seconds = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
    samples = int(os.environ.get("BENCH_SAMPLES", "200"))
    do_seed = os.environ.get("BENCH_SEED", "1") != "0"
    report: dict = {
        "stories": stories,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    if do_seed and not os.environ.get("BENCH_DATABASE_URL"):
        log(f"creating the throwaway database {urlsplit(url).path.lstrip('/')}")
        recreate_database(url)
    env = configure(url)
    report["page_cache_backend"] = "redis" if "REDIS_URL" in env else "local memory"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import busy, calendar, load, measure, photos, search_quality, seed
    from bench import live as live_bench
    from bench.report import write_report
    from core import pagecache

    if connection.vendor != "postgresql":
        log("BENCH_DATABASE_URL must point at PostgreSQL")
        return 2
    started = time.monotonic()
    if do_seed:
        log("migrating")
        call_command("migrate", verbosity=0, interactive=False)
        log("loading the demo content (IU, V and friends, for the search queries)")
        call_command("load_demo", verbosity=0)
        prepared = time.monotonic() - started
        log(f"seeding {stories:,} stories")
        result = seed.seed(stories)
        report["seed"] = {
            "seconds": round(result.seconds, 1),
            "migrate_and_demo_seconds": round(prepared, 1),
            "rows": result.rows,
            "search_vectors": result.search_vectors,
        }
        (BENCH_DIR / "var").mkdir(exist_ok=True)
        (BENCH_DIR / "var" / "site.json").write_text(json.dumps(result.__dict__))
        log(f"seeded in {result.seconds:.1f}s")
        log(f"seeding {photos.PHOTOS:,} library photos")
        report["seed"]["photo_seconds"] = round(photos.seed_photos(), 1)
    else:
        result = seed.SeedResult(
            **json.loads((BENCH_DIR / "var" / "site.json").read_text())
        )
        report["seed"] = {"reused": True}
        # The database holds what the last seeding made, whatever BENCH_STORIES says.
        report["stories"] = result.stories
    log("collectstatic")
    call_command("collectstatic", verbosity=0, interactive=False)
    pagecache.bump_generation()

    from django.templatetags.static import static

    pages = {
        "story": [f"/news/{slug}/" for slug in result.story_slugs[:200]],
        "story (viral, 2,000 reactions)": [f"/news/{result.viral_story_slug}/"],
        "home": ["/", "/?page=2", "/?page=20"],  # the deepest page lists offer
        "tag": [f"/tags/{slug}/" for slug in result.tag_slugs[:20]],
        "section": [f"/sections/{slug}/" for slug in result.section_slugs],
        "author": [f"/authors/{slug}/" for slug in result.author_slugs],
        "artist": [f"/artists/{slug}/" for slug in result.artist_slugs[:100]],
        "artist index": ["/artists/"],
        "release": [f"/albums/{slug}/" for slug in result.release_slugs[:100]],
        "search": ["/search/?q=IU", "/search/?q=Taheyung", "/search/?q=comeback"],
    }
    log("counting queries per page type")
    report["queries"] = measure.query_counts(pages)
    report["seq_scans"] = measure.seq_scans(pages)
    log(f"in-process render times ({samples} requests per page type and state)")
    report["in_process"] = measure.render_times(pages, samples=samples)
    log("search latency")
    report["search"] = measure.search_latency(rounds=max(5, samples // 10))
    log("search quality (fan queries, PostgreSQL and SQLite) and suggestions")
    report["search_quality"] = search_quality.measure(rounds=max(5, samples // 10))
    log("calendar: 1,000 events in the coming month (issue 22)")
    report["calendar"] = calendar.run(samples=samples)
    report["photo_chooser"] = photos.chooser_latency(rounds=max(5, samples // 10))

    wrk = load.ensure_wrk()
    static_path = static("css/site.css")
    targets = {
        "static file": [static_path],
        "story": pages["story"][:1],
        "home": ["/"],
        "artist": pages["artist"][:1],
        "search": ["/search/?q=IU"],
    }
    report["load"] = {"wrk_seconds": wrk_seconds, "workers": 2, "runs": {}}
    for state, enabled in (("cached", "1"), ("uncached", "0")):
        log(f"load: gunicorn, page cache {'on' if enabled == '1' else 'off'}")
        served = 0
        with load.gunicorn({**env, "PAGE_CACHE_ENABLED": enabled}) as (base, master):
            runs = {}
            for name, paths in targets.items():
                if name == "story" and state == "uncached":
                    paths = pages["story"]  # 200 different stories, none cached
                try:
                    runs[name] = load.run_wrk(wrk, base, paths, seconds=wrk_seconds)
                except Exception as error:  # a missing page: say so, go on
                    runs[name] = {"error": str(error)[:200]}
                served += runs[name].get("requests", 0)
            if state == "cached":
                log("load: the cached story against the static file, counting on")
                report["load"]["counting"] = _counting_under_load(
                    wrk, base, pages["story"][0], static_path, wrk_seconds
                )
            while served < 10_000:  # memory is read after at least 10,000 requests
                extra = load.run_wrk(wrk, base, pages["story"], seconds=wrk_seconds)
                served += extra["requests"]
            report["load"]["runs"][state] = runs
            report["load"].setdefault("memory", {})[state] = {
                "requests_served": served,
                "workers": load.worker_rss_mb(master.pid),
            }
    log("live coverage: 500 entries, readers polling, a writer posting")
    report["live"] = live_bench.run(env, wrk=wrk, seconds=wrk_seconds)
    name = os.environ.get("BENCH_REPORT", "report")
    if os.environ.get("BENCH_BUSY", "1") != "0":
        log("busy day: readers while editors save and moderators approve")
        seconds = int(os.environ.get("BENCH_BUSY_SECONDS", "30"))
        report["busy"] = busy.measure(wrk, env, result, static_path, seconds=seconds)
        busy.write(report["busy"], name)
    report["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    write_report(report, BENCH_DIR, name)
    search_quality.append_markdown(BENCH_DIR / f"{name}.md", report)
    with (BENCH_DIR / f"{name}.md").open("a") as md:
        md.write(live_bench.markdown(report["live"]))
    log(f"wrote {BENCH_DIR / name}.md and {name}.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
