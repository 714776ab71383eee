"""Reader-page helpers for Jinja2 templates that need the request or run queries.

``{{ reactions_block(article) }}``, ``{{ artist_news(artist) }}``,
``{{ artist_discography(artist) }}``, ``{{ story_jsonld(article) }}``,
``{{ canonical_url() }}``, ``{{ breadcrumbs(...) }}``… The head tags reuse the
functions of the ``seo`` template library, so both engines share one implementation.
"""

from __future__ import annotations

from typing import Any

from jinja2.runtime import Context
from markupsafe import Markup

from articles.models import Article
from articles.templatetags import reactions
from discography.templatetags import discography_tags
from jinja2 import pass_context
from newsroom.templatetags import seo

ARTIST_NEWS_COUNT = 6


def _include(context: Context, template_name: str, data: dict[str, Any]) -> Markup:
    template = context.environment.get_template(template_name)
    return Markup(template.render(data))  # noqa: S704 - rendered with autoescape


@pass_context
def reactions_block(context: Context, article) -> Markup:
    """Approved reactions and the form under a story."""
    data = reactions.reactions_block(context.get("request"), article)
    return _include(context, "articles/_reactions.html", data)


@pass_context
def artist_news(context: Context, artist, count: int = ARTIST_NEWS_COUNT) -> Markup:
    """The artist's latest published stories in one query, whatever the count.

    A profile lists headlines, not bylines, which keeps the artist page in budget.
    """
    stories = (
        Article.objects.published()
        .about_artist(artist)
        .select_related("section")
        .order_by("-published_at", "-pk")
    )
    data = {"artist": artist, "stories": list(stories[:count]), "hide_byline": True}
    return _include(context, "articles/_artist_news.html", data)


@pass_context
def artist_discography(context: Context, artist) -> Markup:
    """The profile's discography (grouped by kind) and music videos, two queries."""
    data = discography_tags.artist_discography(artist)
    return _include(context, "discography/_artist_discography.html", data)


GLOBALS = {
    "absolute_url": pass_context(seo.absolute_url),
    "artist_discography": artist_discography,
    "artist_news": artist_news,
    "breadcrumbs": pass_context(seo.breadcrumbs),
    "canonical_url": pass_context(seo.canonical_url),
    "largest_hero": seo.largest_hero,
    "reactions_block": reactions_block,
    "story_jsonld": pass_context(seo.story_jsonld),
}
