"""Recognise a pasted social-post URL: (platform, post id, canonical URL), or None.

Pure functions with no database or network access, so every editor's paste can be
checked cheaply and the answer is the same in the admin, on save and at render time.
Hosts are matched exactly (``x.com.evil.example`` is not X), and anything that is not
a single post (profiles, searches, channels, lists) stays an ordinary link.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.db import models

__all__ = ["Platform", "PostRef", "handle_in_url", "parse_post_url"]


class Platform(models.TextChoices):
    X = "x", "X"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    TIKTOK = "tiktok", "TikTok"


@dataclass(frozen=True)
class PostRef:
    """One post on one network, named the same way whatever shape was pasted."""

    platform: Platform
    post_id: str
    canonical_url: str


X_HOSTS = frozenset(
    {
        "x.com",
        "www.x.com",
        "mobile.x.com",
        "twitter.com",
        "www.twitter.com",
        "mobile.twitter.com",
    }
)
YOUTUBE_HOSTS = frozenset(
    {
        "youtube.com",
        "www.youtube.com",
        "m.youtube.com",
        "music.youtube.com",
        "youtube-nocookie.com",
        "www.youtube-nocookie.com",
    }
)
YOUTUBE_SHORT_HOSTS = frozenset({"youtu.be", "www.youtu.be"})
INSTAGRAM_HOSTS = frozenset({"instagram.com", "www.instagram.com", "m.instagram.com"})
TIKTOK_HOSTS = frozenset({"tiktok.com", "www.tiktok.com", "m.tiktok.com"})

# X: /<handle>/status/<id>, optionally /photo/1, /video/1; also /i/web/status/<id>.
X_STATUS = re.compile(
    r"^/(?:(?P<handle>[A-Za-z0-9_]{1,15})|i/web|i)/status(?:es)?/(?P<id>\d{1,20})"
    r"(?:/(?:photo|video)/\d{1,2})?/?$"
)
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
YOUTUBE_PATH = re.compile(r"^/(?:shorts|embed|live|v)/(?P<id>[A-Za-z0-9_-]{11})/?$")
INSTAGRAM_PATH = re.compile(
    r"^/(?:[A-Za-z0-9_.]{1,30}/)?(?P<kind>p|reel|reels|tv)/(?P<id>[A-Za-z0-9_-]{5,40})/?$"
)
TIKTOK_PATH = re.compile(r"^/@(?P<user>[A-Za-z0-9_.]{2,24})/video/(?P<id>\d{5,25})/?$")
# Handles that name pages of X itself rather than accounts.
X_RESERVED = frozenset(
    {"home", "search", "explore", "settings", "hashtag", "intent", "share", "messages"}
)


def parse_post_url(url: str) -> PostRef | None:
    """The post a pasted URL points to, or None when it is any other kind of link."""
    if not url or len(url) > 2048:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:  # e.g. an invalid port or a broken IPv6 literal
        return None
    if parts.scheme.lower() not in {"http", "https"} or not host:
        return None
    if parts.username is not None or parts.password is not None:
        return None  # https://x.com@evil.example/... hides the real host
    if port not in {None, 80, 443}:
        return None
    path = parts.path or "/"
    if host in X_HOSTS:
        return _parse_x(path, parts.fragment)
    if host in YOUTUBE_HOSTS:
        return _parse_youtube(path, parts.query)
    if host in YOUTUBE_SHORT_HOSTS:
        return _youtube(path.strip("/"))
    if host in INSTAGRAM_HOSTS:
        return _parse_instagram(path)
    if host in TIKTOK_HOSTS:
        return _parse_tiktok(path)
    return None


def _parse_x(path: str, fragment: str) -> PostRef | None:
    if path == "/" and fragment.startswith("!/"):
        path = fragment[1:]  # the old hash-bang links: twitter.com/#!/user/status/1
    match = X_STATUS.match(path)
    if not match:
        return None
    handle, post_id = match["handle"], match["id"]
    if handle and handle.lower() in X_RESERVED:
        return None
    owner = handle or "i"
    return PostRef(Platform.X, post_id, f"https://x.com/{owner}/status/{post_id}")


def _parse_youtube(path: str, query: str) -> PostRef | None:
    if path.rstrip("/") == "/watch":
        values = parse_qs(query).get("v", [])
        return _youtube(values[0]) if len(values) == 1 else None
    match = YOUTUBE_PATH.match(path)
    return _youtube(match["id"]) if match else None


def _youtube(video_id: str) -> PostRef | None:
    if not YOUTUBE_ID.match(video_id):
        return None
    return PostRef(
        Platform.YOUTUBE, video_id, f"https://www.youtube.com/watch?v={video_id}"
    )


def _parse_instagram(path: str) -> PostRef | None:
    match = INSTAGRAM_PATH.match(path)
    if not match:
        return None
    kind = "p" if match["kind"] in {"p", "tv"} else "reel"
    code = match["id"]
    return PostRef(
        Platform.INSTAGRAM, code, f"https://www.instagram.com/{kind}/{code}/"
    )


def _parse_tiktok(path: str) -> PostRef | None:
    match = TIKTOK_PATH.match(path)
    if not match:
        return None
    user, video_id = match["user"], match["id"]
    return PostRef(
        Platform.TIKTOK, video_id, f"https://www.tiktok.com/@{user}/video/{video_id}"
    )


def handle_in_url(url: str) -> str:
    """The account handle an X or TikTok post address names ("" when it names
    none, as x.com/i/status/… does, or for other platforms)."""
    parts = urlsplit(url or "")
    host = (parts.hostname or "").rstrip(".")
    if host in X_HOSTS:
        match = X_STATUS.match(parts.path or "/")
        handle = match["handle"] if match else None
        if not handle or handle.lower() in X_RESERVED or handle.lower() == "i":
            return ""  # x.com/i/status/… names no account
        return handle
    if host in TIKTOK_HOSTS:
        match = TIKTOK_PATH.match(parts.path or "/")
        return match["user"] if match else ""
    return ""
