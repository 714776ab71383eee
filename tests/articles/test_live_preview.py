"""The live preview renders the unsaved form in the reader's template, saving nothing."""

import pytest
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from articles.models import Article, SocialPost
from tests.articles.factories import ArticleFactory, ArtistFactory, writer
from tests.articles.test_admin import form_data

pytestmark = pytest.mark.django_db
NEW_URL = reverse("admin:articles_article_live_preview_new")


def preview_url(story):
    return reverse("admin:articles_article_live_preview", args=[story.pk])


def test_preview_shows_the_typed_story_and_saves_nothing(
    client, django_assert_max_num_queries
):
    alice = writer()
    story = ArticleFactory(created_by=alice, headline="Saved headline")
    story.tags.add("IU")
    artist = ArtistFactory(name="NewJeans")
    client.force_login(alice)
    data = form_data(
        story,
        headline="Typed <b>headline</b>",
        dek="아이유의 새 앨범",
        body="<p>Fresh text</p><script>alert(1)</script>"
        "<p>https://x.com/lilacnotes/status/1762049872336609286</p>",
        tags="iu, brand new tag",
        artists=[str(artist.pk)],
    )
    client.post(preview_url(story), data)  # warm per-process caches
    with django_assert_max_num_queries(25):
        response = client.post(preview_url(story), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Typed &lt;b&gt;headline&lt;/b&gt;" in page and "아이유의 새 앨범" in page
    assert "Fresh text" in page and "<script>alert" not in page
    assert "#IU" in page and "#brand new tag" in page and "NewJeans" in page
    assert "@lilacnotes" in page and "26 Feb 2024" in page  # from the URL alone
    story.refresh_from_db()
    assert story.headline == "Saved headline" and story.version == 1
    assert not Version.objects.exists() and not SocialPost.objects.exists()
    assert not Tag.objects.filter(name="brand new tag").exists()


def test_preview_of_a_story_never_saved(client):
    client.force_login(writer(first_name="Mina", last_name="Seo"))
    response = client.post(NEW_URL, form_data(headline="Brand new", body="<p>Hi</p>"))
    assert response.status_code == 200
    assert "Brand new" in response.content.decode()
    assert "Mina Seo" in response.content.decode()
    assert not Article.objects.exists()


def test_preview_is_for_who_may_edit_the_story(client):
    story = ArticleFactory(created_by=writer())
    assert client.post(preview_url(story), form_data(story)).status_code == 302
    client.force_login(writer())  # another writer's draft is out of sight
    assert client.post(preview_url(story), form_data(story)).status_code in (302, 404)
    client.force_login(story.created_by)
    assert client.get(preview_url(story)).status_code == 405
