"""Factories for releases, tracks, credits and music videos."""

import datetime

import factory
from django.utils import timezone

from discography.models import (
    Event,
    MusicVideo,
    Release,
    ReleaseCredit,
    Track,
    TrackFeature,
)
from tests.artists.factories import ArtistFactory


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Release {n}")
    kind = Release.Kind.ALBUM
    released_on = factory.Sequence(
        lambda n: datetime.date(2020, 1, 1) + datetime.timedelta(days=n)
    )

    @factory.post_generation
    def artists(self, create, extracted, **kwargs):
        """``artists=[a, b]`` credits them in that order."""
        if create and extracted:
            for position, artist in enumerate(extracted):
                ReleaseCreditFactory(
                    release=self,
                    artist=artist,
                    position=position,
                    join_phrase="&" if position else "",
                )

    @factory.post_generation
    def tracks(self, create, extracted, **kwargs):
        """``tracks=12`` adds a twelve-track list of 3-minute songs."""
        if create and extracted:
            for position in range(1, extracted + 1):
                TrackFactory(release=self, position=position)


class ReleaseCreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReleaseCredit
        skip_postgeneration_save = True

    release = factory.SubFactory(ReleaseFactory)
    artist = factory.SubFactory(ArtistFactory)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track
        skip_postgeneration_save = True

    release = factory.SubFactory(ReleaseFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Song {n}")
    duration = datetime.timedelta(minutes=3)

    @factory.post_generation
    def featuring(self, create, extracted, **kwargs):
        """``featuring=[artist]`` adds featured credits ("feat.", then "&")."""
        if create and extracted:
            for position, artist in enumerate(extracted):
                TrackFeature.objects.create(
                    track=self,
                    artist=artist,
                    position=position,
                    join_phrase="&" if position else "feat.",
                )


class MusicVideoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MusicVideo
        skip_postgeneration_save = True

    track = factory.SubFactory(TrackFactory)
    video_url = "https://www.youtube.com/watch?v=abcdefghijk"
    director = "A Director"
    released_on = datetime.date(2024, 1, 24)

    @factory.post_generation
    def cast(self, create, extracted, **kwargs):
        if create and extracted:
            self.cast.set(extracted)


class EventFactory(factory.django.DjangoModelFactory):
    """An announced event a week from now; ``artists=[a]`` links them."""

    class Meta:
        model = Event
        skip_postgeneration_save = True

    kind = Event.Kind.SHOWCASE
    title = factory.Sequence(lambda n: f"Showcase {n}")
    starts_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    )
    time_zone = "Asia/Seoul"
    status = Event.Status.ANNOUNCED

    @factory.post_generation
    def artists(self, create, extracted, **kwargs):
        if create and extracted:
            self.artists.set(extracted)
