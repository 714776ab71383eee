"""Demo release from shared/domain.md: IU's mini album The Winning, with its video.

Keyed by slug and by (release, disc, position), so running it twice duplicates nothing.
"""

from __future__ import annotations

import datetime

from artists.models import Agency, Artist
from discography.models import (
    MusicVideo,
    Release,
    ReleaseCredit,
    StreamingLink,
    Track,
    TrackFeature,
)
from discography.streaming import Service

LOVE_WINS_ALL_ON = datetime.date(2024, 1, 24)

# (title, running time in seconds, title track?, pre-released on, featured slugs)
# Running times are rounded demo values, not checked against a catalogue.
TRACKS = [
    ("Shopper", 185, False, None, []),
    ("Holssi", 195, False, None, []),
    ("Love wins all", 271, True, LOVE_WINS_ALL_ON, []),
    ("Shh..", 232, False, None, ["hyein"]),
    ("Stan U", 206, False, None, ["dpr-ian"]),
]

DESCRIPTION = (
    "<p>IU's mini album gathers five songs about winning on one's own terms, "
    "from the playful <em>Shopper</em> to the closing <em>Stan U</em>. The ballad "
    "<em>Love wins all</em> came out a month ahead as the lead single.</p>"
)


# Where to listen: each service's own search for the album (we link to no page
# whose address we cannot vouch for).
STREAMING = [
    (Service.MELON, "https://www.melon.com/search/total/index.htm?q=IU+The+Winning"),
    (Service.SPOTIFY, "https://open.spotify.com/search/IU%20The%20Winning"),
    (Service.APPLE_MUSIC, "https://music.apple.com/search?term=IU%20The%20Winning"),
    (Service.YOUTUBE_MUSIC, "https://music.youtube.com/search?q=IU+The+Winning"),
]


def load() -> str:
    """Create or update The Winning, its credits, tracks and music video."""
    artists = {
        a.slug: a
        for a in Artist.objects.filter(slug__in=["iu", "v", "hyein", "dpr-ian"])
    }
    release, _ = Release.objects.update_or_create(
        slug="the-winning",
        defaults={
            "title": "The Winning",
            "kind": Release.Kind.EP,
            "released_on": datetime.date(2024, 2, 20),
            "label": Agency.objects.filter(slug="edam-entertainment").first(),
            "description": DESCRIPTION,
        },
    )
    ReleaseCredit.objects.update_or_create(
        release=release, artist=artists["iu"], defaults={"position": 0}
    )
    tracks: dict[str, Track] = {}
    for position, (title, seconds, is_title, pre_released_on, features) in enumerate(
        TRACKS, start=1
    ):
        track, _ = Track.objects.update_or_create(
            release=release,
            disc=1,
            position=position,
            defaults={
                "title": title,
                "duration": datetime.timedelta(seconds=seconds),
                "is_title_track": is_title,
                "pre_released_on": pre_released_on,
            },
        )
        tracks[title] = track
        for order, slug in enumerate(features):
            TrackFeature.objects.update_or_create(
                track=track,
                artist=artists[slug],
                defaults={
                    "position": order,
                    "join_phrase": "feat." if order == 0 else "&",
                },
            )
    video, _ = MusicVideo.objects.update_or_create(
        track=tracks["Love wins all"],
        video_url="https://www.youtube.com/watch?v=JleoAppaxi0",
        defaults={
            "director": "Um Tae-hwa",
            "released_on": LOVE_WINS_ALL_ON,
        },
    )
    video.cast.set([artists["iu"], artists["v"]])
    for position, (service, url) in enumerate(STREAMING):
        StreamingLink.objects.update_or_create(
            release=release,
            service=service,
            defaults={"url": url, "position": position},
        )
    return f"1 release with {len(TRACKS)} tracks and 1 music video"
