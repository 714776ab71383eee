"""Issue 18, the photo desk: every picture is a library photo, heroes, artist photos,
covers and stills point at it, and the admin list finds it by any word."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from articles.models import Article
from artists.models import Artist
from discography.models import Release
from newsroom.groups import EDITORS, WRITERS
from photos.models import Photo
from tests.articles.factories import ArticleFactory
from tests.photos.factories import make_photo, upload
from tests.security.conftest import make_user

pytestmark = pytest.mark.django_db


def test_a_hero_uploaded_to_the_story_becomes_a_library_photo_with_the_same_file():
    story = ArticleFactory(
        hero_image=upload("hero.jpg"),
        hero_alt="V at the airport",
        hero_credit="Dispatch",
    )
    story.refresh_from_db()
    photo = story.hero_photo
    assert photo is not None
    assert photo.file.name == story.hero_image.name  # one file, the old URL stays
    assert (photo.alt_text, photo.credit) == ("V at the airport", "Dispatch")
    assert (photo.width, photo.height) == (800, 450)
    assert Photo.objects.count() == 1


def test_choosing_a_library_photo_fills_the_fields_templates_read():
    photo = make_photo("IU at the Golden Disc Awards", caption="IU won the daesang.")
    story = ArticleFactory()
    story.hero_photo = photo
    story.save()
    story = Article.objects.get(pk=story.pk)
    assert story.hero_image.name == photo.file.name
    assert story.hero_alt == "IU at the Golden Disc Awards"
    assert story.hero_credit == "EDAM Entertainment"
    assert story.hero_caption == "IU won the daesang."
    assert ".webp 800w" in story.hero_image.srcset_webp
    assert story.hero_image.src.startswith("/media/renditions/")
    assert Photo.objects.count() == 1


def test_editing_a_photo_updates_every_row_showing_it():
    photo = make_photo("Old words")
    story = ArticleFactory(hero_photo=photo)
    artist = Artist.objects.create(name="IU", slug="iu", library_photo=photo)
    release = Release.objects.create(title="The Winning", cover_photo=photo)
    photo.alt_text = "IU smiling, Hangul 아이유"
    photo.credit = "Kakao"
    photo.save()
    assert Article.objects.get(pk=story.pk).hero_alt == "IU smiling, Hangul 아이유"
    assert Article.objects.get(pk=story.pk).hero_credit == "Kakao"
    assert Artist.objects.get(pk=artist.pk).photo_alt == "IU smiling, Hangul 아이유"
    assert Release.objects.get(pk=release.pk).cover.name == photo.file.name


def test_removing_the_chosen_photo_removes_the_picture():
    story = ArticleFactory(hero_photo=make_photo())
    story = Article.objects.get(pk=story.pk)
    story.hero_photo = None
    story.save()
    story = Article.objects.get(pk=story.pk)
    assert not story.hero_image
    assert story.hero_renditions == []
    assert Photo.objects.count() == 1  # the library keeps it


def test_the_data_migration_adopts_every_picture_once():
    story = ArticleFactory(hero_image=upload(), hero_alt="A stage")
    Article.objects.update(hero_photo=None)
    Photo.objects.all().delete()
    migration = importlib.import_module("articles.migrations.0510_library_photos")
    migration.forwards(apps, None)
    migration.forwards(apps, None)  # a second run finds nothing left to adopt
    story = Article.objects.get(pk=story.pk)
    assert Photo.objects.get().file.name == story.hero_image.name
    assert story.hero_photo.alt_text == "A stage"


def test_search_matches_any_word_case_insensitively():
    make_photo("NewJeans at Inkigayo", caption="Hyein waves", credit="ADOR")
    make_photo("A quiet street", credit="Newsroom")
    assert [p.alt_text for p in Photo.objects.matching("hyein ador")] == [
        "NewJeans at Inkigayo"
    ]
    assert Photo.objects.matching("").count() == 2


@pytest.fixture
def editor(client):
    user = make_user("eun-editor", EDITORS)
    client.force_login(user)
    return user


def test_the_changelist_has_thumbnails_search_and_filters(client, editor):
    photo = make_photo("BTS V in Paris", caption="V at a show")
    photo.tags.add("paris")
    artist = Artist.objects.create(name="V", slug="v")
    artist.photos.add(photo)
    photo.refresh_search_text()
    make_photo("Other picture", usage=Photo.UsageKind.OWN)
    url = reverse("admin:photos_photo_changelist")
    page = client.get(url, {"q": "paris"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "BTS V in Paris" in html and "Other picture" not in html
    assert 'class="photo-thumb"' in html
    assert client.get(url, {"q": "v"}).status_code == 200
    by_artist = client.get(url, {"artists_shown__id__exact": artist.pk})
    assert "Other picture" not in by_artist.content.decode()
    by_usage = client.get(url, {"usage_kind__exact": "own"})
    assert "BTS V in Paris" not in by_usage.content.decode()
    by_tag = client.get(url, {"tags__id__exact": photo.tags.get().pk})
    assert "Other picture" not in by_tag.content.decode()


def test_a_writer_uploads_and_an_editor_edits_any(client):
    writer = make_user("wren-writer", WRITERS)
    client.force_login(writer)
    add = client.post(
        reverse("admin:photos_photo_add"),
        {
            "file": upload(),
            "alt_text": "Fans outside the venue",
            "credit": "Newsroom",
            "usage_kind": "own",
            "focal_x": "0.3",
            "focal_y": "0.6",
            "tags": "fans",
        },
    )
    assert add.status_code == 302, add.content.decode()[:2000]
    own = Photo.objects.get()
    assert own.uploaded_by == writer and own.focal_x == 0.3
    others = make_photo("Someone else's")
    change = reverse("admin:photos_photo_change", args=[others.pk])
    assert client.get(change).status_code == 200  # may view and use it
    assert client.post(change, {"alt_text": "x"}).status_code == 403
    client.force_login(make_user("eun-editor", EDITORS))
    assert client.get(change).status_code == 200
