"""Uploads through the admin forms, judged by what readers receive.

A JPEG carrying EXIF with a GPS position (as a phone writes it) is uploaded as a
story's hero and as an artist's photo; every image URL on the public page (img src,
srcset, picture sources, og:image, JSON-LD) is opened and must carry no EXIF, no GPS
and no camera data. Files that are not images, too large in bytes or pixels, or
decompression bombs are refused with a form error and nothing is saved.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image

from articles.models import Article
from artists.models import Artist
from newsroom.groups import EDITORS
from tests.articles.factories import ArticleFactory, UserFactory
from tests.articles.test_admin import form_data

pytestmark = pytest.mark.django_db

GPS = ExifTags.IFD.GPSInfo
SECRET_MAKE = "SpyCam 3000"
SECRET_SERIAL = "SN-0042-SECRET"


def jpeg_with_gps(width: int = 1600, height: int = 900) -> bytes:
    """A phone-like JPEG: camera make, serial number, and a GPS position in Seoul."""
    image = Image.new("RGB", (width, height), (40, 120, 200))
    for x in range(0, width, 50):  # some detail, so renditions are real JPEGs
        image.paste((250, 200, 10), (x, 0, x + 10, height))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = SECRET_MAKE
    exif[ExifTags.Base.Model] = "Model X"
    exif[ExifTags.Base.BodySerialNumber] = SECRET_SERIAL
    exif[ExifTags.Base.Orientation] = 1
    exif[GPS] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (37.0, 33.0, 59.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (126.0, 58.0, 41.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS), "fixture lacks GPS"
    return data


def png_bytes(width: int, height: int, mode: str = "1") -> bytes:
    """A PNG whose few bytes decode to ``width`` x ``height`` pixels."""
    out = io.BytesIO()
    Image.new(mode, (width, height)).save(out, "PNG", optimize=True)
    return out.getvalue()


def media_urls(page: str) -> set[str]:
    """Every media URL the page points readers at."""
    text = html.unescape(page)
    found = set()
    for value in re.findall(r'(?:src|srcset|content)="([^"]+)"', text):
        for candidate in value.split(","):
            url = candidate.strip().split(" ")[0]
            if settings.MEDIA_URL in url:
                found.add(url)
    found |= set(re.findall(rf"\"({re.escape(settings.MEDIA_URL)}[^\"\s,]+)", text))
    found |= set(
        re.findall(rf'https?://[^"\s]+{re.escape(settings.MEDIA_URL)}[^"\s,]+', text)
    )
    return found


def media_path(url: str) -> Path:
    relative = unquote(url.split(settings.MEDIA_URL, 1)[1])
    return Path(settings.MEDIA_ROOT) / relative


def assert_no_metadata(url: str) -> None:
    path = media_path(url)
    data = path.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        exif = image.getexif()
        assert not exif.get_ifd(GPS), f"GPS in {url}"
        assert ExifTags.Base.Make not in exif, f"camera make in {url}"
        assert not image.info.get("exif"), f"EXIF block in {url}"
        assert not image.info.get("xmp"), f"XMP in {url}"
    assert SECRET_SERIAL.encode() not in data and SECRET_MAKE.encode() not in data


@pytest.fixture
def editor_client(client):
    user = UserFactory(username="eun-editor")
    user.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(user)
    return client


def management_forms(page: str) -> dict[str, str]:
    """The inline formsets' management data of an admin add/change page, empty."""
    data = {}
    for prefix in set(re.findall(r'name="([^"]+)-TOTAL_FORMS"', page)):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def post_artist(client, upload: SimpleUploadedFile, slug: str = "iu"):
    url = reverse("admin:artists_artist_add")
    data = management_forms(client.get(url).content.decode()) | {
        "name": "IU",
        "native_name": "아이유",
        "sort_name": "IU",
        "slug": slug,
        "kind": Artist.Kind.PERSON,
        "photo": upload,
        "photo_alt": "IU on stage",
        "photo_credit": "Press photo",
    }
    return client.post(url, data)


