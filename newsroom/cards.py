"""What a card shows as its picture, and when a time reads "2 hours ago".

One answer for every card on the site (home, lists, related, artist index, search):
the story's hero, the artist's photo or the release's cover, with its renditions when
it has them. Templates draw it with ``jinja2/includes/card_picture.html``, which shows
a designed stand-in only when there is no picture at all. Which crop of the photo
library a card box shows is decided here, in one place: the crop of the box's shape
around the photo's focal point, carried in the row's renditions list (no join, no
query), else the whole picture covered by CSS.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from articles.models import Article
from artists.models import Artist
from discography.models import Release
from photos.crops import crop_of_row

# (image field, width field, height field, renditions field, alt field) per kind.
_PICTURES = {
    Article: ("hero_image", "hero_width", "hero_height", "hero_renditions", ""),
    Artist: ("photo", "photo_width", "photo_height", "photo_renditions", "photo_alt"),
    Release: ("cover", "cover_width", "cover_height", "cover_renditions", "cover_alt"),
}
# The size given for a picture whose size is not known (cards crop to their box).
UNKNOWN_SIDE = 400
STAND_IN = {Article: "story", Artist: "person", Release: "disc"}
# Which focal-point crop (photos.crops.CROP_RATIOS) each card box shows, by the
# card's class: the crop nearest the box's CSS aspect-ratio (static/css/site.css),
# then any wider screens that draw the box in another shape. Unlisted boxes are
# square (rails, search hits, artist and member portraits, release covers).
SQUARE = ("1x1", ())
CARD_CROPS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    # Square beside the headline on phones, 16:10 above 36rem (16:9 crop, covered).
    "story-card__image": ("1x1", (("(min-width: 36rem)", "16x9"),)),
    "lead-story__image": ("16x9", ()),
    "body-story-card__image": ("16x9", ()),
}


@dataclass(frozen=True)
class CardSource:
    """A ``<source media=…>`` of a card whose box changes shape with the screen."""

    media: str
    srcset_webp: str
    srcset_fallback: str
    width: int
    height: int


@dataclass(frozen=True)
class CardImage:
    src: str
    srcset_webp: str
    srcset_fallback: str
    width: int
    height: int
    sources: tuple[CardSource, ...] = ()
    is_cropped: bool = False


def card_image(item: Any, box: str = "") -> CardImage | None:
    """The picture of a story, artist or release for the card box ``box`` (its CSS
    class): the photo library's crop around the focal point when the row carries it
    (photos.fields.carried_renditions: read from the row, no query), else the whole
    picture's renditions, covered by CSS. None when it has no picture (or its file
    cannot be addressed: a card never fails over a picture)."""
    fields = _PICTURES.get(type(item))
    if fields is None:
        return None
    image_name, width_name, height_name, renditions_name, _alt = fields
    image = getattr(item, image_name, None)
    if not image:
        return None
    listed = getattr(item, renditions_name, None)
    ratio, wider = CARD_CROPS.get(box, SQUARE)
    try:
        crop = crop_of_row(listed, image.name, ratio)
        if crop:
            sources = []
            for media, other_ratio in wider:
                other = crop_of_row(listed, image.name, other_ratio)
                if other:
                    sources.append(
                        CardSource(
                            media=media,
                            srcset_webp=other.srcset_webp,
                            srcset_fallback=other.srcset_fallback,
                            width=other.width,
                            height=other.height,
                        )
                    )
            return CardImage(
                src=crop.src,
                srcset_webp=crop.srcset_webp,
                srcset_fallback=crop.srcset_fallback,
                width=crop.width,
                height=crop.height,
                sources=tuple(sources),
                is_cropped=True,
            )
        if listed:
            src, webp, fallback = image.src, image.srcset_webp, image.srcset_fallback
        else:
            src, webp, fallback = image.url, "", ""
    except (ValueError, OSError):
        return None
    width, height = getattr(item, width_name, None), getattr(item, height_name, None)
    if not (width and height):  # not measured yet: the card's box is square
        width = height = UNKNOWN_SIDE
    return CardImage(
        src=src, srcset_webp=webp, srcset_fallback=fallback, width=width, height=height
    )


def stand_in_kind(item: Any) -> str:
    """Which stand-in a card without a picture draws: story, person or disc."""
    if isinstance(item, Artist) and item.kind == Artist.Kind.GROUP:
        return "group"
    return STAND_IN.get(type(item), "story")


FRESH_FOR = datetime.timedelta(hours=24)


def is_fresh(moment: datetime.datetime | None, now=None) -> bool:
    """Published within the last day: shown as "2 hours ago"."""
    if not isinstance(moment, datetime.datetime):
        return False
    age = (now or timezone.now()) - moment
    return datetime.timedelta(0) <= age < FRESH_FOR


def time_ago(moment: datetime.datetime, now=None) -> str:
    """ "just now", "1 minute ago", "5 hours ago" (static/js/site.js says the same)."""
    seconds = max(0, int(((now or timezone.now()) - moment).total_seconds()))
    if seconds < 60:
        return "just now"
    minutes = seconds // 60
    if minutes < 60:
        return "1 minute ago" if minutes == 1 else f"{minutes} minutes ago"
    hours = minutes // 60
    return "1 hour ago" if hours == 1 else f"{hours} hours ago"
