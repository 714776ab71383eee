"""The comeback calendar under load (issue 22): 1,000 events in the coming month.

``python -m bench`` calls ``run()`` after seeding; it can also run alone against a
migrated database (``python -m bench.calendar``, settings from the environment).
The goal: ``/calendar/`` answers in under 20 ms at the 95th percentile with the page
cache off, and its query count does not grow with the events.
"""

from __future__ import annotations

import datetime
import random
import time

from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from bench.measure import _summary
from core import pagecache

EVENTS = 1000
BENCH_TITLE_PREFIX = "Bench event"
GOAL_P95_MS = 20.0


@transaction.atomic
def seed_events(count: int = EVENTS, *, seed: int = 22) -> int:
    """``count`` public events spread over the next 30 days, each with two artists
    and some with a release; bulk-inserted (bench rows, not demo content)."""
    from artists.models import Artist
    from discography.models import Event, Release

    rng = random.Random(seed)
    artists = list(Artist.objects.values_list("pk", flat=True)[:400])
    if len(artists) < 2:
        artists += [
            Artist.objects.create(name=f"Bench artist {n}", slug=f"bench-artist-{n}").pk
            for n in range(40)
        ]
    releases = list(Release.objects.values_list("pk", flat=True)[:400]) or [None]
    kinds = [k for k in Event.Kind.values if k != Event.Kind.RELEASE]
    statuses = [Event.Status.ANNOUNCED, Event.Status.CONFIRMED, Event.Status.DELAYED]
    now = timezone.now()
    Event.objects.filter(title__startswith=BENCH_TITLE_PREFIX).delete()
    events = Event.objects.bulk_create(
        Event(
            title=f"{BENCH_TITLE_PREFIX} {n}",
            kind=rng.choice(kinds),
            status=rng.choice(statuses),
            starts_at=now + datetime.timedelta(minutes=rng.randrange(30 * 24 * 60)),
            place="Seoul",
            release_id=rng.choice(releases) if n % 3 == 0 else None,
        )
        for n in range(count)
    )
    links = Event.artists.through
    links.objects.bulk_create(
        links(event_id=event.pk, artist_id=artist)
        for event in events
        for artist in rng.sample(artists, 2)
    )
    return len(events)


def run(*, samples: int = 200) -> dict:
    """Seed the events, then time the calendar pages in process, cache off."""
    from artists.models import Artist

    seeded = seed_events()
    artist = Artist.objects.filter(events__isnull=False).first()
    pages = {
        "calendar": "/calendar/",
        "calendar, one kind": "/calendar/?kind=concert",
        "calendar, one artist": f"/calendar/?artist={artist.slug}" if artist else "",
        "calendar.ics": "/calendar.ics",
        # For scale on the same machine at the same moment: a page of issue 9.
        "reference: artist page": "/artists/iu/",
    }
    client = Client()
    # Every connection: reads may go to a replica alias (core.db_router).
    for alias in connections:
        connections[alias].force_debug_cursor = False
    results: dict = {"events": seeded, "goal_p95_ms": GOAL_P95_MS, "pages": {}}
    with override_settings(PAGE_CACHE_ENABLED=False):
        pagecache.bump_generation()
        for name, url in pages.items():
            if not url:
                continue
            client.get(url)  # one untimed request: plans and per-process caches
            with CaptureQueriesContext(connection) as queries:
                status = client.get(url).status_code
            times, cpu = [], []
            for _ in range(samples):
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            results["pages"][name] = {
                "status": status,
                "queries": len(queries),
                **_summary(times),
                # This process's CPU time alone: on a shared machine, wall time also
                # counts waiting for the CPU and the database.
                "cpu_p95_ms": _summary(cpu)["p95_ms"],
            }
    calendar = results["pages"]["calendar"]
    results["meets_goal"] = calendar["p95_ms"] < GOAL_P95_MS
    return results


if __name__ == "__main__":
    import json
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    print(
        json.dumps(run(samples=int(os.environ.get("BENCH_SAMPLES", "200"))), indent=2)
    )
