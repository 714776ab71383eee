"""Uploaded pictures served by the site itself when media live on local disk.

With ``DEBUG`` off nothing else serves ``/media/`` on one machine (``docker compose
up``, or gunicorn as the README shows): whitenoise serves static files only. This
view does, read-only and inside ``MEDIA_ROOT``, with caching headers:

- renditions (``renditions/...``) are named after their source and shape, and a new
  upload or a new crop gets a new name, so browsers and CDNs keep them a year
  (``immutable``);
- originals may be replaced under the same name by an editor, so they are kept a day
  and revalidated with ``Last-Modified``.

With media in an object store (``docker-compose.prod.yml``) the front server proxies
``/media/`` to the bucket and this view is not routed (``media_urlpatterns``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, re_path
from django.utils.cache import patch_cache_control
from django.views.static import serve

from core.renditions import RENDITION_ROOT

RENDITION_MAX_AGE = 365 * 24 * 3600
ORIGINAL_MAX_AGE = 24 * 3600


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """One stored file under MEDIA_ROOT, with its Cache-Control."""
    if request.method not in ("GET", "HEAD"):
        raise Http404("Media are read-only.")
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except SuspiciousFileOperation:  # "../" out of MEDIA_ROOT
        raise Http404("No such file.") from None
    if path.startswith(f"{RENDITION_ROOT}/"):
        patch_cache_control(
            response, public=True, max_age=RENDITION_MAX_AGE, immutable=True
        )
    else:
        patch_cache_control(response, public=True, max_age=ORIGINAL_MAX_AGE)
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded file is never a document: no script runs even if one slipped in.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def media_urlpatterns() -> list[URLPattern]:
    """The route for /media/ when media are files on this machine's disk; none when
    they live in an object store served by the front server."""
    if not isinstance(default_storage, FileSystemStorage):
        return []
    prefix = settings.MEDIA_URL.lstrip("/")
    if not prefix or "://" in settings.MEDIA_URL:
        return []
    return [re_path(rf"^{prefix}(?P<path>.+)$", serve_media, name="media")]
