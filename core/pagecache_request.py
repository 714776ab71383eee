"""Which page an anonymous request asks for: the page cache's key, or None.

Read from the bare WSGI environ (``request.META`` is the same dict), so the WSGI
front door and the middleware of core.pagecache agree on every key.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http.cookie import parse_cookie

# v3: entries carry the versions of the keys they show.
PAGE_KEY = "pagecache:page:v3:{digest}"
# Paths that are never cached: the staff site, probes, and files served elsewhere.
EXCLUDED_PREFIXES = ("/admin/", "/healthz", "/readyz", "/static/", "/media/")
BYPASS_COOKIES = ("messages",)


def is_enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


def _is_secure(environ: dict) -> bool:
    """``HttpRequest.is_secure()`` for a bare WSGI environ (same proxy header rule)."""
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    if proxy_header:
        header, secure_value = proxy_header
        value = environ.get(header)
        if value is not None:
            return value.split(",", 1)[0].strip() == secure_value
    return environ.get("wsgi.url_scheme") == "https"


def _host(environ: dict) -> str:
    """The host as Django reads it (unvalidated: an unknown host never has a page)."""
    if settings.USE_X_FORWARDED_HOST and "HTTP_X_FORWARDED_HOST" in environ:
        return environ["HTTP_X_FORWARDED_HOST"]
    if "HTTP_HOST" in environ:
        return environ["HTTP_HOST"]
    return f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"


def page_key(environ: dict) -> str | None:
    """The cache key of this request's page, or None when it must not use the cache.

    Read from the WSGI environ (``request.META`` is the same dict), so the WSGI
    front door (:class:`CachedPagesWSGI`) and the middleware agree on every key.
    Only anonymous GET and HEAD requests qualify: no session, no flash message, not
    the admin or files, and not a plain-HTTP request that must be redirected first.
    """
    if not is_enabled() or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return None
    path = environ.get("PATH_INFO", "")
    if path.startswith(EXCLUDED_PREFIXES):
        return None
    cookie_header = environ.get("HTTP_COOKIE")
    if cookie_header:
        cookies = parse_cookie(cookie_header)
        if settings.SESSION_COOKIE_NAME in cookies:
            return None
        if any(name in cookies for name in BYPASS_COOKIES):
            return None
    secure = _is_secure(environ)
    if settings.SECURE_SSL_REDIRECT and not secure:
        return None
    query = environ.get("QUERY_STRING", "")
    raw = "{}://{}{}{}{}".format(
        "https" if secure else "http",
        _host(environ),
        environ.get("SCRIPT_NAME", ""),
        path,
        f"?{query}" if query else "",
    )
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()
    return PAGE_KEY.format(digest=digest)
