"""Tags for the <head>: canonical addresses and schema.org data for stories."""

from __future__ import annotations

from django import template
from django.http import HttpRequest
from django.utils.safestring import SafeString

from articles.models import Article
from artists.templatetags.artist_tags import jsonld
from newsroom.querystring import page_number
from newsroom.seo import article_jsonld, breadcrumbs_jsonld, story_breadcrumbs

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context, path: str = "") -> str:
    """This page's absolute address; only a page number survives from the query."""
    request: HttpRequest | None = context.get("request")
    if request is None:
        return ""
    url = request.build_absolute_uri(path or request.path)
    page = page_number(request.GET.get("page"))
    if not path and page > 1:
        url += f"?page={page}"
    return url


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """An absolute address for og:image and friends (storage URLs may be relative)."""
    request: HttpRequest | None = context.get("request")
    if not path or request is None:
        return path or ""
    return request.build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def story_jsonld(context, article: Article) -> SafeString:
    """NewsArticle and BreadcrumbList scripts for a story page."""
    request = context["request"]
    return SafeString(
        jsonld(article_jsonld(article, request))
        + jsonld(story_breadcrumbs(article, request))
    )


@register.simple_tag(takes_context=True)
def breadcrumbs(context, *parts: str) -> SafeString:
    """``{% breadcrumbs "Artists" "/artists/" artist.name artist.get_absolute_url %}``."""
    from django.conf import settings
    from django.urls import reverse

    pairs = [(settings.SITE_NAME, reverse("home"))]
    pairs += [(str(parts[i]), str(parts[i + 1])) for i in range(0, len(parts) - 1, 2)]
    return jsonld(breadcrumbs_jsonld(pairs, context["request"]))


@register.simple_tag
def largest_hero(article: Article) -> dict | None:
    """The biggest hero rendition (url, width, height), which sharing cards prefer."""
    return article.hero.largest
