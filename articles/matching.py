"""Which artists, releases and tracks a story mentions, so editors tag in one click.

One function decides what "mentions" means (``mentions_in``): an artist is mentioned
by any of its names (stage, native, sort name and aliases such as birth names and
romanisations; ``Artist.all_names``), a release or track by its title.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.utils.html import strip_tags

from artists.models import Artist
from core.rows import CarriedList
from discography.models import Release, Track


@dataclass
class Suggestions:
    artists: list[Artist] = field(default_factory=list)
    releases: list[Release] = field(default_factory=list)
    tracks: list[Track] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.artists or self.releases or self.tracks)


def story_text(*, headline: str, dek: str, body: str) -> str:
    """The words a reader sees: headline, dek and body without markup."""
    return "\n".join([headline or "", dek or "", html.unescape(strip_tags(body or ""))])


def name_pattern(name: str) -> re.Pattern[str] | None:
    """Whole-word pattern for a name; one-letter names (V) must match their case."""
    name = " ".join(name.split())
    if not name:
        return None
    flags = 0 if len(name) == 1 else re.IGNORECASE
    escaped = r"\s+".join(re.escape(part) for part in name.split(" "))
    return re.compile(rf"(?<!\w){escaped}(?!\w)", flags)


def mentions(text: str, name: str) -> bool:
    pattern = name_pattern(name)
    return bool(pattern and pattern.search(text))


def mentions_in(text: str, *, exclude: Suggestions | None = None) -> Suggestions:
    """Artists, releases and tracks whose names appear in ``text`` (whole words)."""
    exclude = exclude or Suggestions()
    skip_artists = {a.pk for a in exclude.artists}
    skip_releases = {r.pk for r in exclude.releases}
    skip_tracks = {t.pk for t in exclude.tracks}
    found = Suggestions()
    artists = Artist.objects.exclude(pk__in=skip_artists).annotate(
        **CarriedList.annotations(Artist, "alias_list")
    )
    for artist in artists:
        if any(mentions(text, name) for name in artist.all_names()):
            found.artists.append(artist)
    for release in Release.objects.exclude(pk__in=skip_releases).only("pk", "title"):
        if mentions(text, release.title):
            found.releases.append(release)
    tracks = Track.objects.exclude(pk__in=skip_tracks).select_related("release")
    for track in tracks.only("pk", "title", "release__title"):
        if mentions(text, track.title):
            found.tracks.append(track)
    return found


def suggest_related(article) -> Suggestions:
    """What the story mentions and is not yet linked to."""
    linked = Suggestions(
        artists=list(article.artists.all()),
        releases=list(article.releases.all()),
        tracks=list(article.tracks.all()),
    )
    text = story_text(headline=article.headline, dek=article.dek, body=article.body)
    return mentions_in(text, exclude=linked)
