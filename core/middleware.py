"""Site-wide middleware: security headers Django lacks, and a calm answer when the
database is away."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.http import (
    ConditionalGetMiddleware as DjangoConditionalGetMiddleware,
)
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.http import parse_http_date_safe

logger = logging.getLogger("core.middleware")

# Probes answer for themselves: liveness never touches the database, readiness
# reports it as JSON; neither gets the HTML page.
PROBE_PATHS = ("/healthz", "/readyz")
RETRY_AFTER_SECONDS = 30

_IMPORTMAP_WITHOUT_NONCE = re.compile(rb'<script type="importmap"(?![^>]*\bnonce=)')


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """Permissions-Policy from a feature -> allow-list dict (empty list: nobody)."""
    parts = []
    for feature, allowed in policy.items():
        origins = " ".join(
            origin if origin == "self" else f'"{origin}"' for origin in allowed
        )
        parts.append(f"{feature}=({origins})")
    return ", ".join(parts)


class SecurityHeadersMiddleware:
    """Permissions-Policy and Cross-Origin-Resource-Policy, and the admin's CSP
    additions (ADMIN_CSP_UPDATE; a nonce for its import map).

    Django 5.2's admin renders form media without a CSP nonce, so the inline
    ``<script type="importmap">`` that django-prose-editor needs would be blocked.
    Only the admin, only the document head (form media sits there; stored content
    is in the body, escaped), and only import maps get the response's nonce.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(
            getattr(settings, "PERMISSIONS_POLICY", {})
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        content_type = response.headers.get("Content-Type", "")
        if content_type.startswith("text/html"):
            # Pages are not for embedding by other sites; static and media files
            # stay embeddable (feed readers show our images).
            response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
            if request.path_info.startswith("/admin/"):
                self._nonce_admin_importmap(request, response)
                self._update_admin_csp(response)
        return response

    @staticmethod
    def _update_admin_csp(response: HttpResponse) -> None:
        additions = getattr(settings, "ADMIN_CSP_UPDATE", {})
        if not additions:
            return
        update = dict(getattr(response, "_csp_update", None) or {})
        for directive, sources in additions.items():
            update[directive] = [*update.get(directive, []), *sources]
        response._csp_update = update

    @staticmethod
    def _nonce_admin_importmap(request: HttpRequest, response: HttpResponse) -> None:
        if getattr(response, "streaming", False) or not hasattr(request, "csp_nonce"):
            return
        content = response.content
        head_end = content.find(b"</head>")
        if head_end < 0 or not _IMPORTMAP_WITHOUT_NONCE.search(content, 0, head_end):
            return
        nonce = str(request.csp_nonce).encode("ascii")
        head = _IMPORTMAP_WITHOUT_NONCE.sub(
            b'<script type="importmap" nonce="' + nonce + b'"', content[:head_end]
        )
        response.content = head + content[head_end:]


class ConditionalGetMiddleware(DjangoConditionalGetMiddleware):
    """Django's ETag and 304 handling, for HEAD as well as GET.

    Django leaves HEAD alone because its body is empty, but here a HEAD runs the
    same view as a GET and the server drops the body afterwards: the ETag is the
    GET's, and RFC 9110 wants HEAD to carry the headers GET would (load balancers
    and link checkers probe with HEAD and compare).
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        if request.method != "HEAD":
            return super().process_response(request, response)
        if self.needs_etag(response) and not response.has_header("ETag"):
            set_response_etag(response)
        etag = response.get("ETag")
        last_modified = response.get("Last-Modified")
        last_modified = last_modified and parse_http_date_safe(last_modified)
        if etag or last_modified:
            return get_conditional_response(
                request, etag=etag, last_modified=last_modified, response=response
            )
        return response


class RejectNullBytesMiddleware:
    """A NUL byte in the path or query string is a 404/400, never a 500.

    PostgreSQL text cannot hold NUL, so ``/artists/%00/`` (or ``?q=%00``) reaching a
    lookup raises DataError; no real URL or search contains one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path_info:
            raise Http404("No such page.")
        if any("\x00" in key or "\x00" in value for key, value in _pairs(request)):
            raise BadRequest("The query string contains a NUL character.")
        return self.get_response(request)


def _pairs(request: HttpRequest):
    for key, values in request.GET.lists():
        for value in values:
            yield key, value


class DatabaseUnavailableMiddleware:
    """A friendly 503 instead of a 500 while the database is unreachable.

    Broken connections are closed right away, so the next request reconnects and
    the site recovers on its own when the database is back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if request.path_info.rstrip("/") in PROBE_PATHS:
            return None
        logger.error("Database unavailable for %s: %s", request.path, exception)
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        return service_unavailable(request)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page in the site's frame; it needs no database to render."""
    # No context processors on purpose: the auth one would reach for the database.
    body = render_to_string(
        "503.html", {"request": request, "SITE_NAME": settings.SITE_NAME}
    )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
