"""Artist photos and release covers go through core.images and get renditions."""

import pytest
from PIL import Image

from artists.models import Artist
from core import images
from core.renditions import DERIVED_FROM
from discography.models import Release
from tests.artists.factories import ArtistFactory
from tests.artists.images import image_upload

pytestmark = pytest.mark.django_db


def test_a_stored_photo_carries_no_exif_and_records_its_size():
    artist = ArtistFactory(photo=image_upload(exif=True), photo_alt="IU on stage")
    artist.refresh_from_db()
    with artist.photo.open("rb"), Image.open(artist.photo) as stored:
        assert not stored.getexif()
    assert (artist.photo_width, artist.photo_height) == (64, 48)
    # Saving again leaves the stored file alone.
    name = artist.photo.name
    artist.save()
    assert artist.photo.name == name


def test_a_photo_gets_webp_and_jpeg_renditions_right_after_save():
    artist = ArtistFactory(
        photo=image_upload(size=(900, 1200)), photo_alt="IU on stage"
    )
    stored = Artist.objects.get(pk=artist.pk)
    assert stored.photo_renditions == artist.photo_renditions
    own = [e for e in stored.photo_renditions if DERIVED_FROM not in e]
    assert {e["width"] for e in own} == {320, 480, 800, 900}
    # Beside them, the library's focal-point crops for cards (photos.crops).
    assert all(
        e[DERIVED_FROM] == stored.photo.name
        for e in stored.photo_renditions
        if DERIVED_FROM in e
    )
    assert ".webp 320w" in stored.photo.srcset_webp
    assert ".jpg 900w" in stored.photo.srcset_fallback
    assert stored.photo.src.endswith("/w800.jpg")


def test_an_artist_without_a_photo_has_no_renditions():
    artist = ArtistFactory()
    assert artist.photo_renditions == []
    assert artist.photo.src == "" and artist.photo.srcset_webp == ""


def test_a_release_cover_gets_renditions_and_loses_them_with_the_cover():
    release = Release.objects.create(
        title="The Winning", cover=image_upload(size=(600, 600)), cover_alt="Cover"
    )
    own = [e for e in release.cover_renditions if DERIVED_FROM not in e]
    assert {e["width"] for e in own} == {320, 480, 600}
    assert ".webp 600w" in release.cover.srcset_webp
    release.cover = None
    release.save()
    assert Release.objects.get(pk=release.pk).cover_renditions == []


def test_editing_an_artist_does_not_recheck_the_stored_photo(monkeypatch):
    artist = ArtistFactory(photo=image_upload(), photo_alt="IU")
    artist = Artist.objects.get(pk=artist.pk)
    assert (artist.photo_width, artist.photo_height) == (64, 48)
    # Limits tightened later do not block edits of rows with older photos.
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 1)
    artist.full_clean()
