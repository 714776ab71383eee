"""schema.org JSON-LD for release pages: a MusicAlbum with its MusicRecordings."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.urlcache import url_of
from discography.models import Event, Release
from discography.templating import iso_duration

RELEASE_TYPES = {
    Release.Kind.ALBUM: "https://schema.org/AlbumRelease",
    Release.Kind.EP: "https://schema.org/EPRelease",
    Release.Kind.SINGLE: "https://schema.org/SingleRelease",
    Release.Kind.OST: "https://schema.org/AlbumRelease",
    Release.Kind.COMPILATION: "https://schema.org/AlbumRelease",
}


def _artist(artist, request: HttpRequest) -> dict[str, Any]:
    data = {"@type": "MusicGroup" if artist.is_group else "Person", "name": artist.name}
    path = url_of(artist)  # None for a slug that makes no address: named only
    if path is not None:
        data["url"] = request.build_absolute_uri(path)
    return data


def release_jsonld(release: Release, *, request: HttpRequest) -> dict[str, Any]:
    """The release as schema.org data (uses the prefetched credits and tracks)."""
    url = request.build_absolute_uri(release.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MusicAlbum",
        "name": release.title,
        "url": url,
        "albumReleaseType": RELEASE_TYPES[Release.Kind(release.kind)],
        "byArtist": [_artist(c.artist, request) for c in release.credits.all()],
    }
    if release.released_on:
        data["datePublished"] = release.released_on.isoformat()
    if release.label:
        data["recordLabel"] = {"@type": "Organization", "name": release.label.name}
    if release.cover:
        data["image"] = request.build_absolute_uri(release.cover.url)
    tracks = list(release.tracks.all())
    data["numTracks"] = len(tracks)
    data["track"] = []
    for number, track in enumerate(tracks, start=1):
        recording: dict[str, Any] = {
            "@type": "MusicRecording",
            "name": track.title,
            "position": number,
            "url": f"{url}#track-{track.disc}-{track.position}",
        }
        if track.duration:
            recording["duration"] = iso_duration(track.duration)
        features = [_artist(f.artist, request) for f in track.features.all()]
        if features:
            recording["byArtist"] = data["byArtist"] + features
        data["track"].append(recording)
    return data


# --- events ---------------------------------------------------------------------------

# Kinds that are performances (schema.org MusicEvent); drops and premieres are Events.
MUSIC_EVENT_KINDS = {
    Event.Kind.SHOWCASE,
    Event.Kind.MUSIC_SHOW,
    Event.Kind.CONCERT,
    Event.Kind.FAN_MEETING,
}
EVENT_STATUSES = {
    Event.Status.DELAYED: "https://schema.org/EventRescheduled",
    Event.Status.CANCELLED: "https://schema.org/EventCancelled",
}


def event_jsonld(event: Event, *, request: HttpRequest) -> dict[str, Any]:
    """One event as schema.org data (uses the prefetched artists and release).

    Times carry the announced zone's offset; a delayed event names its first start
    as ``previousStartDate``.
    """
    data: dict[str, Any] = {
        "@type": "MusicEvent" if event.kind in MUSIC_EVENT_KINDS else "Event",
        "name": event.title,
        "startDate": event.local_starts_at.isoformat(),
        "eventStatus": EVENT_STATUSES.get(
            event.status, "https://schema.org/EventScheduled"
        ),
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "performer": [_artist(artist, request) for artist in event.performers],
    }
    if event.ends_at:
        data["endDate"] = event.local_ends_at.isoformat()
    if event.place:
        data["location"] = {"@type": "Place", "name": event.place}
    if event.release_id and event.release:
        data["about"] = {
            "@type": "MusicAlbum",
            "name": event.release.title,
            "url": request.build_absolute_uri(event.release.get_absolute_url()),
        }
    return data


def events_jsonld(events, *, request: HttpRequest) -> dict[str, Any] | None:
    """A page's events as one graph (nothing when there are none)."""
    if not events:
        return None
    return {
        "@context": "https://schema.org",
        "@graph": [event_jsonld(event, request=request) for event in events],
    }
