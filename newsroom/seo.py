"""Search-engine presence: robots.txt, and schema.org data for story pages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from articles.models import Article
from newsroom.urlcache import reverse_or_none, url_of

# Staff pages, previews and per-query pages are not for crawlers.
DISALLOWED = ["/admin/", "/drafts/", "/news/preview/", "/search/", "/reactions/"]


@require_safe
@cache_control(max_age=60 * 60, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Where crawlers may go, and where the sitemap is."""
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url)


def story_images(article: Article, request: HttpRequest) -> list[str]:
    """Absolute URLs of the hero renditions, largest first (what crawlers prefer)."""
    entries = [e for e in article.hero_renditions or [] if e.get("format") != "WEBP"]
    entries.sort(key=lambda entry: entry["width"], reverse=True)
    return [_absolute(request, default_storage.url(e["name"])) for e in entries]


def publisher(request: HttpRequest) -> dict[str, Any]:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": _absolute(request, reverse("home")),
    }


def article_jsonld(article: Article, request: HttpRequest) -> dict[str, Any]:
    """The story as a schema.org NewsArticle (uses the detail page's prefetches)."""
    url = _absolute(request, article.get_absolute_url())
    authors = []
    for byline in article.bylines.all():
        author = {"@type": "Person", "name": byline.author.display_name}
        # An author whose slug makes no address is named without one.
        path = reverse_or_none("articles:author", byline.author.slug)
        if path is not None:
            author["url"] = _absolute(request, path)
        authors.append(author)
    modified = max(
        filter(None, [article.updated_at, article.published_at, article.last_noted_at])
    )
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline[:110],
        "datePublished": article.published_at.isoformat()
        if article.published_at
        else None,
        "dateModified": modified.isoformat(),
        "author": authors or [publisher(request)],
        "publisher": publisher(request),
        "isAccessibleForFree": True,
        "inLanguage": "en",
    }
    images = story_images(article, request)
    if images:
        data["image"] = images
    if article.dek:
        data["description"] = article.dek
    if article.section:
        data["articleSection"] = article.section.name
    keywords = [tag.name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    about = [artist.name for artist in article.artists.all()]
    if about:
        data["about"] = [{"@type": "Thing", "name": name} for name in about]
    return {k: v for k, v in data.items() if v is not None}


def breadcrumbs_jsonld(
    crumbs: list[tuple[str, str]], request: HttpRequest
) -> dict[str, Any]:
    """A schema.org BreadcrumbList from (name, path) pairs, home first."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": name,
                "item": _absolute(request, path),
            }
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }


def story_breadcrumbs(article: Article, request: HttpRequest) -> dict[str, Any]:
    crumbs = [(settings.SITE_NAME, reverse("home"))]
    section_url = url_of(article.section) if article.section else None
    if section_url is not None:
        crumbs.append((article.section.name, section_url))
    crumbs.append((article.headline, article.get_absolute_url()))
    return breadcrumbs_jsonld(crumbs, request)
