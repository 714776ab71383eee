"""The read beacon's front door: a reader's beacon is counted before Django runs.

Every story view sends one beacon (static/js/site.js), so a cached story costs two
requests: the page, answered by the page cache's front door in a fraction of a
millisecond, and the beacon. Through Django's whole stack (sessions, security
middleware, the resolver, the view) the beacon cost several times the page, and a
site counting reads served half the readers it could. The beacon needs none of
that stack: the form body has one field, the client's address is decided by the
same rule as ClientAddressMiddleware, and the answer is always an empty 204.

Anything unusual goes to Django's view instead, which answers the same way: a
request carrying a session (the view must check for staff), another content type
or a long body, a prefix the site is mounted under.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http.cookie import parse_cookie

from articles.reads import count_beacon
from core.clientaddress import client_address
from core.urlcache import cached_reverse

# A beacon's body is "story=<id>"; anything longer is not one of ours.
LONGEST_BODY = 256
FORM = "application/x-www-form-urlencoded"


def _headers() -> list[tuple[str, str]]:
    """What the view's 204 says that matters for an empty answer."""
    return [
        ("Content-Length", "0"),
        ("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", settings.SECURE_REFERRER_POLICY or "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("X-Frame-Options", "DENY"),
    ]


def _is_plain_beacon(environ: dict) -> bool:
    """A beacon the front door may answer without Django (see the module's doc)."""
    if environ.get("REQUEST_METHOD") != "POST" or environ.get("SCRIPT_NAME"):
        return False
    if environ.get("PATH_INFO") != cached_reverse("articles:read_beacon"):
        return False
    content_type = environ.get("CONTENT_TYPE", "").split(";", 1)[0].strip().lower()
    if content_type != FORM:
        return False
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    if not 0 < length <= LONGEST_BODY:
        return False
    cookies = environ.get("HTTP_COOKIE")
    return not (cookies and settings.SESSION_COOKIE_NAME in parse_cookie(cookies))


class ReadBeaconWSGI:
    """Counts plain beacons and answers 204; hands every other request on."""

    def __init__(self, application: Callable) -> None:
        self.application = application

    def __call__(self, environ: dict, start_response: Callable):
        if not _is_plain_beacon(environ):
            return self.application(environ, start_response)
        body = environ["wsgi.input"].read(int(environ["CONTENT_LENGTH"]))
        try:
            fields = parse_qs(body.decode("utf-8", "replace"), max_num_fields=4)
        except ValueError:  # too many fields: not a beacon of ours
            fields = {}
        story = (fields.get("story") or [""])[0]
        meta = dict(environ)
        meta["REMOTE_ADDR"] = client_address(environ, settings.TRUSTED_PROXY_COUNT)
        count_beacon(WSGIRequest(meta), story)
        start_response("204 No Content", _headers())
        return [b""]
