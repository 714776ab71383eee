"""Release pages for /sitemap.xml (wired into the project's sitemap by the lead)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from discography.models import Release


class ReleaseSitemap(Sitemap):
    """Every release page, newest first."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Release.objects.newest_first().only("slug", "updated_at")

    def lastmod(self, release: Release):
        return release.updated_at
