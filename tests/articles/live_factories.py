"""Live coverage test data: a published live story and its entries."""

from __future__ import annotations

import datetime

from django.utils import timezone

from articles.models import Article, LiveEntry
from tests.articles.factories import ArticleFactory


def live_story(**kwargs) -> Article:
    """A published story whose live coverage started an hour ago."""
    kwargs.setdefault("published", True)
    return ArticleFactory(
        is_live_blog=True,
        coverage_started_at=timezone.now() - datetime.timedelta(hours=1),
        **kwargs,
    )


def entries(story: Article, count: int, *, start: datetime.datetime | None = None):
    """``count`` entries a minute apart, the newest ``start`` (default: now)."""
    start = start or timezone.now()
    made = []
    for n in range(count):
        at = start - datetime.timedelta(minutes=count - n)
        made.append(
            LiveEntry(
                article=story,
                body=f"<p>Update number {n}</p>",
                created_at=at,
                updated_at=at,
            )
        )
    return LiveEntry.objects.bulk_create(made)
