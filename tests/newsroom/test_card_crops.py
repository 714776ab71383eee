"""Cards show the photo library's crop of their shape around the focal point, read
from the row itself: no join, no query per card."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from artists.models import Artist
from core.renditions import DERIVED_FROM
from newsroom import cards
from tests.articles.factories import ArticleFactory, ArtistFactory
from tests.discography.factories import ReleaseFactory
from tests.photos.factories import make_photo

pytestmark = pytest.mark.django_db


def crop_names(srcset: str) -> list[str]:
    return [part.split()[0].rsplit("/", 1)[-1] for part in srcset.split(", ") if part]


def test_a_story_card_shows_square_and_wide_crops_around_the_focal_point():
    photo = make_photo(width=1200, height=600, focal_x=0.8, focal_y=0.25)
    story = ArticleFactory(published=True, hero_photo=photo)
    story.refresh_from_db()
    picture = cards.card_image(story, "story-card__image")
    assert picture.is_cropped
    assert picture.width == picture.height  # square beside the headline on phones
    assert all(
        name.startswith("1x1-f80x25-") for name in crop_names(picture.srcset_webp)
    )
    (wide,) = picture.sources
    assert wide.media == "(min-width: 36rem)"
    assert all(name.startswith("16x9-f80x25-") for name in crop_names(wide.srcset_webp))
    # The story page's own hero still shows the whole picture, never a crop.
    assert "crops/" not in story.hero_image.srcset_webp + story.hero_image.src


def test_moving_the_focal_point_gives_every_card_the_new_crop():
    photo = make_photo(width=900, height=600)
    artist = Artist.objects.create(name="IU", slug="iu", library_photo=photo)
    release = ReleaseFactory(cover_photo=photo)
    photo.focal_x, photo.focal_y = 0.1, 0.9
    photo.save()
    for row in (
        Artist.objects.get(pk=artist.pk),
        type(release).objects.get(pk=release.pk),
    ):
        picture = cards.card_image(row, "artist-card__picture")
        assert picture.is_cropped
        assert all(
            name.startswith("1x1-f10x90-") for name in crop_names(picture.srcset_webp)
        )


def test_a_row_without_crops_shows_its_whole_picture_and_none_shows_the_stand_in():
    story = ArticleFactory(published=True, with_hero=True)
    story.hero_renditions = [e for e in story.hero_renditions if DERIVED_FROM not in e]
    picture = cards.card_image(story, "story-card__image")
    assert picture.src == story.hero_image.src and not picture.is_cropped
    assert cards.card_image(ArtistFactory(), "artist-card__picture") is None


def test_another_files_crops_are_never_shown():
    story = ArticleFactory(published=True, with_hero=True)
    stale = [e | {DERIVED_FROM: "photos/old.jpg"} for e in story.hero_renditions]
    story.hero_renditions = stale
    assert not cards.card_image(story, "story-card__image").is_cropped


def pictures_in(html: str) -> list[str]:
    return re.findall(r'<img src="([^"]+)"', html)


@pytest.mark.parametrize(
    ("url", "make"),
    [
        (
            "/",
            lambda n: ArticleFactory(published=True, with_hero=True, headline=f"S{n}"),
        ),
        (
            "/artists/",
            lambda n: ArtistFactory(library_photo=make_photo(), name=f"A{n}"),
        ),
        (
            "/search/?q=sunrise",
            lambda n: ArticleFactory(
                published=True, with_hero=True, headline=f"Sunrise {n}"
            ),
        ),
    ],
)
def test_pages_show_crops_with_no_query_per_card(client, url, make):
    make(0)
    make(1)
    assert client.get(url).status_code == 200  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    for n in range(2, 6):
        make(n)
    with CaptureQueriesContext(connection) as more:
        response = client.get(url)
    assert response.status_code == 200
    assert len(more) == len(few)
    cropped = [
        src for src in pictures_in(response.content.decode()) if "/crops/" in src
    ]
    assert len(cropped) >= 5


def test_a_refresh_of_a_rows_own_renditions_keeps_the_crops_it_carries():
    from core.tasks import refresh_image_renditions

    story = ArticleFactory(with_hero=True)
    crops = [e for e in story.hero_renditions if DERIVED_FROM in e]
    assert crops
    refresh_image_renditions.enqueue("articles", "article", story.pk, "hero_image")
    story.refresh_from_db()
    assert [e for e in story.hero_renditions if DERIVED_FROM in e] == crops
