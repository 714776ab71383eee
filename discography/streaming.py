"""Where a release can be streamed: the services we link to and the addresses each
accepts. Editors paste a link; the admin checks that it points at the service it is
listed under (a Spotify link under "Melon" is a mistake readers would pay for)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models


class Service(models.TextChoices):
    MELON = "melon", "Melon"
    SPOTIFY = "spotify", "Spotify"
    APPLE_MUSIC = "apple_music", "Apple Music"
    YOUTUBE_MUSIC = "youtube_music", "YouTube Music"


# The hosts whose pages a listing may link to (exact names, not suffixes).
SERVICE_HOSTS = {
    Service.MELON: {"www.melon.com", "melon.com", "m2.melon.com", "m.app.melon.com"},
    Service.SPOTIFY: {"open.spotify.com", "spotify.link"},
    Service.APPLE_MUSIC: {"music.apple.com"},
    Service.YOUTUBE_MUSIC: {"music.youtube.com"},
}


def check_service_url(service: str, url: str) -> None:
    """Raise ValidationError unless ``url`` is an https page of ``service``."""
    try:
        parts = urlsplit((url or "").strip())
    except ValueError:
        parts = None
    hosts = SERVICE_HOSTS.get(service, set())
    if parts is None or parts.scheme != "https" or parts.hostname not in hosts:
        label = Service(service).label if service in Service.values else "this service"
        examples = ", ".join(sorted(hosts)) or "its own site"
        raise ValidationError(
            {"url": f"Enter an https link to {label} ({examples})."},
            code="wrong_service",
        )
