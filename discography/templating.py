"""What the reader pages' templates call for music (plain functions, registered into
Jinja2 by newsroom/jinja.py): running times, and the data of an artist's discography.

The discography block lives here, not in the artists app, so that ``artists`` never
imports ``discography`` (dependencies point one way).
"""

from __future__ import annotations

import datetime
from typing import Any

from artists.models import Artist
from discography.models import MusicVideo, Release

KIND_HEADINGS = {
    Release.Kind.ALBUM: "Albums",
    Release.Kind.EP: "Mini albums (EPs)",
    Release.Kind.SINGLE: "Singles",
    Release.Kind.OST: "Soundtracks (OST)",
    Release.Kind.COMPILATION: "Compilations",
}


def running_time(value: datetime.timedelta | None) -> str:
    """4:31 for a track, 1:02:05 past an hour; empty when unknown."""
    if value is None:
        return ""
    seconds = int(round(value.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{seconds:02d}"
    return f"{minutes}:{seconds:02d}"


def iso_duration(value: datetime.timedelta | None) -> str:
    """ISO 8601 duration (PT4M31S) for schema.org and <time datetime>."""
    if value is None:
        return ""
    seconds = int(round(value.total_seconds()))
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + f"{minutes}M{seconds}S"


def artist_discography(artist: Artist) -> dict[str, Any]:
    """The profile's discography (grouped by kind, newest first) and music videos.

    Two queries whatever the size of the catalogue: releases, then videos.
    """
    releases = list(Release.objects.by_artist(artist))
    groups = []
    for kind in Release.Kind:
        of_kind = [r for r in releases if r.is_main_credit and r.kind == kind]
        if of_kind:
            groups.append(
                {"kind": kind.value, "label": KIND_HEADINGS[kind], "releases": of_kind}
            )
    return {
        "artist": artist,
        "release_groups": groups,
        "featured_on": [r for r in releases if not r.is_main_credit],
        "music_videos": list(MusicVideo.objects.for_artist(artist)),
    }
