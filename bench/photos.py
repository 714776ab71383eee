"""The photo desk at scale: the chooser's search over 100,000 library photos.

``make bench`` seeds the photos (BENCH_PHOTOS, default 100,000) beside the stories
and reports the p50/p95 of the chooser's JSON endpoint (``/admin/photos/photo/chooser/``,
a logged-in editor, page cache irrelevant: staff pages are never cached). Goal:
p95 < 100 ms. Run alone on a seeded database: ``python -m bench.photos``.
"""

from __future__ import annotations

import os
import random
import time

from bench.measure import _summary

PHOTOS = int(os.environ.get("BENCH_PHOTOS", "100000"))
BATCH = 5000
# Words the library's alt texts, captions and credits are made of.
SUBJECTS = ["IU", "V", "BTS", "NewJeans", "Hyein", "DPR IAN", "fans", "crew", "아이유"]
PLACES = ["Seoul", "Busan", "Tokyo", "Paris", "Inkigayo", "the airport", "KSPO Dome"]
SCENES = ["on stage", "at a fan meeting", "at a press call", "backstage", "waving"]
CREDITS = ["EDAM Entertainment", "BIGHIT MUSIC", "ADOR", "Newsroom", "Dispatch"]
CHOOSER_QUERIES = (
    "",  # the chooser opening: newest first
    "iu",
    "seoul stage",
    "newjeans inkigayo",
    "edam",
    "아이유",
    "airport",
    "kspo dome fan",
    "no such word at all",
    "hye",  # partial, as typed
)


def seed_photos(count: int = PHOTOS) -> float:
    """``count`` library photos (rows only: the chooser search reads no file)."""
    from django.db import connection
    from django.utils import timezone

    from photos.models import Photo

    started = time.monotonic()
    rng = random.Random(18)
    now = timezone.now()
    made = 0
    while made < count:
        rows = []
        for n in range(made, min(count, made + BATCH)):
            alt = f"{rng.choice(SUBJECTS)} {rng.choice(SCENES)} in {rng.choice(PLACES)}"
            caption = f"Picture {n}: {rng.choice(SUBJECTS)} {rng.choice(SCENES)}"
            credit = rng.choice(CREDITS)
            photo = Photo(
                file=f"photos/bench/{n}.jpg",
                width=1600,
                height=900,
                alt_text=alt,
                caption=caption,
                credit=credit,
                usage_kind=rng.choice(Photo.UsageKind.values),
                uploaded_at=now - timezone.timedelta(minutes=n),
            )
            photo.search_text = photo.searchable_text()
            rows.append(photo)
        Photo.objects.bulk_create(rows, batch_size=1000)
        made += len(rows)
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum would gather: without them the planner
        # guesses a common word is rare and sorts thousands of matches.
        cursor.execute("ANALYZE photos_photo")
    return time.monotonic() - started


def chooser_latency(*, rounds: int = 30) -> dict:
    """p50/p95 of the chooser's search endpoint, round-robin over the queries."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from photos.chooser import photo_summary, search_photos
    from photos.models import Photo

    editor, _ = get_user_model().objects.get_or_create(
        username="bench-photo-desk", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(editor)
    url = "/admin/photos/photo/chooser/"
    times: dict[str, list[float]] = {query: [] for query in CHOOSER_QUERIES}
    for query in CHOOSER_QUERIES:  # one untimed round
        client.get(url, {"q": query})
    for _ in range(rounds):
        for query in CHOOSER_QUERIES:
            started = time.perf_counter()
            response = client.get(url, {"q": query})
            times[query].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
    everything = [value for values in times.values() for value in values]
    # The search alone (query and JSON rows), without the staff request around it.
    search_only: list[float] = []
    for _ in range(rounds):
        for query in CHOOSER_QUERIES:
            started = time.perf_counter()
            rows, _ = search_photos(query)
            [photo_summary(photo) for photo in rows]
            search_only.append((time.perf_counter() - started) * 1000)
    per_query = {}
    for query in CHOOSER_QUERIES:
        with CaptureQueriesContext(connection) as queries:
            found = len(client.get(url, {"q": query}).json()["results"])
        per_query[query or "(newest)"] = {
            **_summary(times[query]),
            "results": found,
            "queries": len(queries),
        }
    return {
        "photos": Photo.objects.count(),
        "all": _summary(everything),
        "search_only": _summary(search_only),
        "load_average": os.getloadavg()[0],
        "queries": per_query,
    }


def markdown(result: dict) -> list[str]:
    """The report's section (bench/report.py appends it)."""
    if not result:
        return []
    out = [
        "",
        f"## Photo chooser search ({result['photos']:,} library photos)",
        "",
        f"Whole staff request (session, user, search, JSON): p50 "
        f"{result['all']['p50_ms']} ms, p95 {result['all']['p95_ms']} ms (goal: p95 < "
        f"100 ms). The search alone: p50 {result['search_only']['p50_ms']} ms, p95 "
        f"{result['search_only']['p95_ms']} ms. Load average while measured: "
        f"{result['load_average']:.1f}.",
        "",
        "| query | p50 ms | p95 ms | results | queries |",
        "| --- | --- | --- | --- | --- |",
    ]
    out += [
        f"| {query} | {row['p50_ms']} | {row['p95_ms']} | {row['results']} | "
        f"{row['queries']} |"
        for query, row in result["queries"].items()
    ]
    return out


if __name__ == "__main__":
    import json

    import django

    from bench.__main__ import DEFAULT_URL, configure

    configure(os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    django.setup()
    from django.core.management import call_command

    from photos.models import Photo

    call_command("migrate", verbosity=0, interactive=False)
    if Photo.objects.count() < PHOTOS:
        print(f"seeded {PHOTOS:,} photos in {seed_photos(PHOTOS):.1f}s")
    print(json.dumps(chooser_latency(), indent=2))
