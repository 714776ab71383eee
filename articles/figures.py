"""Figures in a story's body, as readers get them: library photos and galleries
(rendered by :mod:`photos.figures`) and related-story cards,
``<figure data-story="ID"></figure>``: a link card (picture, headline, dek) to a
published story, or nothing once it is not published any more.

All photos a body names come in one query and all stories in another, so a page
costs the same with one picture or a gallery of thirty.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import Article
from photos import chooser, usage
from photos.figures import (
    FIGURE_REFERENCE,
    gallery_figure,
    load_photos,
    parse_ids,
    photo_figure,
    references,
)


def render_figures(html: str, *, hero_shown: bool = True) -> str:
    """``html`` (already sanitized) with every figure reference rendered."""
    if "<figure data-" not in html:
        return html
    photos = load_photos(references(html, "photo"))
    story_ids = references(html, "story")
    stories = (
        {
            story.pk: story
            for story in Article.objects.published()
            .filter(pk__in=story_ids)
            .select_related("section")
        }
        if story_ids
        else {}
    )
    # The first figure of a story without a hero is near the top: it loads at once;
    # every other body picture is below the fold and loads lazily.
    first_eager = [not hero_shown]

    def figure(match: re.Match[str]) -> str:
        kind, ids = match[1], parse_ids(match[2])
        eager, first_eager[0] = first_eager[0], False
        if kind == "photo":
            photo = photos.get(ids[0]) if ids else None
            return photo_figure(photo, eager=eager) if photo else ""
        if kind == "gallery":
            return gallery_figure([photos[pk] for pk in ids if pk in photos])
        story = stories.get(ids[0]) if ids else None
        return story_card(story) if story else ""

    return FIGURE_REFERENCE.sub(figure, html)


def story_card(story: Article) -> str:
    return render_to_string("articles/_body_story_card.html", {"story": story})


# --- what the photo desk asks of stories ------------------------------------------


def _reference_pattern(photo_id: int) -> str:
    """A regex for a body naming ``photo_id`` in a photo or gallery figure."""
    return rf'data-(photo|gallery)="([0-9,]*,)?{int(photo_id)}(,[0-9,]*)?"'


def stories_using_photo(photo_id: int) -> list[usage.Use]:
    """Stories whose body shows the photo (the hero is a foreign key: found there)."""
    stories = Article.objects.filter(
        Q(body__contains=f"{int(photo_id)}")
        & Q(body__regex=_reference_pattern(photo_id))
    ).only("pk", "headline")[:50]
    return [
        usage.Use("story body", story.headline, usage.admin_url_of(story))
        for story in stories
    ]


def search_published_stories(words: str, limit: int) -> list[dict]:
    """Published stories for the related-story card chooser, newest first."""
    stories = Article.objects.published().order_by("-published_at", "-pk")
    for word in words.split()[:6]:
        stories = stories.filter(headline__icontains=word)
    return [
        {
            "id": story.pk,
            "headline": story.headline,
            "dek": story.dek,
            "thumbnail": story.hero_image.renditions.smallest_url
            if story.hero_image
            else "",
            "url": reverse("articles:detail", kwargs={"slug": story.slug}),
        }
        for story in stories.only(
            "pk", "headline", "dek", "slug", "hero_image", "hero_renditions"
        )[:limit]
    ]


def register() -> None:
    """Tell the photo desk about stories (called from ArticlesConfig.ready)."""
    usage.register_usage_finder(stories_using_photo)
    chooser.register_story_search(search_published_stories)
