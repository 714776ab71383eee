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


def _origin(request: HttpRequest) -> str:
    """ "https://host" once per page: ``build_absolute_uri()`` checks the host
    against ALLOWED_HOSTS on every call, and a page of events makes a hundred."""
    return request.build_absolute_uri("/")[:-1]


def _artist(
    artist, request: HttpRequest, origin: str | None = None, paths: dict | None = None
) -> dict[str, Any]:
    data = {"@type": "MusicGroup" if artist.is_group else "Person", "name": artist.name}
    if paths is None:
        path = url_of(artist)  # None for a slug that makes no address: named only
    else:  # a page of events names the same artists again and again
        if artist.pk not in paths:
            paths[artist.pk] = url_of(artist)
        path = paths[artist.pk]
    if path is not None:
        data["url"] = (origin or _origin(request)) + path
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


def event_jsonld(
    event: Event,
    *,
    request: HttpRequest,
    origin: str | None = None,
    paths: dict | None = None,
) -> dict[str, Any]:
    """One event as schema.org data (uses the carried artists and release).

    Times carry the announced zone's offset; a delayed or cancelled event says so
    in ``eventStatus``.
    """
    origin = origin or _origin(request)
    zone = event.zone
    data: dict[str, Any] = {
        "@type": "MusicEvent" if event.kind in MUSIC_EVENT_KINDS else "Event",
        "name": event.title,
        "startDate": event.starts_at.astimezone(zone).isoformat(),
        "eventStatus": EVENT_STATUSES.get(
            event.status, "https://schema.org/EventScheduled"
        ),
        "url": origin + event.get_absolute_url(),
        "performer": [
            _artist(artist, request, origin, paths) for artist in event.performers
        ],
    }
    if event.ends_at:
        data["endDate"] = event.ends_at.astimezone(zone).isoformat()
    if event.place:
        data["location"] = {"@type": "Place", "name": event.place}
    if event.release_id and event.release:
        data["about"] = {
            "@type": "MusicAlbum",
            "name": event.release.title,
            "url": origin + event.release.get_absolute_url(),
        }
    return data


def events_jsonld(events, *, request: HttpRequest) -> dict[str, Any] | None:
    """A page's events as one graph (nothing when there are none)."""
    if not events:
        return None
    origin, paths = _origin(request), {}
    return {
        "@context": "https://schema.org",
        "@graph": [
            event_jsonld(event, request=request, origin=origin, paths=paths)
            for event in events
        ],
    }
