"""The demo's finished live story: a comeback showcase night, as the desk covered it.

Written in the project's own words from the public facts of shared/domain.md (the
showcase itself is invented for the demo). Safe to run again: the story is found by
its slug, entries by their text, and coverage is started and ended only once.
"""

from __future__ import annotations

import datetime
import io

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from articles import live, services
from articles.demo import DESK_USERNAME
from articles.models import Article, Author, Byline, LiveEntry, Section
from articles.social_demo import DEMO_POST_URLS
from artists.models import Artist
from discography.models import Release
from photos import demo_art

SLUG = "live-iu-the-winning-showcase-night"
STARTS = datetime.datetime(2024, 2, 20, 19, 0, tzinfo=datetime.UTC)

# The entry posted with a photo (minutes after the start).
PHOTO_AT = 66
PHOTO_ALT = "Paper confetti in lilac and silver falling over a dark stage"
PHOTO_CAPTION = "Confetti during \u201cStan U\u201d. Illustration: Newsroom"

# (minutes after the start, text, key event title, pinned)
ENTRIES = [
    (
        0,
        "<p>Good evening from the showcase hall in Seoul. The lights are down and "
        "the fan chant for IU has already started twice. We will post every moment "
        "of the night here.</p>",
        "",
        False,
    ),
    (
        6,
        "<p>The stage screen counts down from ten. Fans hold up lilac light "
        "sticks, a nod to the 2021 album that many of them first met her through.</p>",
        "",
        False,
    ),
    (
        11,
        "<p>IU opens with \u201cShopper\u201d, the title track of The Winning, in a "
        "silver suit. The dance break gets the loudest cheer of the night so far.</p>",
        "Opening: \u201cShopper\u201d",
        False,
    ),
    (
        19,
        "<p>She stops to talk: the mini album is about holding on to what you love "
        "when the world feels hostile, she says, and each of the five tracks looks at "
        "that from another side.</p>",
        "",
        False,
    ),
    (
        27,
        "<p>\u201cHolssi\u201d next. The choreography is built around a single "
        "chair, passed between the dancers.</p>",
        "",
        False,
    ),
    (
        35,
        "<p>Fans online are already sharing clips of the first songs.</p>"
        f"<p>{DEMO_POST_URLS[0]}</p>",
        "",
        False,
    ),
    (
        42,
        "<p>The screen shows the \u201cLove wins all\u201d video, pre-released in "
        "January. IU says the December shoot was the coldest of her career and thanks "
        "the director, Um Tae-hwa, and V for their patience on set.</p>",
        "IU thanks Um Tae-hwa and V",
        False,
    ),
    (
        50,
        "<p>\u201cShh..\u201d is performed live for the first time. On the record it "
        "features Hyein of NewJeans; tonight the hall sings her part.</p>",
        "First live \u201cShh..\u201d",
        False,
    ),
    (
        58,
        "<p>A short talk about DPR IAN, who worked on the album as a featured "
        "artist. IU calls the session \u201cthe calmest studio night of the year\u201d."
        "</p>",
        "",
        False,
    ),
    (
        66,
        "<p>Photo from the hall: confetti in the last chorus of \u201cStan U\u201d, "
        "the album's closing track.</p><figure><figcaption>Confetti falls over the "
        "stage during \u201cStan U\u201d. (Photo: Newsroom)</figcaption></figure>",
        "",
        False,
    ),
    (
        72,
        "<p>Encore: \u201cLove wins all\u201d, sung from the middle of the floor. "
        "That is the end of the showcase.</p>",
        "Encore: \u201cLove wins all\u201d",
        False,
    ),
    (
        80,
        "<p>That's all from us tonight. The Winning is out now on every platform; "
        "our review follows tomorrow. Thank you for following along.</p>",
        "",
        True,
    ),
]


def _confetti_picture() -> ContentFile:
    """A generated picture (no third-party photo): confetti over a stage, 1200×675."""
    image = Image.new("RGB", (1200, 675), (18, 12, 34))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 520, 1200, 675], fill=(40, 30, 60))
    for n in range(420):
        x, y = (n * 7919) % 1200, (n * 104729) % 560
        colour = ((200, 170, 230), (220, 220, 235), (190, 120, 220))[n % 3]
        draw.rectangle([x, y, x + 9, y + 5], fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return ContentFile(out.getvalue(), name="showcase-confetti.jpg")


def _as_editor(user):
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def load() -> str:
    """Create or complete the finished live story of the showcase night."""
    desk = _as_editor(get_user_model().objects.get(username=DESK_USERNAME))
    story = Article.objects.filter(slug=SLUG).first()
    if story is None:
        story = Article.objects.create(
            slug=SLUG,
            headline="Live: IU presents The Winning at her comeback showcase",
            dek="Five songs, a story about a frozen video shoot and an encore in "
            "the middle of the floor: the night as it happened.",
            body="<p>IU presented her mini album The Winning to fans at a showcase "
            "on release night. Our updates from the hall, newest first.</p>",
            section=Section.objects.filter(slug="news").first(),
            created_by=desk,
        )
        story.tags.set(["IU", "The Winning", "Live"])
        story.artists.set(Artist.objects.filter(slug__in=["iu", "v", "hyein"]))
        story.releases.set(Release.objects.filter(slug="the-winning"))
        author = Author.objects.filter(display_name="Mina Seo").first()
        if author:
            Byline.objects.get_or_create(article=story, author=author)
    if not story.hero_photo_id:
        story.hero_photo = demo_art.demo_photo(
            f"story:{SLUG}",
            lambda: demo_art.poster(f"story:{SLUG}"),
            alt="An abstract poster: a pale sun in rings of light over bands of colour",
            caption="An illustration made for the demo story.",
        )
        story.save()
    if not story.is_live:
        services.publish_article(article=story, by=desk, at=STARTS)
    if not story.is_live_blog:
        live.start_live_coverage(article=story, by=desk, at=STARTS)
    posted = set(LiveEntry.objects.filter(article=story).values_list("body", flat=True))
    for minutes, body, key_title, pinned in ENTRIES:
        cleaned = live.sanitize_body(body)
        if cleaned in posted:
            continue
        photo = {}
        if minutes == PHOTO_AT:
            photo = {
                "photo": _confetti_picture(),
                "photo_alt": PHOTO_ALT,
                "photo_caption": PHOTO_CAPTION,
            }
        entry = live.post_live_entry(
            article=story,
            by=desk,
            body=body,
            is_key_event=bool(key_title),
            key_title=key_title,
            is_pinned=pinned,
            **photo,
        )
        when = STARTS + datetime.timedelta(minutes=minutes)
        # Dated as the night happened (the services date entries "now").
        LiveEntry.objects.filter(pk=entry.pk).update(created_at=when, updated_at=when)
    if story.is_covered_live:
        story = Article.objects.get(pk=story.pk)
        end = STARTS + datetime.timedelta(minutes=ENTRIES[-1][0] + 5)
        live.end_live_coverage(article=story, by=desk, at=min(end, timezone.now()))
    return f"1 finished live story, {len(ENTRIES)} entries"
