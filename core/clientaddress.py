"""The client's address, decided once per request from ``TRUSTED_PROXY_COUNT``.

Behind the shipped nginx every connection comes from nginx, so ``REMOTE_ADDR`` is
nginx's address for every reader and every stranger. Each trusted proxy appends the
address it saw to ``X-Forwarded-For`` (nginx: ``$proxy_add_x_forwarded_for``), so with
N trusted proxies the client is the Nth entry from the right. Entries further left
were written by the client itself and are ignored: anyone can send the header.

``ClientAddressMiddleware`` (right after the page cache, whose pages are the same
for every address) writes that address into ``REMOTE_ADDR`` once, so the
staff-login lockout (django-axes, through ``AXES_CLIENT_IP_CALLABLE``), the account
throttle's log and the fan-reaction limits all read the same, already-decided
value and never the header.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Where the middleware keeps the address of the peer that connected (the proxy).
PEER_ADDRESS_KEY = "core.peer_address"


def valid_address(value: str) -> str | None:
    """``value`` as a normalised IP address, or None when it is not one.

    IPv4-mapped IPv6 addresses become plain IPv4, so one client is one address
    whichever way its proxy wrote it.
    """
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def client_address(meta: Mapping[str, str], trusted_proxies: int) -> str:
    """The client's address from a request's META and the number of trusted proxies.

    With no trusted proxy, or when the header is missing, holds fewer entries than
    there are trusted proxies (the request did not come through all of them) or its
    chosen entry is not an IP address, the answer is the connecting peer,
    ``REMOTE_ADDR``: never a value the client chose.
    """
    peer = meta.get("REMOTE_ADDR", "") or ""
    if trusted_proxies > 0:
        entries = [
            entry.strip()
            for entry in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if entry.strip()
        ]
        if len(entries) >= trusted_proxies:
            chosen = valid_address(entries[-trusted_proxies])
            if chosen:
                return chosen
    return valid_address(peer) or peer


def request_address(request: HttpRequest) -> str:
    """The address the middleware decided (``AXES_CLIENT_IP_CALLABLE``)."""
    return request.META.get("REMOTE_ADDR", "") or ""


class ClientAddressMiddleware:
    """Puts the client's address in ``REMOTE_ADDR`` before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        trusted = settings.TRUSTED_PROXY_COUNT
        if trusted > 0 and PEER_ADDRESS_KEY not in request.META:
            request.META[PEER_ADDRESS_KEY] = request.META.get("REMOTE_ADDR", "")
            request.META["REMOTE_ADDR"] = client_address(request.META, trusted)
        return self.get_response(request)
