"""Issue 18: the chooser's endpoints: search newest first, filter, upload in place
(into the library, checked like every upload), stories for cards; staff only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from articles.models import Article
from newsroom.groups import EDITORS, MODERATORS, WRITERS
from photos.models import Photo
from tests.articles.factories import ArticleFactory
from tests.photos.factories import make_photo, upload
from tests.security.conftest import make_user

pytestmark = pytest.mark.django_db


def test_search_is_newest_first_with_filters_and_paging(client):
    client.force_login(make_user("wren-writer", WRITERS))
    older = make_photo("Hyein at Inkigayo", usage=Photo.UsageKind.OWN)
    newer = make_photo("Hyein at the airport", credit="")
    url = reverse("admin:photos_photo_chooser")
    found = client.get(url, {"q": "HYEIN"}).json()
    assert [row["id"] for row in found["results"]] == [newer.pk, older.pk]
    assert found["results"][0]["missing"] == ["credit"]
    assert found["results"][0]["thumbnail"].endswith(".webp")
    own = client.get(url, {"q": "hyein", "usage": "own"}).json()["results"]
    assert [row["id"] for row in own] == [older.pk]
    for hostile in ("<script>", "%", "_", "' OR 1=1 --", "x" * 5000):
        assert client.get(url, {"q": hostile, "page": "-3"}).status_code == 200


def test_upload_in_place_adds_a_checked_photo_to_the_library(client):
    writer = make_user("wren-writer", WRITERS)
    client.force_login(writer)
    url = reverse("admin:photos_photo_chooser_upload")
    added = client.post(
        url,
        {
            "file": upload(),
            "alt_text": "아이유 on stage",
            "credit": "EDAM",
            "usage_kind": "agency",
        },
    )
    assert added.status_code == 201
    photo = Photo.objects.get(pk=added.json()["photo"]["id"])
    assert photo.uploaded_by == writer and photo.alt_text == "아이유 on stage"
    refused = client.post(url, {"file": upload(), "alt_text": ""})
    assert refused.status_code == 400 and "alt_text" in refused.json()["errors"]
    assert Photo.objects.count() == 1


def test_moderators_and_readers_get_no_chooser(client):
    url = reverse("admin:photos_photo_chooser")
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(make_user("min-moderator", MODERATORS))
    assert client.get(url).status_code == 403
    upload_url = reverse("admin:photos_photo_chooser_upload")
    assert (
        client.post(upload_url, {"file": upload(), "alt_text": "x"}).status_code == 403
    )


def test_story_search_offers_published_stories_only(client):
    client.force_login(make_user("eun-editor", EDITORS))
    live = ArticleFactory(published=True, headline="Fans praise V on set")
    ArticleFactory(headline="Fans draft, not published")
    found = client.get(reverse("admin:photos_story_chooser"), {"q": "fans"}).json()
    assert [row["id"] for row in found["results"]] == [live.pk]
    assert found["results"][0]["url"] == live.get_absolute_url()
    assert Article.objects.count() == 2
