"""Live coverage under load (issue 23): ``python -m bench.live`` or part of ``make bench``.

A live story with 500 entries; gunicorn (2 workers, page cache on, the shared cache in
Redis when reachable) answers its updates address while wrk drives it as hard as it
can (the load of 10,000 readers polling every 5 s is 2,000 requests a second; the
run reports what the machine sustained), and a writer posts an entry every
``POST_EVERY`` seconds. Measured:

- DB renders of the updates answer per second: scans of the entries table in
  PostgreSQL's statistics during the run (each rebuild reads it once), minus the
  writer's own (measured for one post alone); goal: at most one per second.
- update latency p50/p95/p99 (wrk), goal p95 < 10 ms;
- delivery to readers: for each post, how long until the shared address answers with
  it (probed every 20 ms through gunicorn), plus, for 10,000 simulated readers with
  random phases, the wait for their next poll (every POLL_SECONDS, as static/js/
  live.js does); goal p95 < 5 s.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ENTRIES = 500
READERS = 10_000
POLL_SECONDS = 4.0  # static/js/live.js INTERVAL
POST_EVERY = 2.0
SLUG = "bench-live-showcase"


def log(message: str) -> None:
    print(f"bench.live: {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def seed_story():
    """A published live story with ENTRIES entries, made afresh."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from articles import live
    from articles.models import Article, LiveEntry
    from newsroom.groups import EDITORS

    Article.objects.filter(slug=SLUG).delete()
    user, _ = get_user_model().objects.get_or_create(username="bench-live-desk")
    user.groups.add(Group.objects.get(name=EDITORS))
    user = get_user_model().objects.get(pk=user.pk)
    now = timezone.now()
    story = Article.objects.create(
        slug=SLUG, headline="Bench: a showcase, live", created_by=user
    )
    Article.objects.filter(pk=story.pk).update(
        status=Article.Status.PUBLISHED, published_at=now - datetime.timedelta(hours=3)
    )
    story.refresh_from_db()
    live.start_live_coverage(
        article=story, by=user, at=now - datetime.timedelta(hours=3)
    )
    LiveEntry.objects.bulk_create(
        LiveEntry(
            article=story,
            body=f"<p>Update {n}: the hall cheers, the lights change, a song ends.</p>",
            created_at=now - datetime.timedelta(seconds=20 * (ENTRIES - n)),
            updated_at=now - datetime.timedelta(seconds=20 * (ENTRIES - n)),
            is_key_event=n % 50 == 0,
            key_title=f"Moment {n}" if n % 50 == 0 else "",
        )
        for n in range(ENTRIES)
    )
    return story, user


