"""Search-engine presence: robots.txt, the sitemap index, and the tags of a page's head.

Each app says what it has for crawlers (``articles.sitemaps``, ``artists.sitemaps``,
``discography.sitemaps``; their JSON-LD in each app's ``jsonld``); the project puts
them together here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from articles.sitemaps import NewsSitemap, StorySitemap
from artists.sitemaps import ArtistSitemap
from core.jsonld import breadcrumbs_jsonld, jsonld
from core.querystring import page_number
from discography.sitemaps import ReleaseSitemap

# Staff pages, previews and per-query pages are not for crawlers.
DISALLOWED = ["/admin/", "/drafts/", "/news/preview/", "/search/", "/reactions/"]

SITEMAPS = {
    "stories": StorySitemap,
    "news": NewsSitemap,
    "artists": ArtistSitemap,
    "releases": ReleaseSitemap,
}


@require_safe
@cache_control(max_age=60 * 60, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Where crawlers may go, and where the sitemap is."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def sitemap_index(request: HttpRequest) -> HttpResponse:
    return sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap_section")


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section's URLs; the news section adds the news:news elements."""
    template = "newsroom/sitemap_news.xml" if section == "news" else "sitemap.xml"
    return sitemap_views.sitemap(
        request, SITEMAPS, section=section, template_name=template
    )


def canonical_url(request: HttpRequest | None, path: str = "") -> str:
    """This page's absolute address; only a page number survives from the query."""
    if request is None:
        return ""
    url = request.build_absolute_uri(path or request.path)
    page = page_number(request.GET.get("page"))
    if not path and page > 1:
        url += f"?page={page}"
    return url


def absolute_url(request: HttpRequest | None, path: str) -> str:
    """An absolute address for og:image and friends (storage URLs may be relative)."""
    if not path or request is None:
        return path or ""
    return request.build_absolute_uri(path)


def breadcrumbs(request: HttpRequest, *parts: str) -> SafeString:
    """``breadcrumbs(request, "Artists", "/artists/", artist.name, artist_url)``."""
    pairs = [(settings.SITE_NAME, reverse("home"))]
    pairs += [(str(parts[i]), str(parts[i + 1])) for i in range(0, len(parts) - 1, 2)]
    return jsonld(breadcrumbs_jsonld(pairs, request))
