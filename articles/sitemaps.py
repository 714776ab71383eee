"""Stories for /sitemap.xml: every published story, and a Google News sitemap of the
last 48 hours (the project's sitemap index lists them beside artists and releases)."""

from __future__ import annotations

import datetime

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from articles.models import Article

NEWS_WINDOW = datetime.timedelta(hours=48)


class StorySitemap(Sitemap):
    """Every published story, with the time it last changed."""

    changefreq = "daily"
    priority = 0.8
    limit = 10_000  # URLs per sitemap page, far below the protocol's 50,000

    def items(self):
        return (
            Article.objects.published()
            .order_by("-published_at", "-pk")
            .only("slug", "published_at", "updated_at")
        )

    def lastmod(self, story: Article):
        return max(story.updated_at, story.published_at)


class NewsSitemap(StorySitemap):
    """Stories from the last 48 hours, in Google News' format (at most 1,000)."""

    limit = 1000

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .order_by("-published_at", "-pk")
            .only("slug", "headline", "published_at", "updated_at")[:1000]
        )
