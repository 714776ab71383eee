"""One field carries a picture's renditions: heroes, photos, covers and post stills."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.db import models
from django.test.utils import isolate_apps

from articles.models import Article, LiveEntry, SocialPost
from artists.models import Artist
from core.images import (
    RenditionFieldFile,
    RenditionImageField,
    rendition_fields,
)
from core.renditions import DERIVED_FROM
from discography.models import Release
from photos.models import Photo
from tests.articles.factories import ArticleFactory, image_file


def test_every_picture_with_renditions_uses_the_one_field():
    found = {
        (model, field.name, field.renditions_field)
        for model, field in rendition_fields()
    }
    assert found == {
        (Article, "hero_image", "hero_renditions"),
        (LiveEntry, "photo", "photo_renditions"),
        (Artist, "photo", "photo_renditions"),
        (Release, "cover", "cover_renditions"),
        (SocialPost, "thumbnail", "thumbnail_renditions"),
        (Photo, "file", "file_renditions"),
    }


def test_migrations_see_a_plain_checked_image_field_for_the_usual_list_name():
    field = Article._meta.get_field("hero_image")
    _, path, _, kwargs = field.deconstruct()
    assert path == "core.images.CheckedImageField"
    assert "renditions_field" not in kwargs
    assert isinstance(field.clone(), RenditionImageField)


@isolate_apps("core")
def test_another_list_name_is_kept_in_migrations_and_checked():
    class Picture(models.Model):  # noqa: DJ008 - a throwaway model
        image = RenditionImageField(upload_to="p/", renditions_field="sizes")
        sizes = models.JSONField(default=list)

        class Meta:
            app_label = "core"

    class Broken(models.Model):  # noqa: DJ008 - a throwaway model
        image = RenditionImageField(upload_to="p/", renditions_field="missing")

        class Meta:
            app_label = "core"

    field = Picture._meta.get_field("image")
    _, path, _, kwargs = field.deconstruct()
    assert path == "core.images.RenditionImageField"
    assert kwargs["renditions_field"] == "sizes"
    assert field.clone().renditions_field == "sizes"
    assert field.check() == []
    assert [e.id for e in Broken._meta.get_field("image").check()] == ["core.E001"]


@pytest.mark.django_db
def test_the_field_file_shows_the_renditions_of_its_own_file_only():
    story = ArticleFactory(with_hero=True)
    assert isinstance(story.hero_image, RenditionFieldFile)
    assert story.hero_image.srcset_webp
    # A list made for another file (a replaced picture whose task has not run yet)
    # is never shown: the page falls back to the stored original.
    story.hero_renditions = [
        {**entry, "source": "articles/other.jpg"} for entry in story.hero_renditions
    ]
    assert story.hero_image.srcset_webp == ""
    assert story.hero_image.src == story.hero_image.url
    assert story.hero_image.largest is None


@pytest.mark.django_db
def test_clearing_the_picture_with_update_fields_clears_the_stored_list():
    story = ArticleFactory(with_hero=True)
    assert Article.objects.get(pk=story.pk).hero_renditions
    story.hero_image = None
    story.save(update_fields=["hero_image"])
    assert Article.objects.get(pk=story.pk).hero_renditions == []


@pytest.mark.django_db
def test_a_new_picture_saved_with_update_fields_gets_its_renditions():
    story = ArticleFactory()
    story.hero_image = ContentFile(image_file(700, 400), name="new.jpg")
    story.save(update_fields=["hero_image"])
    stored = Article.objects.get(pk=story.pk)
    own = [e for e in stored.hero_renditions if DERIVED_FROM not in e]
    assert {e["source"] for e in own} == {stored.hero_image.name}
    assert stored.hero_image.srcset_fallback.endswith("700w")


@pytest.mark.django_db
@isolate_apps("articles")
def test_a_proxy_models_saves_make_renditions_too():
    class FrontPageStory(Article):
        class Meta:
            proxy = True
            app_label = "articles"

    story = FrontPageStory.objects.create(
        headline="Through a proxy",
        hero_image=ContentFile(image_file(640, 360), name="proxy.jpg"),
    )
    assert story.hero_image.srcset_webp.endswith("640w")
    assert Article.objects.get(pk=story.pk).hero_renditions
