"""Releases, their tracks, artist credits and music videos.

Credits are ordered rows with a join phrase, as in MusicBrainz's artist credits, so
"IU feat. Hyein & DPR IAN" is data an editor can fix, not a string to re-type.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Protocol, Self
from urllib.parse import parse_qs, urlsplit

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from artists.models import Agency, Artist, http_url
from artists.slugs import unique_slug
from core.dates import PlausibleDateField, PlausibleDateTimeField
from core.images import RenditionImageField, validate_image
from core.rows import CarriedList
from core.sanitize import clean_html
from core.urlcache import cached_reverse
from discography.events import (
    DEFAULT_TIME_ZONE,
    Event,
    EventChange,
    validate_time_zone,
)
from discography.streaming import Service, check_service_url
from photos.fields import LibraryPhotoField

__all__ = [
    "Event",
    "EventChange",
    "MusicVideo",
    "Release",
    "ReleaseCredit",
    "Track",
    "TrackFeature",
    "credit_line",
    "parse_video_url",
    "validate_video_url",
]


class _Credit(Protocol):
    join_phrase: str

    @property
    def display_name(self) -> str: ...


def credit_line(credits: Iterable[_Credit]) -> str:
    """Ordered credits as one line: "IU & V", "feat. Hyein, DPR IAN"."""
    text = ""
    for credit in credits:
        phrase = credit.join_phrase.strip()
        if phrase and phrase[0] in ",;":
            text += phrase + " "
        elif phrase:
            text += (" " if text else "") + phrase + " "
        elif text:
            text += ", "
        text += credit.display_name
    return text


# --- video links --------------------------------------------------------------------

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "music.youtube.com",
}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def parse_video_url(url: str) -> tuple[str, str] | None:
    """``("youtube", id)`` or ``("vimeo", id)`` for a link to one video, else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/")
    if host in _YOUTUBE_HOSTS:
        if path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif re.match(r"^/(embed|shorts|live|v)/", path):
            video_id = path.split("/")[2]
        else:
            return None
        return ("youtube", video_id) if _YOUTUBE_ID.match(video_id) else None
    if host == "youtu.be":
        video_id = path.lstrip("/")
        return ("youtube", video_id) if _YOUTUBE_ID.match(video_id) else None
    if host in _VIMEO_HOSTS:
        match = re.match(r"^(?:/video)?/(\d+)$", path)
        return ("vimeo", match.group(1)) if match else None
    return None


def validate_video_url(url: str) -> None:
    """Accept only a link to a single YouTube or Vimeo video."""
    if parse_video_url(url) is None:
        raise ValidationError(
            "Enter a link to one video on YouTube (youtube.com/watch?v=… or "
            "youtu.be/…) or Vimeo.",
            code="not_a_video_link",
        )


# --- releases -----------------------------------------------------------------------


class ReleaseQuerySet(models.QuerySet):
    def newest_first(self) -> Self:
        """Releases as readers browse them: the latest first."""
        return self.order_by(models.F("released_on").desc(nulls_last=True), "-pk")

    def for_listing(self) -> Self:
        """Fields a release card shows (its credited artists) fetched up front."""
        return self.prefetch_related(
            Prefetch("credits", queryset=ReleaseCredit.objects.select_related("artist"))
        )

    def for_page(self) -> Self:
        """The release page: label, credits, tracks with features and videos, and
        where to stream it.

        One query per level (release, credits, tracks, features, videos, cast), so a
        long tracklist costs no more queries than a single.
        """
        return (
            self.select_related("label__parent")
            .prefetch_related(
                Prefetch(
                    "credits", queryset=ReleaseCredit.objects.select_related("artist")
                ),
                Prefetch(
                    "tracks",
                    queryset=Track.objects.prefetch_related(
                        Prefetch(
                            "features",
                            queryset=TrackFeature.objects.select_related("artist"),
                        ),
                        Prefetch(
                            "music_videos",
                            queryset=MusicVideo.objects.select_related(
                                "director_artist"
                            ).prefetch_related("cast"),
                        ),
                    ),
                ),
            )
            .annotate(**CarriedList.annotations(Release, "streaming_link_list"))
        )

    def by_artist(self, artist: Artist) -> Self:
        """Releases credited to the artist or with a track featuring them.

        ``is_main_credit`` tells the two apart, so the profile can show "Featured on"
        separately from the artist's own discography.
        """
        credited = ReleaseCredit.objects.filter(release=OuterRef("pk"), artist=artist)
        featured = TrackFeature.objects.filter(
            track__release=OuterRef("pk"), artist=artist
        )
        return (
            self.annotate(is_main_credit=Exists(credited))
            .filter(Q(is_main_credit=True) | Exists(featured))
            .newest_first()
        )


