"""Where media files live: object storage when configured, the local disk otherwise.

Many web processes and the task worker must see the same uploads, so production keeps
them in an S3-compatible bucket (AWS S3, MinIO, ...) through django-storages. Settings
calls :func:`media_storage_from_environment` once; nothing here touches the network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"

# Media names are unique per upload (Django never overwrites), so objects never change
# under a name: browsers and a CDN may keep them for a long time.
MEDIA_CACHE_CONTROL = "public, max-age=2592000"


def _value(environ: Mapping[str, str], name: str) -> str:
    return environ.get(name, "").strip()


def media_storage_from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The STORAGES["default"] entry the environment asks for (S3 needs a bucket)."""
    bucket = _value(environ, "AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return {"BACKEND": FILESYSTEM_BACKEND}

    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": _value(environ, "AWS_LOCATION") or "media",
        # Uploaded names stay unique, as with files on disk.
        "file_overwrite": False,
        # Public media are read through plain URLs (a custom domain or the bucket's
        # public policy); signed URLs would make every cached page expire.
        "querystring_auth": _value(environ, "AWS_QUERYSTRING_AUTH").lower()
        in {"1", "true", "yes", "on"},
        "default_acl": None,
        "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
        "signature_version": "s3v4",
    }
    optional = {
        "endpoint_url": "AWS_S3_ENDPOINT_URL",
        "access_key": "AWS_ACCESS_KEY_ID",
        "secret_key": "AWS_SECRET_ACCESS_KEY",
        "region_name": "AWS_S3_REGION_NAME",
        "custom_domain": "AWS_S3_CUSTOM_DOMAIN",
        "url_protocol": "AWS_S3_URL_PROTOCOL",
    }
    for option, name in optional.items():
        if value := _value(environ, name):
            options[option] = value
    if options.get("endpoint_url"):
        # MinIO and most S3-compatible stores want path-style bucket addressing.
        options["addressing_style"] = (
            _value(environ, "AWS_S3_ADDRESSING_STYLE") or "path"
        )
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
