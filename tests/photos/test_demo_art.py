"""The demo content's pictures: drawn locally, stored once in the library with
credits, alt text and a focal point, and shown cropped on the demo's pages."""

import re

import pytest
from django.core.management import call_command

from articles.models import Article
from artists.models import Artist
from discography.models import Release
from newsroom import cards
from photos import demo_art
from photos.models import Photo

pytestmark = pytest.mark.django_db


def test_the_same_key_draws_the_same_picture_and_keys_differ():
    first, x, y = demo_art.portrait("artist:iu")
    again, *_ = demo_art.portrait("artist:iu")
    other, *_ = demo_art.portrait("artist:v")
    assert first.tobytes() == again.tobytes() != other.tobytes()
    assert 0 < x < 1 and 0 < y < 1
    group, gx, gy = demo_art.portrait("artist:bts", people=7)
    assert group.size == demo_art.STORY_SIZE and 0 < gy < 1
    poster, px, py = demo_art.poster("story:x")
    assert poster.size == demo_art.STORY_SIZE and 0 < px < 1 and 0 < py < 1


def test_demo_content_gets_credited_pictures_once_and_pages_show_their_crops(client):
    call_command("load_demo", verbosity=0)
    photos = Photo.objects.count()
    call_command("load_demo", verbosity=0)  # idempotent: no second copy
    assert Photo.objects.count() == photos
    rows = [
        *Artist.objects.all(),
        *Release.objects.filter(slug="the-winning"),
        *Article.objects.published(),
    ]
    fields = {Artist: "library_photo", Release: "cover_photo", Article: "hero_photo"}
    names = [fields[type(row)] for row in rows]
    for row, name in zip(rows, names, strict=True):
        photo = getattr(row, name)
        assert photo is not None, row
        assert photo.credit and photo.alt_text and not photo.missing_rights
        assert cards.card_image(row, "artist-card__picture").is_cropped, row
    shown = [getattr(row, f"{name}_id") for row, name in zip(rows, names, strict=True)]
    assert len(set(shown)) == len(rows)  # each its own picture
    lead = Article.objects.get(is_featured=True)
    assert lead.hero_photo.alt_text.startswith("An abstract illustration of rings")
    iu = Artist.objects.get(slug="iu").library_photo
    assert (iu.focal_x, iu.focal_y) != (0.5, 0.5)  # the face, not the middle
    for url in ("/", "/artists/", "/artists/bts/", "/albums/the-winning/"):
        response = client.get(url)
        assert response.status_code == 200
        pictures = re.findall(r'<img src="([^"]+)"', response.content.decode())
        assert any("/crops/" in src for src in pictures), url
