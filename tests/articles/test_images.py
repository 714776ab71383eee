import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles import images
from articles.forms import ArticleAdminForm
from tests.articles.factories import ArticleFactory, image_file

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "hero.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims huge dimensions: a decompression bomb's calling card."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    raw = zlib.compress(b"\x00" * 64)
    idat = b"IDAT" + raw
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", len(raw)) + idat + struct.pack(">I", zlib.crc32(idat))
        + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    )  # fmt: skip


def codes(data: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        images.check_image(upload(data))
    return error.value.code


def test_text_pretending_to_be_an_image_is_refused():
    assert codes(b"<?php echo 'hi'; ?>") == "invalid_image"


def test_a_truncated_image_is_refused():
    assert codes(image_file(800, 450)[:400]) == "invalid_image"


def test_a_too_large_file_is_refused(monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 1000)
    assert codes(image_file(800, 450)) == "too_large"


def test_a_decompression_bomb_is_refused_before_decoding():
    assert codes(png_header_only(50_000, 50_000)) == "too_many_pixels"
    # Under Pillow's own limit but over ours (40 MP): refused from the header alone.
    assert codes(png_header_only(8_000, 6_000)) == "too_many_pixels"


def test_a_tiny_image_is_refused():
    assert codes(image_file(100, 100)) == "too_small"


def test_a_real_image_passes():
    checked = images.check_image(upload(image_file(800, 450)))
    assert (checked.width, checked.height, checked.format) == (800, 450, "JPEG")


def test_upload_is_reencoded_without_exif_or_gps():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    gps = exif.get_ifd(0x8825)  # GPSInfo
    gps[1], gps[2] = "N", (37.0, 33.0, 0.0)
    data = image_file(800, 450, exif=exif.tobytes())
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif()
    cleaned = images.clean_upload(upload(data), "holiday photo.jpg")
    with Image.open(io.BytesIO(cleaned.read())) as result:
        assert not result.getexif()
    assert cleaned.name == "holiday photo.jpg"


def test_renditions_at_several_widths_with_webp_and_no_exif():
    story = ArticleFactory(with_hero=True)  # 1000 px wide
    widths = [r["width"] for r in story.hero_renditions]
    assert widths == [480, 800, 1000]
    for rendition in story.hero_renditions:
        for key in ("fallback", "webp"):
            with default_storage.open(rendition[key]) as f, Image.open(f) as image:
                assert image.width == rendition["width"]
                assert not image.getexif()
        assert rendition["webp"].endswith(".webp")
    assert "480w" in story.hero_srcset_webp


def test_renditions_are_not_rebuilt_on_every_save(monkeypatch):
    story = ArticleFactory(with_hero=True)
    monkeypatch.setattr(
        "articles.models.article.make_renditions",
        lambda f: pytest.fail("renditions rebuilt"),
    )
    story.headline = "Edited"
    story.save()


def test_admin_form_requires_alt_text_with_an_image():
    form = ArticleAdminForm(
        data={"headline": "With image", "body": "<p>x</p>"},
        files={"hero_image": upload(image_file(800, 450))},
    )
    assert not form.is_valid()
    assert "hero_alt" in form.errors


def test_admin_form_refuses_a_non_image():
    form = ArticleAdminForm(
        data={"headline": "With image", "hero_alt": "alt"},
        files={"hero_image": upload(b"not an image at all")},
    )
    assert not form.is_valid()
    assert "hero_image" in form.errors


def test_removing_the_image_clears_renditions():
    story = ArticleFactory(with_hero=True)
    story.hero_image = None
    story.save()
    assert story.hero_renditions == []


def test_content_file_validator_runs_on_model_clean():
    story = ArticleFactory.build(
        hero_image=ContentFile(b"nope", name="x.jpg"), hero_alt="alt"
    )
    with pytest.raises(ValidationError):
        story.full_clean(exclude=["section", "created_by"])
