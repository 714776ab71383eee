"""Demo release from shared/domain.md: IU's mini album The Winning, with its video,
and a few invented upcoming calendar events (marked ``is_demo``).

Keyed by slug and by (release, disc, position), so running it twice duplicates nothing.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone

from artists.models import Agency, Artist
from discography import event_services
from discography.models import (
    Event,
    MusicVideo,
    Release,
    ReleaseCredit,
    StreamingLink,
    Track,
    TrackFeature,
)
from discography.streaming import Service
from photos import demo_art

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
    if not release.cover_photo_id:
        release.cover_photo = demo_art.demo_photo(
            "release:the-winning",
            lambda: demo_art.sleeve("release:the-winning", "The Winning"),
            alt="Illustrated cover for The Winning: a dark disc in rings of light, "
            "the title in capitals below",
        )
        release.save()
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
    events = load_events()
    return f"1 release with {len(TRACKS)} tracks and 1 music video; {events}"


# --- demo calendar ----------------------------------------------------------------------

# (title, kind, days from today, local hour, zone, place, artist slugs, delayed by days,
# cancelled?) Invented upcoming events for the demo calendar, marked ``is_demo``.
DEMO_EVENTS = [
    (
        "IU fan meeting",
        "fan_meeting",
        5,
        (18, 0),
        "Asia/Seoul",
        "Seoul",
        ["iu"],
        0,
        False,
    ),
    (
        "V pre-release single",
        "pre_release",
        3,
        (18, 0),
        "Asia/Seoul",
        "",
        ["v"],
        7,
        False,
    ),
    (
        "NewJeans music-show stage",
        "music_show",
        2,
        (16, 0),
        "Asia/Seoul",
        "Seoul",
        ["newjeans"],
        0,
        False,
    ),
    (
        "DPR IAN concert in London",
        "concert",
        12,
        (19, 30),
        "Europe/London",
        "London",
        ["dpr-ian"],
        0,
        False,
    ),
    ("BTS showcase", "showcase", 20, (20, 0), "Asia/Seoul", "Seoul", ["bts"], 0, False),
    ("Hyein fan sign", "other", 8, (15, 0), "Asia/Seoul", "Seoul", ["hyein"], 0, True),
]
DEMO_SOURCE = "https://example.com/demo-announcement"


def load_events() -> str:
    """Upcoming demo events relative to today; one delayed, one cancelled.

    A demo event whose time has passed is made afresh, so the calendar is never empty
    however long ago the demo was loaded; the others are left as they are.
    """
    artists = {a.slug: a for a in Artist.objects.filter(slug__in=_slugs())}
    today = timezone.localdate()
    made = 0
    for title, kind, days, (
        hour,
        minute,
    ), zone, place, slugs, delay, cancel in DEMO_EVENTS:
        existing = Event.objects.filter(title=title, is_demo=True).first()
        if existing and existing.starts_at > timezone.now():
            continue
        if existing:
            existing.delete()
        starts_at = datetime.datetime.combine(
            today + datetime.timedelta(days=days),
            datetime.time(hour, minute),
            zoneinfo.ZoneInfo(zone),
        )
        event = event_services.create_event(
            by=None,
            kind=kind,
            title=title,
            starts_at=starts_at,
            time_zone=zone,
            place=place,
            artists=[artists[s] for s in slugs if s in artists],
            source_url=DEMO_SOURCE,
            is_demo=True,
        )
        if delay:
            event_services.move_event(
                event=event,
                by=None,
                starts_at=starts_at + datetime.timedelta(days=delay),
                source_url=DEMO_SOURCE,
                note="Demo: moved a week later.",
            )
        if cancel:
            event_services.cancel_event(event=event, by=None, source_url=DEMO_SOURCE)
        made += 1
    return f"{made} new demo calendar event{'s' if made != 1 else ''}"


def _slugs() -> set[str]:
    return {slug for row in DEMO_EVENTS for slug in row[6]}