class StreamingLink(models.Model):
    """Where readers can listen to a release: one link per streaming service."""

    release = models.ForeignKey(
        "Release", on_delete=models.CASCADE, related_name="streaming_links"
    )
    service = models.CharField(max_length=16, choices=Service.choices)
    url = models.URLField("URL", max_length=500, validators=[http_url])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "service"],
                name="one_streaming_link_per_service",
                violation_error_message="This service is already listed.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()}: {self.url}"

    def clean(self) -> None:
        check_service_url(self.service, self.url)


class Release(models.Model):
    """An album, mini album (EP), single, OST or compilation."""

    class Kind(models.TextChoices):
        ALBUM = "album", "Album"
        EP = "ep", "Mini album (EP)"
        SINGLE = "single", "Single"
        OST = "ost", "OST"
        COMPILATION = "compilation", "Compilation"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="Made from the title when left empty.",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ALBUM)
    released_on = PlausibleDateField(null=True, blank=True)
    # With the date, the hour of the drop makes the release's calendar event
    # (discography.event_services.sync_release_drop): nothing is typed twice.
    release_time = models.TimeField(
        null=True, blank=True, help_text="The hour of the drop, for the calendar."
    )
    release_time_zone = models.CharField(
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        blank=True,
        validators=[validate_time_zone],
        help_text="The zone the hour was announced in (Asia/Seoul when empty).",
    )
    artists = models.ManyToManyField(
        Artist, through="ReleaseCredit", related_name="releases", blank=True
    )
    label = models.ForeignKey(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="releases",
    )
    cover = RenditionImageField(
        upload_to="covers/%Y/",
        blank=True,
        validators=[validate_image],
        width_field="cover_width",
        height_field="cover_height",
    )
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_alt = models.CharField(
        "cover alt text",
        max_length=300,
        blank=True,
        help_text="Describe the cover for readers who cannot see it.",
    )
    # Made by the refresh_image_renditions task (core.renditions); [] until then.
    cover_renditions = models.JSONField(default=list, blank=True, editable=False)
    # The library photo the cover is (photos.fields keeps ``cover`` its copy).
    cover_photo = LibraryPhotoField(
        image_field="cover",
        alt_field="cover_alt",
        related_name="cover_of_releases",
        verbose_name="cover picture",
    )
    description = models.TextField(blank=True, help_text="Rich text.")
    created_at = PlausibleDateTimeField(default=timezone.now, editable=False)
    updated_at = PlausibleDateTimeField(auto_now=True)
    # Title (A) and description text (D) for search; a PostgreSQL trigger keeps it
    # current (migration 0010); empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ReleaseQuerySet.as_manager()

    # Carried in the release page's own query (core.rows.CarriedList).
    streaming_link_list = CarriedList(
        StreamingLink,
        parent="release",
        fields=("id", "service", "url", "position"),
        order_by=("position", "id"),
    )

    class Meta:
        ordering = ["-released_on", "title"]
        indexes = [
            models.Index(fields=["-released_on", "-id"], name="release_newest_idx"),
            models.Index(fields=["kind", "-released_on"], name="release_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = self.title.strip()
        self.description = clean_html(self.description)
        if not self.slug:
            self.slug = unique_slug(self, self.title, fallback="release")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return cached_reverse("discography:release", slug=self.slug)

    def clean(self) -> None:
        if self.cover and not self.cover_alt.strip():
            raise ValidationError(
                {"cover_alt": "Describe the cover for screen readers."}
            )

    @property
    def artist_credit(self) -> str:
        """ "IU", "IU & V": the credited artists as one line (uses prefetched credits)."""
        return credit_line(self.credits.all())

    @property
    def drops_at(self) -> datetime.datetime | None:
        """The announced date and hour as an aware time (None without both)."""
        if self.released_on is None or self.release_time is None:
            return None
        zone = Event(time_zone=self.release_time_zone).zone
        return datetime.datetime.combine(self.released_on, self.release_time, zone)

    @property
    def running_time(self) -> datetime.timedelta | None:
        """Total length, or None while any track's duration is unknown."""
        durations = [track.duration for track in self.tracks.all()]
        if not durations or any(d is None for d in durations):
            return None
        return sum(durations, datetime.timedelta())


class ReleaseCredit(models.Model):
    """One credited artist of a release, in order, with the phrase before the name."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="credits"
    )
    artist = models.ForeignKey(
        Artist, on_delete=models.PROTECT, related_name="release_credits"
    )
    position = models.PositiveSmallIntegerField(default=0)
    credited_as = models.CharField(
        max_length=200, blank=True, help_text="The name as printed, if different."
    )
    join_phrase = models.CharField(
        max_length=32,
        blank=True,
        help_text='Words before this name: "&", "x", "with"; empty for the first.',
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "artist"],
                name="unique_release_credit",
                violation_error_message="This artist is already credited.",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.credited_as or self.artist.name


def positive_duration(value: datetime.timedelta | None) -> None:
    """A track lasts some time: zero or negative durations are typos."""
    if value is not None and value <= datetime.timedelta(0):
        raise ValidationError(
            "A duration must be longer than zero (for example 3:25).",
            code="non_positive_duration",
        )


class Track(models.Model):
    """A song on a release, at a position on a disc."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="tracks"
    )
    disc = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)]
    )
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = models.CharField(max_length=200)
    duration = models.DurationField(
        null=True,
        blank=True,
        validators=[positive_duration],
        help_text="Minutes and seconds, for example 4:31.",
    )
    is_title_track = models.BooleanField("title track", default=False)
    pre_released_on = PlausibleDateField(
        null=True, blank=True, help_text="When the track came out ahead of the release."
    )
    featured_artists = models.ManyToManyField(
        Artist, through="TrackFeature", related_name="featured_tracks", blank=True
    )
    # The title (A) for search; a PostgreSQL trigger keeps it current (0010).
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["release", "disc", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["release", "disc", "position"],
                name="unique_track_position",
                violation_error_message="Two tracks cannot share a disc and position.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = self.title.strip()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.release.get_absolute_url()}#track-{self.disc}-{self.position}"

    @property
    def feature_credit(self) -> str:
        """ "feat. Hyein": the featured artists as one line (uses prefetched rows)."""
        return credit_line(self.features.all())


class TrackFeature(models.Model):
    """A featured artist on a track, in order, with the phrase before the name."""

    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="features")
    artist = models.ForeignKey(
        Artist, on_delete=models.PROTECT, related_name="track_features"
    )
    position = models.PositiveSmallIntegerField(default=0)
    credited_as = models.CharField(max_length=200, blank=True)
    join_phrase = models.CharField(
        max_length=32,
        blank=True,
        default="feat.",
        help_text='Words before this name: "feat." for the first, then "&" or ",".',
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["track", "artist"],
                name="unique_track_feature",
                violation_error_message="This artist is already featured on the track.",
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.credited_as or self.artist.name


class MusicVideoQuerySet(models.QuerySet):
    def for_artist(self, artist: Artist) -> Self:
        """Videos an artist appears in or whose track is on one of their releases."""
        in_cast = MusicVideo.cast.through.objects.filter(
            musicvideo=OuterRef("pk"), artist=artist
        )
        theirs = ReleaseCredit.objects.filter(
            release=OuterRef("track__release"), artist=artist
        )
        return (
            self.filter(Exists(in_cast) | Exists(theirs))
            .select_related("track__release", "director_artist")
            .order_by(models.F("released_on").desc(nulls_last=True), "-pk")
        )


class MusicVideo(models.Model):
    """The video of a track: link, director, cast, release date."""

    track = models.ForeignKey(
        Track, on_delete=models.CASCADE, related_name="music_videos"
    )
    title = models.CharField(
        max_length=200, blank=True, help_text='Empty for the usual "Official MV".'
    )
    video_url = models.URLField(
        "video URL", max_length=500, validators=[http_url, validate_video_url]
    )
    director = models.CharField(
        max_length=200, blank=True, help_text="The director's name as credited."
    )
    director_artist = models.ForeignKey(
        Artist,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="directed_videos",
        help_text="Only when the director has a profile here.",
    )
    cast = models.ManyToManyField(Artist, blank=True, related_name="music_videos")
    released_on = PlausibleDateField(null=True, blank=True)
    behind_the_scenes_url = models.URLField(
        "behind-the-scenes URL",
        max_length=500,
        blank=True,
        validators=[http_url, validate_video_url],
    )

    objects = MusicVideoQuerySet.as_manager()

    class Meta:
        ordering = ["-released_on", "pk"]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return self.track.get_absolute_url()

    @property
    def display_title(self) -> str:
        return self.title or f"{self.track.title} (official music video)"

    @property
    def director_name(self) -> str:
        return self.director or (
            self.director_artist.name if self.director_artist else ""
        )

    @property
    def youtube_id(self) -> str | None:
        parsed = parse_video_url(self.video_url)
        return parsed[1] if parsed and parsed[0] == "youtube" else None
