"""Purging the CDN in front by dependency key (the Surrogate-Key / Cache-Tag headers).

Backends are configured in ``settings.PAGE_CACHE_PURGERS`` (from the environment):

* ``VARNISH_PURGE_URLS``: Varnish with vmod xkey (deploy/varnish/default.vcl): a
  ``PURGE`` request carrying ``xkey-purge: <keys>`` to each URL;
* ``FASTLY_SERVICE_ID`` + ``FASTLY_API_TOKEN``: Fastly's purge by surrogate key
  (``POST /service/<id>/purge`` with ``Surrogate-Key``; ``FASTLY_SOFT_PURGE=1`` marks
  stale instead);
* ``CLOUDFLARE_ZONE_ID`` + ``CLOUDFLARE_API_TOKEN``: Cloudflare's purge by cache tag
  (``POST /zones/<id>/purge_cache`` with ``{"tags": [...]}``, 30 tags a call).

``*_API_URL`` overrides the API's base address (tests point it at a local stub). A
purge that fails is logged: the CDN holds a page at most ``PAGE_CACHE_SHARED_SECONDS``.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterable
from functools import cache
from urllib.parse import quote

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

TIMEOUT = 2.0


class PurgeBackend:
    """Purges every page carrying one of ``keys`` from a CDN."""

    def purge(self, keys: list[str]) -> None:
        raise NotImplementedError


def _send(request: urllib.request.Request) -> None:
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        response.read()


class VarnishXkeyPurge(PurgeBackend):
    def __init__(self, *, urls: Iterable[str]) -> None:
        self.urls = list(urls)

    def purge(self, keys: list[str]) -> None:
        for url in self.urls:
            request = urllib.request.Request(url, method="PURGE")
            request.add_header("xkey-purge", " ".join(keys))
            _send(request)


class FastlyPurge(PurgeBackend):
    def __init__(
        self,
        *,
        service_id: str,
        token: str,
        api_url: str = "https://api.fastly.com",
        soft: bool = False,
    ) -> None:
        self.url = f"{api_url.rstrip('/')}/service/{quote(service_id)}/purge"
        self.token = token
        self.soft = soft

    def purge(self, keys: list[str]) -> None:
        # Fastly takes up to 256 keys per call.
        for start in range(0, len(keys), 256):
            request = urllib.request.Request(self.url, method="POST")
            request.add_header("Fastly-Key", self.token)
            request.add_header("Surrogate-Key", " ".join(keys[start : start + 256]))
            if self.soft:
                request.add_header("Fastly-Soft-Purge", "1")
            _send(request)


class CloudflarePurge(PurgeBackend):
    def __init__(
        self,
        *,
        zone_id: str,
        token: str,
        api_url: str = "https://api.cloudflare.com/client/v4",
    ) -> None:
        self.url = f"{api_url.rstrip('/')}/zones/{quote(zone_id)}/purge_cache"
        self.token = token

    def purge(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 30):
            body = json.dumps({"tags": keys[start : start + 30]}).encode()
            request = urllib.request.Request(self.url, data=body, method="POST")
            request.add_header("Authorization", f"Bearer {self.token}")
            request.add_header("Content-Type", "application/json")
            _send(request)


@cache
def _backends(configured: tuple) -> list[PurgeBackend]:
    return [import_string(path)(**dict(options)) for path, options in configured]


def _frozen(value):
    return tuple(value) if isinstance(value, list) else value


def backends() -> list[PurgeBackend]:
    configured = getattr(settings, "PAGE_CACHE_PURGERS", [])
    return _backends(
        tuple(
            (path, tuple((name, _frozen(value)) for name, value in options.items()))
            for path, options in configured
        )
    )


def purge_keys(keys: Iterable[str]) -> None:
    """Purge every configured CDN of the pages carrying ``keys``; never raises."""
    keys = sorted(set(keys))
    for backend in backends():
        try:
            backend.purge(keys)
        except Exception:
            logger.warning(
                "CDN purge failed (%s)", type(backend).__name__, exc_info=True
            )
