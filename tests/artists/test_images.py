import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from artists import images
from artists.images import reencode_without_metadata, validate_image
from artists.models import Artist
from tests.artists.factories import ArtistFactory
from tests.artists.images import image_bytes, image_upload


def test_a_real_jpeg_png_or_webp_passes():
    for image_format in ["JPEG", "PNG", "WEBP"]:
        validate_image(image_upload(image_format=image_format))


def test_a_text_file_named_jpg_is_refused_with_a_clear_message():
    upload = SimpleUploadedFile("photo.jpg", b"not an image at all")
    with pytest.raises(ValidationError, match="not an image or is damaged"):
        validate_image(upload)


def test_a_truncated_image_is_refused():
    data = image_bytes(size=(200, 200), image_format="PNG")
    with pytest.raises(ValidationError, match="not an image or is damaged"):
        validate_image(SimpleUploadedFile("cut.png", data[: len(data) // 2]))


def test_other_image_formats_are_refused():
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        validate_image(image_upload("anim.gif", image_format="GIF"))


def test_a_file_over_the_byte_cap_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 100)
    with pytest.raises(ValidationError, match="the limit is"):
        validate_image(image_upload(size=(300, 300)))


def test_an_image_over_the_pixel_cap_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_IMAGE_PIXELS", 100)
    with pytest.raises(ValidationError, match="million pixels"):
        validate_image(image_upload(size=(20, 20)))


def test_a_decompression_bomb_is_refused(monkeypatch):
    # Pillow's own guard (warning, then error at twice the limit) becomes our error.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    for size in [(40, 40), (100, 100)]:
        with pytest.raises(ValidationError, match="too many pixels"):
            validate_image(image_upload(size=size, image_format="PNG"))


def test_reencoding_drops_exif():
    upload = image_upload(exif=True)
    with Image.open(io.BytesIO(upload.read())) as original:
        assert original.getexif()
    data, image_format = reencode_without_metadata(upload)
    with Image.open(io.BytesIO(data)) as clean:
        assert image_format == "JPEG"
        assert not clean.getexif()
        assert clean.size == (64, 48)


@pytest.mark.django_db
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


def test_reencoding_scales_down_very_large_images(monkeypatch):
    monkeypatch.setattr(images, "MAX_STORED_EDGE", 32)
    data, _ = reencode_without_metadata(image_upload(size=(64, 48), image_format="PNG"))
    with Image.open(io.BytesIO(data)) as clean:
        assert clean.size == (32, 24)


def test_reencoding_turns_a_photo_upright():
    upload = image_upload(size=(60, 20))
    with Image.open(upload) as original:
        exif = original.getexif()
        exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
        buffer = io.BytesIO()
        original.save(buffer, format="JPEG", exif=exif.tobytes())
    data, _ = reencode_without_metadata(io.BytesIO(buffer.getvalue()))
    with Image.open(io.BytesIO(data)) as clean:
        assert clean.size == (20, 60)
        assert not clean.getexif()


@pytest.mark.django_db
def test_editing_an_artist_does_not_recheck_the_stored_photo(monkeypatch):
    artist = ArtistFactory(photo=image_upload(), photo_alt="IU")
    artist = Artist.objects.get(pk=artist.pk)
    assert (artist.photo_width, artist.photo_height) == (64, 48)
    # Limits tightened later do not block edits of rows with older photos.
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 1)
    artist.full_clean()
