"""What release pages show and what changes to releases reach (core.pagedeps keys)."""

from __future__ import annotations

from core.pagedeps import register_keys, register_page
from discography.models import MusicVideo, Release, ReleaseCredit, Track, TrackFeature


def register() -> None:
    register_keys(
        Release,
        shows=lambda r: [f"release:{r.pk}"],
        # The home page lists the newest releases.
        touches=lambda r: [f"release:{r.pk}", "list:home", "list:releases", "sitemap"],
    )
    register_keys(ReleaseCredit, touches=lambda c: [f"release:{c.release_id}"])
    register_keys(
        Track,
        shows=lambda t: [f"track:{t.pk}"],
        touches=lambda t: [f"track:{t.pk}", f"release:{t.release_id}"],
    )
    register_keys(TrackFeature, touches=lambda f: [f"track:{f.track_id}"])
    register_keys(
        MusicVideo,
        shows=lambda v: [f"music-video:{v.pk}"],
        touches=lambda v: [f"music-video:{v.pk}", f"track:{v.track_id}"],
    )
    register_keys(
        Release.artists.through, touches=lambda row: [f"release:{row.release_id}"]
    )
    register_keys(
        MusicVideo.cast.through,
        touches=lambda row: [f"music-video:{row.musicvideo_id}"],
    )
    register_page(
        "discography:release",
        lambda kw, shown: [
            f"list:release:{r.pk}"
            for r in shown
            if isinstance(r, Release) and r.slug == kw.get("slug")
        ],
    )
