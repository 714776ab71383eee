"""Time each moderation decision from the queue's row, as the browser sends it.

    DATABASE_URL=postgres://… python -m bench.moderation [count]

Makes a moderator and ``count`` pending reactions (default 200) inside a
transaction that is rolled back at the end, then posts one decision per reaction
through Django's test client (every middleware, session and CSRF check included)
with ``Accept: application/json``, and prints p50/p95/max in milliseconds.
"""

from __future__ import annotations

import os
import statistics
import sys
import time


def main(count: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from articles.models import Article, FanReaction
    from articles.moderation import message_digest
    from newsroom.groups import MODERATORS, sync_groups

    class Rollback(Exception):
        pass

    timings: list[float] = []
    try:
        with transaction.atomic():
            sync_groups()
            user = get_user_model().objects.create_user(
                "bench-moderator", password="bench-only", is_staff=True
            )
            user.groups.add(Group.objects.get(name=MODERATORS))
            story = Article.objects.create(
                headline="Bench story",
                slug="bench-moderation-story",
                body="<p>Bench.</p>",
                status=Article.Status.PUBLISHED,
                published_at=timezone.now(),
            )
            reactions = FanReaction.objects.bulk_create(
                FanReaction(
                    article=story,
                    display_name=f"Fan {n}",
                    message=f"Bench reaction {n}",
                    fingerprint=f"{n:064x}",
                    message_digest=message_digest(f"Bench reaction {n}"),
                )
                for n in range(count)
            )
            client = Client(HTTP_HOST="localhost")
            client.force_login(user)
            client.get("/admin/articles/fanreaction/")  # warm: templates, session
            for reaction in reactions:
                started = time.perf_counter()
                response = client.post(
                    f"/admin/articles/fanreaction/{reaction.pk}/decide/",
                    {"decision": "approve"},
                    HTTP_ACCEPT="application/json",
                )
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.content
            raise Rollback
    except Rollback:
        pass
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(
        f"{len(timings)} decisions: p50 {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(timings):.1f} ms"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
