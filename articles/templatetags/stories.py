"""Story lists other apps' pages embed, such as the news on an artist's profile."""

from __future__ import annotations

from django import template

from articles.models import Article

register = template.Library()
ARTIST_NEWS_COUNT = 6


@register.inclusion_tag("articles/_artist_news.html")
def artist_news(artist, count: int = ARTIST_NEWS_COUNT) -> dict:
    """The artist's latest published stories (two queries, whatever the count)."""
    stories = Article.objects.published().for_listing().about_artist(artist)
    return {"artist": artist, "stories": list(stories[:count])}
