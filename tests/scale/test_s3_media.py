"""Media on S3: django-storages configured from the environment, against moto's
in-process S3 (no network), with the rendition code that will run on it in production."""

import io

import boto3
import pytest
from django.core.files.base import ContentFile
from moto import mock_aws
from PIL import Image
from storages.backends.s3 import S3Storage

from core import renditions
from core.storage import MEDIA_CACHE_CONTROL, media_storage_from_environment

BUCKET = "newsroom-media"
ENVIRONMENT = {
    "AWS_STORAGE_BUCKET_NAME": BUCKET,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_S3_REGION_NAME": "us-east-1",
    "AWS_S3_CUSTOM_DOMAIN": "media.news.example",
}


@pytest.fixture
def s3(monkeypatch):
    """A fresh mocked S3 with the bucket, and a client to look inside it."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        client = boto3.client(
            "s3",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        client.create_bucket(Bucket=BUCKET)
        yield client


@pytest.fixture
def storage(s3) -> S3Storage:
    return S3Storage(**media_storage_from_environment(ENVIRONMENT)["OPTIONS"])


def keys(client, prefix: str = "") -> list[str]:
    listing = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (240, 200, 20)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_uploads_land_under_media_with_a_cache_header_and_unique_names(s3, storage):
    first = storage.save("photos/iu.jpg", ContentFile(jpeg(100, 100)))
    second = storage.save("photos/iu.jpg", ContentFile(jpeg(100, 100)))

    assert first == "photos/iu.jpg" and second != first  # never overwritten
    assert keys(s3) == sorted([f"media/{first}", f"media/{second}"])
    head = s3.head_object(Bucket=BUCKET, Key=f"media/{first}")
    assert head["CacheControl"] == MEDIA_CACHE_CONTROL
    assert head["ContentType"] == "image/jpeg"
    assert storage.url(first) == "https://media.news.example/media/photos/iu.jpg"


def test_renditions_on_s3_are_made_once_and_kept_tidy(s3, storage):
    source = storage.save("photos/아이유.jpg", ContentFile(jpeg(1000, 500)))
    folder = "media/" + renditions.rendition_dir(source) + "/"

    made = renditions.make_renditions(storage, source)
    first_keys = keys(s3, folder)
    etags = {key: s3.head_object(Bucket=BUCKET, Key=key)["ETag"] for key in first_keys}
    again = renditions.make_renditions(storage, source)

    assert again == made
    assert first_keys == sorted(
        folder + f"w{w}.{ext}" for w in (320, 480, 800, 1000) for ext in ("jpg", "webp")
    )
    assert keys(s3, folder) == first_keys  # no second copies
    assert {
        key: s3.head_object(Bucket=BUCKET, Key=key)["ETag"] for key in first_keys
    } == etags

    # A smaller replacement: the renditions it no longer needs are removed.
    storage.delete(source)
    storage.save(source, ContentFile(jpeg(400, 200)))
    renditions.make_renditions(storage, source)
    assert keys(s3, folder) == [
        folder + name for name in ("w320.jpg", "w320.webp", "w400.jpg", "w400.webp")
    ]

    assert len(renditions.delete_renditions(storage, source)) == 4
    assert keys(s3, folder) == []
