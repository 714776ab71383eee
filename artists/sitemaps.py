"""Artist profiles for /sitemap.xml (wired into the project's sitemap by the lead)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from artists.models import Artist


class ArtistSitemap(Sitemap):
    """Every profile; they change when editors update names, line-ups or photos."""

    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return Artist.objects.order_by("pk").only("slug", "updated_at")

    def lastmod(self, artist: Artist):
        return artist.updated_at
