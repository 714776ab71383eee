"""Demo release from shared/domain.md: IU's mini album The Winning."""

import datetime

from discography.models import Release, Track

TRACKS = ["Shopper", "Holssi", "Love wins all", "Shh..", "Stan U"]


def load() -> str:
    """Create or update The Winning and its five tracks by slug and position."""
    release, _ = Release.objects.update_or_create(
        slug="the-winning",
        defaults={
            "title": "The Winning",
            "kind": Release.Kind.EP,
            "released_on": datetime.date(2024, 2, 20),
        },
    )
    for position, title in enumerate(TRACKS, start=1):
        Track.objects.update_or_create(
            release=release, disc=1, position=position, defaults={"title": title}
        )
    return f"1 release with {len(TRACKS)} tracks"
