"""Optional SEO title and description: used by the story page's meta when set."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.articles.factories import ArticleFactory, writer
from tests.articles.test_admin import form_data

pytestmark = pytest.mark.django_db


def test_seo_title_and_description_lead_the_page_meta(client):
    story = ArticleFactory(
        published=True,
        headline="A long headline written for readers of the front page",
        dek="The dek.",
        seo_title="IU world tour: dates & tickets",
        seo_description="Every date of IU's 2024 tour, with ticket links.",
    )
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<title>IU world tour: dates &amp; tickets · " in page
    assert (
        '<meta property="og:title" content="IU world tour: dates &amp; tickets">'
        in page
    )
    assert "Every date of IU&#39;s 2024 tour, with ticket links." in page
    assert '<meta property="og:description" content="The dek.">' not in page


def test_without_them_the_headline_and_dek_serve(client):
    story = ArticleFactory(published=True, headline="Plain headline", dek="Plain dek")
    page = client.get(story.get_absolute_url()).content.decode()
    assert '<meta property="og:title" content="Plain headline">' in page
    assert '<meta property="og:description" content="Plain dek">' in page


def test_the_form_saves_them_with_counts_and_previews(client):
    alice = writer()
    story = ArticleFactory(created_by=alice)
    client.force_login(alice)
    url = reverse("admin:articles_article_change", args=[story.pk])
    page = client.get(url).content.decode()
    assert 'data-count-ideal="60"' in page and 'id="seo-preview"' in page
    client.post(
        url,
        form_data(story, seo_title="짧은 제목", seo_description="  two   spaces "),
    )
    story = Article.objects.get()
    assert (story.seo_title, story.seo_description) == ("짧은 제목", "two spaces")


def test_writers_read_only_view_of_a_story_in_review_shows_the_rendered_body(client):
    alice = writer()
    story = ArticleFactory(
        created_by=alice,
        in_review=True,
        body="<p>IU said <strong>thank you</strong>.</p>"
        "<p>https://x.com/lilacnotes/status/1762049872336609286</p>",
    )
    client.force_login(alice)
    page = client.get(
        reverse("admin:articles_article_change", args=[story.pk])
    ).content.decode()
    assert (
        '<div class="story-body-readonly"><p>IU said <strong>thank you</strong>' in page
    )
    assert "&lt;strong&gt;" not in page
    assert "@lilacnotes" in page  # the post as its card
    assert 'id="story-editor"' not in page  # no editing tools on a read-only view
