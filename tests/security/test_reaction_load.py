"""500 fan reactions from 50 concurrent clients against real gunicorn processes.

Each client does what ``static/js/reactions.js`` does: fetch a fresh token from
``/reactions/token/``, then post the form (multipart, ``X-CSRFToken``, asking for
JSON). Two gunicorn processes share PostgreSQL and Redis; a small rate limit is set
through the environment. Afterwards every reaction the site accepted is in the
database exactly once, nothing it refused is, and neither a reader (fingerprint) nor
the address got more accepted than its limit, whichever process answered.
"""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

import pytest
from django.db import connection

from articles.models import FanReaction
from tests.articles.reaction_factories import StoryFactory
from tests.scale.conftest import http_request, is_postgresql

pytestmark = [
    pytest.mark.load,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not is_postgresql(),
        reason="the load test needs PostgreSQL (SQLite serialises writers from "
        "several processes): run with DATABASE_URL=postgres://...",
    ),
]

CLIENTS = 50
PER_CLIENT = 10
RATE_LIMIT = 4  # per reader (fingerprint)
ADDRESS_LIMIT = 150  # per address: every client here is 127.0.0.1
BUDGET_SECONDS = 60


def multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    """The body ``new FormData(form)`` sends."""
    boundary = f"----newsroom{uuid.uuid4().hex}"
    lines = []
    for name, value in fields.items():
        lines += [
            f"--{boundary}",
            f'Content-Disposition: form-data; name="{name}"',
            "",
            value,
        ]
    lines += [f"--{boundary}--", ""]
    return "\r\n".join(lines).encode(), f"multipart/form-data; boundary={boundary}"


def one_reader(base_urls: list[str], slug: str, reader: int, deadline: float):
    """One reader's ten reactions; returns (marker, status, accepted) per attempt."""
    agent = f"LoadTestBrowser/{reader} ({uuid.uuid4().hex[:6]})"
    results = []
    for attempt in range(PER_CLIENT):
        if time.monotonic() > deadline:
            results.append((None, 0, False))
            continue
        base = base_urls[(reader + attempt) % len(base_urls)]  # both processes
        status, headers, body = http_request(
            base + "/reactions/token/",
            headers={"Accept": "application/json", "User-Agent": agent},
            timeout=20,
        )
        assert status == 200, body
        token = json.loads(body)["token"]
        cookie = SimpleCookie(headers["set-cookie"])["csrftoken"].value
        marker = f"load-{reader:02d}-{attempt:02d}-{uuid.uuid4().hex[:8]}"
        data, content_type = multipart(
            {
                "display_name": f"Reader {reader}",
                "message": f"Concert was unforgettable, thank you! [{marker}]",
                "emoji": "",
                "leave_empty": "",
            }
        )
        status, _, body = http_request(
            f"{base}/news/{slug}/reactions/",
            data=data,
            headers={
                "Accept": "application/json",
                "Content-Type": content_type,
                "X-CSRFToken": token,
                "Cookie": f"csrftoken={cookie}",
                "User-Agent": agent,
            },
            timeout=20,
        )
        accepted = 200 <= status < 300 and json.loads(body).get("status") == "accepted"
        assert accepted or status == 429, (status, body)
        results.append((marker, status, accepted))
    return results


def test_500_concurrent_reactions_none_lost_none_twice_limit_held(
    web_processes, shared_redis, shared_database_url
):
    assert connection.vendor == "postgresql"
    story = StoryFactory(slug="concert-review")
    started = time.monotonic()
    webs = web_processes(
        2,
        DATABASE_URL=shared_database_url,
        REACTIONS_RATE_LIMIT=str(RATE_LIMIT),
        REACTIONS_RATE_LIMIT_PER_ADDRESS=str(ADDRESS_LIMIT),
        REACTIONS_RATE_WINDOW="86400",  # no window boundary inside the test
        PAGE_CACHE_ENABLED="0",
        **shared_redis,
    )
    deadline = started + BUDGET_SECONDS - 10
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        futures = [
            pool.submit(one_reader, [w.url for w in webs], story.slug, n, deadline)
            for n in range(CLIENTS)
        ]
        results = [r for f in futures for r in f.result(timeout=BUDGET_SECONDS)]
    elapsed = time.monotonic() - started
    assert elapsed < BUDGET_SECONDS, f"took {elapsed:.0f}s"
    assert all(marker for marker, _, _ in results), "ran out of time before 500 sent"
    assert len(results) == CLIENTS * PER_CLIENT

    accepted = {marker for marker, _, ok in results if ok}
    refused = {marker for marker, status, _ in results if status == 429}
    assert len(accepted) + len(refused) == CLIENTS * PER_CLIENT
    assert refused, "the limit never refused anything"

    stored = Counter(
        message.rsplit("[", 1)[1].rstrip("]")
        for message in FanReaction.objects.filter(article=story).values_list(
            "message", flat=True
        )
    )
    assert set(stored) == accepted, "a reaction was lost, or a refused one stored"
    assert max(stored.values()) == 1, "a reaction was stored twice"

    # The limit counted across both processes: per reader, never more than it.
    per_reader = Counter(
        FanReaction.objects.filter(article=story).values_list("fingerprint", flat=True)
    )
    assert max(per_reader.values()) <= RATE_LIMIT
    # ...and the per-address cap too: 50 readers x 4 would be 200.
    assert len(accepted) == ADDRESS_LIMIT
