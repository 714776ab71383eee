"""Story lists other apps' pages embed, such as the news on an artist's profile."""

from __future__ import annotations

from django import template

from articles.models import Article

register = template.Library()
ARTIST_NEWS_COUNT = 6


@register.inclusion_tag("articles/_artist_news.html")
def artist_news(artist, count: int = ARTIST_NEWS_COUNT) -> dict:
    """The artist's latest published stories in one query, whatever the count.

    A profile lists headlines, not bylines, which keeps the artist page in budget.
    """
    stories = (
        Article.objects.published()
        .about_artist(artist)
        .select_related("section")
        .order_by("-published_at", "-pk")
    )
    return {"artist": artist, "stories": list(stories[:count]), "hide_byline": True}
