"""Factories for stories and the people around them, with editorial-state traits."""

from __future__ import annotations

import datetime
import io

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Author, Byline, Section, Source
from artists.models import Artist
from discography.models import Release, Track
from newsroom.groups import EDITORS, WRITERS


def image_file(width: int = 800, height: int = 450, fmt: str = "JPEG", **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 60)).save(out, fmt, **save)
    return out.getvalue()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def group(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


def writer(**kwargs):
    return UserFactory(group=WRITERS, **kwargs)


def editor(**kwargs):
    return UserFactory(group=EDITORS, **kwargs)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.Sequence(lambda n: f"section-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    display_name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.Sequence(lambda n: f"author-{n}")


class ArtistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Artist

    name = factory.Sequence(lambda n: f"Artist {n}")
    slug = factory.Sequence(lambda n: f"artist-{n}")


class ReleaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Release

    title = factory.Sequence(lambda n: f"Release {n}")
    slug = factory.Sequence(lambda n: f"release-{n}")


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    release = factory.SubFactory(ReleaseFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Track {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """``ArticleFactory(published=True, tags=2, artists=2, authors=2)``."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Story number {n}")
    dek = "A one-line summary."
    body = "<p>Some words in a paragraph.</p>"
    section = factory.SubFactory(SectionFactory)
    created_by = factory.SubFactory(UserFactory)

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(hours=1)
            ),
        )
        scheduled = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() + datetime.timedelta(hours=3)
            ),
        )
        in_review = factory.Trait(status=Article.Status.REVIEW)
        archived = factory.Trait(
            status=Article.Status.ARCHIVED,
            published_at=factory.LazyFunction(
                lambda: timezone.now() - datetime.timedelta(days=3)
            ),
        )
        with_hero = factory.Trait(
            hero_image=factory.LazyFunction(
                lambda: ContentFile(image_file(1000, 600), name="hero.jpg")
            ),
            hero_alt="A red rectangle",
        )

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            names = extracted if isinstance(extracted, list) else range(extracted)
            self.tags.add(*[f"tag {n}" if isinstance(n, int) else n for n in names])

    @factory.post_generation
    def artists(self, create, extracted, **kwargs):
        if create and extracted:
            self.artists.add(*ArtistFactory.create_batch(extracted))

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        if create and extracted:
            for position, author in enumerate(AuthorFactory.create_batch(extracted)):
                Byline.objects.create(article=self, author=author, position=position)

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create and extracted:
            for n in range(extracted):
                Source.objects.create(
                    article=self, name=f"Source {n}", url=f"https://example.com/{n}"
                )
