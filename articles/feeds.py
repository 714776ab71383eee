"""RSS 2.0 and Atom feeds of published stories: latest, per artist, per tag.

Each item carries the headline, link, dek, authors, categories (section and tags),
publication and update dates, and the hero image as a Media RSS ``media:content``
element (an RSS ``<enclosure>`` needs the file's byte length, which would cost a
storage request per item).

Headlines, deks and names are plain text, and go out as text: RSS readers render a
title and a description as HTML, so the generator escapes them once more; Atom says
``type="text"``. A dek typed as ``<img src=x onerror=…>`` shows as those characters
in a reader, never as markup it runs.
"""

from __future__ import annotations

import html

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from taggit.models import Tag

from articles.models import Article, Byline, LiveEntry
from artists.models import Artist

FEED_LENGTH = 30
MEDIA_NS = "http://search.yahoo.com/mrss/"


class _MediaMixin:
    """One Media RSS ``media:content`` per item with an image."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        image = item.get("hero")
        if image:
            handler.addQuickElement(
                "media:content",
                "",
                {
                    "url": image["url"],
                    "medium": "image",
                    "type": image["type"],
                    "width": str(image["width"]),
                    "height": str(image["height"]),
                },
            )


def _as_rss_text(text: str | None) -> str | None:
    """Plain text for an RSS element that readers render as HTML (titles and
    descriptions): escaped, so the reader shows the characters instead of markup."""
    return None if text is None else html.escape(str(text), quote=False)


class MediaRssFeed(_MediaMixin, Rss201rev2Feed):
    """RSS 2.0 from plain text: the channel's and items' titles and descriptions are
    escaped here, in one place, whatever the feed class passes in."""

    def __init__(self, title, link, description, **kwargs):
        super().__init__(_as_rss_text(title), link, _as_rss_text(description), **kwargs)

    def add_item(self, title, link, description, **kwargs):
        super().add_item(_as_rss_text(title), link, _as_rss_text(description), **kwargs)

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS}


class MediaAtomFeed(_MediaMixin, Atom1Feed):
    """Atom from plain text: titles are Atom's default ``type="text"``, and the
    summary (Django writes it as ``type="html"``) says ``type="text"`` too."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary:
            handler.addQuickElement("summary", summary, {"type": "text"})


def feed_stories() -> QuerySet:
    """Published stories with what an item shows fetched up front (four queries)."""
    return (
        Article.objects.published()
        .select_related("section")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            "tags",
        )
        .defer("body", "search_vector")
        # A live story stays one item; its updated date follows its latest entry.
        .annotate(
            latest_entry_at=Subquery(
                LiveEntry.objects.filter(article=OuterRef("pk"))
                .order_by("-updated_at")
                .values("updated_at")[:1]
            )
        )
        .order_by("-published_at", "-pk")
    )


class LatestStoriesFeed(Feed):
    """The newest published stories, for readers' feed apps and aggregators."""

    feed_type = MediaRssFeed
    description_template = None

    @classmethod
    def as_view(cls):
        """A fresh feed per request, so ``self.request`` is never shared by threads."""

        def view(request, *args, **kwargs):
            feed = cls()
            feed.request = request
            return feed(request, *args, **kwargs)

        return view

    def title(self, obj=None) -> str:
        return f"{settings.SITE_NAME}: latest stories"

    def link(self, obj=None) -> str:
        return reverse("home")

    def feed_url(self, obj=None) -> str:
        return reverse("feeds:latest")

    def description(self, obj=None) -> str:
        return f"The newest stories from {settings.SITE_NAME}."

    def items(self, obj=None):
        return feed_stories()[:FEED_LENGTH]

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_description(self, item: Article) -> str:
        return item.dek or item.headline

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item: Article) -> str | None:
        names = [byline.author.display_name for byline in item.bylines.all()]
        return ", ".join(names) or None

    def item_categories(self, item: Article) -> list[str]:
        names = [item.section.name] if item.section else []
        return names + [tag.name for tag in item.tags.all()]

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return max(
            filter(None, [item.updated_at, item.published_at, item.latest_entry_at])
        )

    def item_extra_kwargs(self, item: Article) -> dict:
        largest = item.hero_image.largest
        if largest is None:
            return {}
        url = largest["url"]
        return {
            "hero": {
                "url": self.request.build_absolute_uri(url),
                "type": "image/png" if url.endswith(".png") else "image/jpeg",
                "width": largest["width"],
                "height": largest["height"],
            }
        }


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = MediaAtomFeed
    subtitle = LatestStoriesFeed.description

    def feed_url(self, obj=None) -> str:
        return reverse("feeds:latest_atom")


class ArtistStoriesFeed(LatestStoriesFeed):
    """Stories about one artist, linked from the artist's profile."""

    def get_object(self, request: HttpRequest, slug: str) -> Artist:
        return get_object_or_404(Artist, slug=slug)

    def title(self, obj: Artist) -> str:
        return f"{obj.name} · {settings.SITE_NAME}"

    def link(self, obj: Artist) -> str:
        return obj.get_absolute_url()

    def feed_url(self, obj: Artist) -> str:
        return reverse("artists:feed", kwargs={"slug": obj.slug})

    def description(self, obj: Artist) -> str:
        return f"The newest stories about {obj.name} from {settings.SITE_NAME}."

    def items(self, obj: Artist):
        return feed_stories().about_artist(obj)[:FEED_LENGTH]


class TagStoriesFeed(LatestStoriesFeed):
    """Stories with one tag."""

    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj: Tag) -> str:
        return f"Tagged “{obj.name}” · {settings.SITE_NAME}"

    def link(self, obj: Tag) -> str:
        return reverse("articles:tag", kwargs={"slug": obj.slug})

    def feed_url(self, obj: Tag) -> str:
        return reverse("articles:tag_feed", kwargs={"slug": obj.slug})

    def description(self, obj: Tag) -> str:
        return f"The newest stories tagged “{obj.name}” from {settings.SITE_NAME}."

    def items(self, obj: Tag):
        return feed_stories().filter(tags=obj)[:FEED_LENGTH]
