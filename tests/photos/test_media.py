"""Issue 18: with DEBUG off and media on local disk, /media/ answers with the file
and caching headers (nothing served it before: every picture was a 404)."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.photos.factories import make_photo

pytestmark = pytest.mark.django_db


def test_debug_is_off_in_tests():
    assert settings.DEBUG is False


def test_an_original_and_its_renditions_are_served_with_cache_headers(client):
    photo = make_photo()
    original = client.get(photo.file.url)
    assert original.status_code == 200
    assert original["Content-Type"] == "image/jpeg"
    assert "max-age=86400" in original["Cache-Control"]
    assert "immutable" not in original["Cache-Control"]
    assert original["X-Content-Type-Options"] == "nosniff"
    b"".join(original.streaming_content)

    webp = photo.file.srcset_webp.split(", ")[0].split(" ")[0]
    assert webp.startswith("/media/renditions/")
    rendition = client.get(webp)
    assert rendition.status_code == 200
    assert rendition["Content-Type"] == "image/webp"
    assert "max-age=31536000" in rendition["Cache-Control"]
    assert "immutable" in rendition["Cache-Control"]
    b"".join(rendition.streaming_content)
    # A browser revalidating an original gets a cheap 304.
    again = client.get(photo.file.url, HTTP_IF_MODIFIED_SINCE=original["Last-Modified"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    ["/media/../newsroom/settings.py", "/media/%2e%2e/manage.py", "/media/nope.jpg"],
)
def test_nothing_outside_media_or_missing_is_served(client, path):
    assert client.get(path).status_code == 404


def test_media_are_read_only(client):
    photo = make_photo()
    assert client.post(photo.file.url).status_code in (403, 404, 405)


def test_compose_files_serve_media():
    """docker-compose.yml runs gunicorn on local disk (served by the view above);
    the prod topology proxies /media/ to the bucket, renditions immutable."""
    root = settings.BASE_DIR
    compose = (root / "docker-compose.yml").read_text()
    assert 'DEBUG: "0"' in compose and "MEDIA_ROOT: /app/var/media" in compose
    nginx = (root / "deploy" / "nginx" / "nginx.conf").read_text()
    assert "location /media/renditions/" in nginx
    assert "immutable" in nginx
