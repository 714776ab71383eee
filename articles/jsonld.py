"""schema.org data for story pages (NewsArticle, BreadcrumbList), built as plain dicts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from articles import live_updates
from articles.lineup import about_jsonld
from articles.models import Article
from core.jsonld import breadcrumbs_jsonld, jsonld
from core.urlcache import reverse_or_none, url_of

LIVE_BLOG_UPDATES = 50


def _absolute(request: HttpRequest, url: str) -> str:
    return request.build_absolute_uri(url)


def story_images(article: Article, request: HttpRequest) -> list[str]:
    """Absolute URLs of the hero renditions, largest first (what crawlers prefer)."""
    urls = article.hero_image.renditions.fallback_urls()
    return [_absolute(request, url) for url in urls]


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
    for byline in article.byline_list:
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
    keywords = [tag.name for tag in article.tag_list]
    if keywords:
        data["keywords"] = keywords
    # People and groups with the lineup of the publication day (articles.lineup).
    about = about_jsonld(article)
    if about:
        data["about"] = about
    if article.is_live_blog:
        data.update(live_blog_jsonld(article, url))
    return {k: v for k, v in data.items() if v is not None}


def live_blog_jsonld(article: Article, url: str) -> dict[str, Any]:
    """What makes a live story a LiveBlogPosting: its coverage times and the latest
    50 entries (one query), newest first."""
    entries = live_updates.latest_updates(article, LIVE_BLOG_UPDATES)
    updates = []
    for entry in entries:
        text = " ".join(strip_tags(entry.body).split())
        updates.append(
            {
                "@type": "BlogPosting",
                "headline": (entry.key_title or text or article.headline)[:110],
                "url": f"{url}#{entry.anchor}",
                "datePublished": entry.created_at.isoformat(),
                "dateModified": entry.updated_at.isoformat(),
                "articleBody": text,
            }
        )
    data: dict[str, Any] = {"@type": "LiveBlogPosting", "liveBlogUpdate": updates}
    if article.coverage_started_at:
        data["coverageStartTime"] = article.coverage_started_at.isoformat()
    if article.coverage_ended_at:
        data["coverageEndTime"] = article.coverage_ended_at.isoformat()
    if entries:
        latest = max(entry.updated_at for entry in entries)
        data["dateModified"] = max(latest, article.updated_at).isoformat()
    return data


def story_breadcrumbs(article: Article, request: HttpRequest) -> dict[str, Any]:
    crumbs = [(settings.SITE_NAME, reverse("home"))]
    section_url = url_of(article.section) if article.section else None
    if section_url is not None:
        crumbs.append((article.section.name, section_url))
    crumbs.append((article.headline, article.get_absolute_url()))
    return breadcrumbs_jsonld(crumbs, request)


def story_jsonld(article: Article, request: HttpRequest) -> SafeString:
    """NewsArticle and BreadcrumbList scripts for a story page."""
    return SafeString(
        jsonld(article_jsonld(article, request))
        + jsonld(story_breadcrumbs(article, request))
    )