def post_hero(client, story: Article, upload: SimpleUploadedFile):
    """Upload through the story form's picture chooser (it adds to the photo
    library, issue 18), then choose that photo as the hero; the chooser's answer
    when it refuses the file."""
    added = client.post(
        reverse("admin:photos_photo_chooser_upload"),
        {
            "file": upload,
            "alt_text": "A stage in blue and gold",
            "caption": "The stage",
            "credit": "Press photo",
            "usage_kind": "agency",
        },
    )
    if added.status_code != 201:
        return added
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(story, hero_photo=added.json()["photo"]["id"])
    return client.post(url, data)


def jpeg_upload(data: bytes, name: str = "phone-photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_story_hero_reaches_readers_without_exif_or_gps(client, editor_client):
    story = ArticleFactory(published=True, slug="stage-story")
    response = post_hero(editor_client, story, jpeg_upload(jpeg_with_gps()))
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    page = client.get(story.get_absolute_url()).content.decode()
    urls = media_urls(page)
    assert len(urls) >= 3, urls  # src, the JPEG and WebP srcsets, og:image
    assert any(u.endswith(".webp") for u in urls) and any(
        u.endswith(".jpg") for u in urls
    )
    for url in urls:
        assert_no_metadata(url)
    story.refresh_from_db()
    assert_no_metadata(settings.MEDIA_URL + story.hero_image.name)


def test_artist_photo_reaches_readers_without_exif_or_gps(client, editor_client):
    response = post_artist(editor_client, jpeg_upload(jpeg_with_gps()))
    assert response.status_code == 302, response.content.decode()[:2000]
    artist = Artist.objects.get(slug="iu")
    page = client.get(artist.get_absolute_url()).content.decode()
    urls = media_urls(page)
    assert urls, "no photo on the profile"
    for url in urls:
        assert_no_metadata(url)
    assert_no_metadata(settings.MEDIA_URL + artist.photo.name)


BAD_UPLOADS = {
    "text-named-jpg": (b"just some text, not an image\n" * 20, "photo.jpg"),
    "html-named-jpg": (b"<html><script>alert(1)</script></html>", "photo.jpg"),
    "svg-with-script": (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>alert(2)</script></svg>",
        "photo.svg",
    ),
    "truncated-jpeg": (None, "cut.jpg"),
    "jpeg-then-html": (None, "polyglot.jpg"),
    "too-many-pixels": (None, "wide.png"),
    "decompression-bomb": (None, "bomb.png"),
    "too-many-bytes": (None, "huge.jpg"),
}


def bad_upload(kind: str) -> SimpleUploadedFile:
    data, name = BAD_UPLOADS[kind]
    if kind == "truncated-jpeg":
        data = jpeg_with_gps()[:400]
    elif kind == "jpeg-then-html":
        data = b"<html><body><script>alert(1)</script>" + jpeg_with_gps(64, 64)
    elif kind == "too-many-pixels":
        data = png_bytes(7000, 6000)  # 42 megapixels in a few kilobytes
    elif kind == "decompression-bomb":
        data = png_bytes(15000, 15000)  # 225 megapixels: beyond Pillow's bomb limit
    elif kind == "too-many-bytes":
        data = jpeg_with_gps(64, 64) + b"\0" * (11 * 1024 * 1024)
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.mark.parametrize("kind", list(BAD_UPLOADS))
def test_bad_hero_upload_is_refused_and_nothing_saved(editor_client, kind):
    story = ArticleFactory(published=True, slug="stage-story")
    files_before = set(Path(settings.MEDIA_ROOT).rglob("*"))
    response = post_hero(editor_client, story, bad_upload(kind))
    assert response.status_code == 400  # the chooser says why
    assert response.json()["errors"]["file"]
    story.refresh_from_db()
    assert not story.hero_image
    assert set(Path(settings.MEDIA_ROOT).rglob("*")) == files_before


@pytest.mark.parametrize("kind", list(BAD_UPLOADS))
def test_bad_artist_photo_is_refused_and_nothing_saved(editor_client, kind):
    files_before = set(Path(settings.MEDIA_ROOT).rglob("*"))
    response = post_artist(editor_client, bad_upload(kind))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Artist.objects.filter(slug="iu").exists()
    assert set(Path(settings.MEDIA_ROOT).rglob("*")) == files_before