def entry_scans() -> int:
    """Scans of the entries table so far (PostgreSQL's cumulative statistics)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) "
            "FROM pg_stat_user_tables WHERE relname = 'articles_liveentry'"
        )
        return int(cursor.fetchone()[0])


class Writer(threading.Thread):
    """Posts an entry every POST_EVERY seconds and probes when readers can see it."""

    def __init__(self, story, user, base: str, address: str, seconds: float) -> None:
        super().__init__(daemon=True)
        self.story, self.user, self.base = story, user, base
        self.address, self.seconds = address, seconds
        self.visible_after: list[float] = []
        self.error: str = ""

    def run(self) -> None:
        from django.db import connection

        from articles import live

        try:
            ends = time.monotonic() + self.seconds
            n = 0
            while time.monotonic() + POST_EVERY < ends:
                time.sleep(POST_EVERY)
                n += 1
                entry = live.post_live_entry(
                    article=self.story, by=self.user, body=f"<p>Bench post {n}</p>"
                )
                committed = time.monotonic()
                while time.monotonic() - committed < 10:
                    body = urllib.request.urlopen(
                        self.base + self.address, timeout=5
                    ).read()
                    seen = {c["id"] for c in json.loads(body)["entries"]}
                    if entry.pk in seen:
                        self.visible_after.append(time.monotonic() - committed)
                        break
                    time.sleep(0.02)
        except Exception as error:  # reported, never hides the rest of the run
            self.error = repr(error)[:300]
        finally:
            connection.close()


def delivery_p95(visible_after: list[float], *, seed: int = 23) -> float:
    """p95 over READERS simulated readers x posts of visible delay + wait for a poll."""
    rng = random.Random(seed)
    delays = []
    for delay in visible_after:
        for _ in range(READERS):
            phase = rng.uniform(0, POLL_SECONDS)  # the reader's next poll, from commit
            wait = phase
            while wait < delay:
                wait += POLL_SECONDS
            delays.append(wait)
    return percentile(delays, 0.95) if delays else float("nan")


def in_process_times(address: str, samples: int = 400) -> dict:
    """The updates answer rendered in this process (Django's test client, no page
    cache, no network): what one poll costs the site when no cache answers it."""
    from django.conf import settings
    from django.test import Client

    settings.PAGE_CACHE_ENABLED = False
    client = Client()
    client.get(address)  # warm: imports, the snapshot
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        response = client.get(address)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return {
        "samples": samples,
        "p50_ms": round(percentile(times, 0.5), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
    }


def markdown(figures: dict) -> str:
    """The live section of bench/report.md."""
    rows = [
        ("DB renders of the updates answer", "≤ 1 per second per story",
         f"{figures['db_renders_per_second']} per second "
         f"({figures['db_renders']} in the run, {figures['posts']} posts)"),
        ("update p95 (in process, no cache)", "< 10 ms",
         f"{figures['in_process']['p95_ms']} ms"),
        ("update p95 / p99 (gunicorn + wrk)", "< 10 ms",
         f"{figures['update_p95_ms']} / {figures['update_p99_ms']} ms "
         f"at {figures['updates_rps']} req/s"),
        ("new entry reaches a poller (p95)", "< 5 s",
         f"{figures['delivery_p95_s']} s (visible after p95 "
         f"{figures['visible_p95_s']} s; poll every {figures['poll_seconds']} s)"),
        ("first paint", "≤ 20 entries, < 150 KB",
         f"{figures['first_paint_entries']} entries, "
         f"{figures['first_paint_bytes'] / 1024:.1f} KB"),
    ]  # fmt: skip
    out = ["", "## Live coverage (bench/live.py)", "", "| what | wanted | measured |"]
    out.append("| --- | --- | --- |")
    out += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(out) + "\n"


def run(env: dict[str, str], *, wrk: str, seconds: int = 15) -> dict:
    """The scenario above; returns the figures for the report."""
    from bench import load

    story, user = seed_story()
    # What one post scans of the entries table itself (foreign-key checks that no
    # statement shows): measured alone, subtracted per post from the run's count.
    from articles import live

    time.sleep(1.5)
    before = entry_scans()
    live.post_live_entry(article=story, by=user, body="<p>Calibration</p>")
    time.sleep(2.5)
    per_post = entry_scans() - before
    with load.gunicorn({**env, "PAGE_CACHE_ENABLED": "1"}) as (base, _master):
        page = urllib.request.urlopen(f"{base}/news/{SLUG}/", timeout=10).read()
        html = page.decode()
        cursor = re.search(r'data-live-cursor="([^"]+)"', html).group(1)
        address = f"/news/{SLUG}/live/updates/?after={cursor}"
        urllib.request.urlopen(base + address, timeout=10).read()  # warm
        time.sleep(1.5)  # let idle backends report their statistics
        scans_before = entry_scans()
        writer = Writer(story, user, base, address, seconds)
        writer.start()
        started = time.monotonic()
        output = subprocess.run(
            [
                wrk,
                "-t2",
                "-c16",
                f"-d{seconds}s",
                "--timeout",
                "5s",
                "-s",
                str(BENCH_DIR / "live_wrk.lua"),
                base + address,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=seconds + 30,
        ).stdout
        writer.join(timeout=30)
        duration = time.monotonic() - started
        time.sleep(2.5)  # statistics of idle backends are flushed within ~1 s
        scans = entry_scans() - scans_before
    result = json.loads(output.strip().splitlines()[-1])
    renders = max(0, scans - len(writer.visible_after) * per_post)
    in_process = in_process_times(address)
    rps = result["requests"] / (result["duration_us"] / 1e6)
    return {
        "entries": ENTRIES,
        "in_process": in_process,
        "first_paint_bytes": len(page),
        "first_paint_entries": html.count('<article class="live-entry'),
        "wrk_seconds": seconds,
        "updates_rps": round(rps, 1),
        "readers_sustained_at_5s": int(rps * 5),
        "update_p50_ms": round(result["latency_us"]["p50"] / 1000, 2),
        "update_p95_ms": round(result["latency_us"]["p95"] / 1000, 2),
        "update_p99_ms": round(result["latency_us"]["p99"] / 1000, 2),
        "errors": result["errors"],
        "posts": len(writer.visible_after),
        "entry_scans_per_post": per_post,
        "writer_error": writer.error,
        "db_renders": renders,
        "db_renders_per_second": round(renders / duration, 2),
        "visible_p95_s": round(percentile(writer.visible_after, 0.95), 3)
        if writer.visible_after
        else None,
        "delivery_p95_s": round(delivery_p95(writer.visible_after), 2),
        "poll_seconds": POLL_SECONDS,
        "simulated_readers": READERS,
    }


def main() -> int:
    from bench.__main__ import DEFAULT_URL, configure

    url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL
    env = configure(url)
    import django

    django.setup()
    from django.core.management import call_command

    from bench import load

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    figures = run(env, wrk=load.ensure_wrk())
    print(json.dumps(figures, indent=2))
    print(markdown(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
