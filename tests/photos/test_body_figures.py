"""Issue 18: library pictures, galleries and related-story cards in a story's body;
the sanitizer keeps exactly their attributes; pages cost the same with 1 or 30
pictures; publishing waits for every picture's rights; where a photo is used."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services
from articles.models import Article
from core.sanitize import clean_html
from newsroom.groups import EDITORS
from photos.models import Photo
from photos.usage import uses_of
from tests.articles.factories import ArticleFactory
from tests.photos.factories import make_photo
from tests.security.conftest import make_user

pytestmark = pytest.mark.django_db

STORY_BUDGET = 8  # tests/articles/test_views.py: the story page's budget


def small_photo(n: int, **fields) -> Photo:
    return make_photo(
        f"Picture {n} of the concert",
        width=400,
        height=300,
        caption=f"Scene {n}",
        **fields,
    )


def test_the_sanitizer_keeps_exactly_the_reference_attributes():
    dirty = (
        '<figure data-photo="12" class="x" onclick="alert(1)" data-evil="1"></figure>'
        '<figure data-gallery="3, 4,5" style="color:red"></figure>'
        '<figure data-story="7"><script>alert(1)</script></figure>'
        '<figure data-photo="javascript:alert(1)"></figure>'
        '<figure data-gallery="1,,2"></figure><p data-photo="3">text</p>'
    )
    assert clean_html(dirty) == (
        '<figure data-photo="12"></figure>'
        '<figure data-gallery="3,4,5"></figure>'
        '<figure data-story="7"></figure>'
        "<figure></figure><figure></figure><p>text</p>"
    )


def page_of(client, story) -> str:
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_readers_get_the_picture_the_gallery_and_the_story_card(client):
    single = small_photo(1, credit="EDAM 이담")
    gallery = [small_photo(n) for n in (2, 3, 4)]
    related = ArticleFactory(
        published=True, headline="Fans praise V", dek="A cold set, warm words"
    )
    ids = ",".join(str(photo.pk) for photo in gallery)
    story = ArticleFactory(
        published=True,
        body=f'<p>Intro</p><figure data-photo="{single.pk}"></figure>'
        f'<p>More</p><figure data-gallery="{ids}"></figure>'
        f'<figure data-story="{related.pk}"></figure>',
    )
    html = page_of(client, story)
    body = html[html.index('class="story__body"') :]
    figure = re.search(r'<figure class="body-photo">.*?</figure>', body, re.S)[0]
    assert 'type="image/webp"' in figure and ".webp 400w" in figure
    assert 'width="400" height="300"' in figure
    assert 'alt="Picture 1 of the concert"' in figure
    assert "Scene 1" in figure and "EDAM 이담" in figure
    assert 'loading="lazy"' not in figure  # no hero: the first picture is eager
    grid = re.search(r'<figure class="body-gallery".*?</figure>', body, re.S)[0]
    assert 'aria-label="Gallery: 3 photos"' in grid
    assert grid.count('<a class="body-gallery__link"') == 3
    assert grid.count('loading="lazy"') == 3
    assert "<script" not in grid
    card = re.search(r'<figure class="body-story-card">.*?</figure>', body, re.S)[0]
    assert related.get_absolute_url() in card
    assert "Fans praise V" in card and "A cold set, warm words" in card

    services.archive_article(article=related, by=make_user("ed", EDITORS))
    assert "body-story-card" not in page_of(client, Article.objects.get(pk=story.pk))


def test_a_missing_photo_renders_nothing():
    from articles.figures import render_figures

    assert render_figures('<p>a</p><figure data-photo="999999"></figure>') == "<p>a</p>"
    assert render_figures('<figure data-gallery="999998,999999"></figure>') == ""


def count_queries(client, story) -> int:
    with CaptureQueriesContext(connection) as queries:
        page_of(client, story)
    return len(queries)


def test_query_count_is_the_same_for_galleries_of_1_and_30(client, settings):
    settings.PAGE_CACHE_ENABLED = False
    photos = [small_photo(n) for n in range(30)]
    related = ArticleFactory(published=True)
    one = ArticleFactory(
        published=True,
        body=f'<figure data-gallery="{photos[0].pk}"></figure>'
        f'<figure data-story="{related.pk}"></figure>',
    )
    thirty = ArticleFactory(
        published=True,
        body=f'<figure data-gallery="{",".join(str(p.pk) for p in photos)}"></figure>'
        f'<figure data-photo="{photos[1].pk}"></figure>'
        f'<figure data-story="{related.pk}"></figure>',
    )
    plain = ArticleFactory(published=True)
    # The first page of a process also reads the reaction settings row (then cached).
    client.get(plain.get_absolute_url())
    baseline = count_queries(client, plain)
    small, large = count_queries(client, one), count_queries(client, thirty)
    assert page_of(client, thirty).count('class="body-gallery__link"') == 30
    assert small == large == baseline + 2  # all photos in one query, stories in one
    assert large <= STORY_BUDGET


def test_publishing_waits_for_credit_and_usage_terms_naming_the_photo():
    editor = make_user("eun-editor", EDITORS)
    fine = small_photo(1)
    lacking = small_photo(2, credit="", usage="")
    story = ArticleFactory(
        body=f'<figure data-gallery="{fine.pk},{lacking.pk}"></figure>'
    )
    with pytest.raises(ValidationError) as refused:
        services.publish_article(article=story, by=editor)
    message = " ".join(refused.value.messages)
    assert f"photo {lacking.pk}" in message and "Picture 2 of the concert" in message
    assert "no credit and no usage terms" in message
    assert f"photo {fine.pk}" not in message
    lacking.credit, lacking.usage_kind = "Newsroom", Photo.UsageKind.OWN
    lacking.save()
    services.publish_article(article=Article.objects.get(pk=story.pk), by=editor)
    assert Article.objects.get(pk=story.pk).is_live


def test_a_hero_without_usage_terms_blocks_publication():
    editor = make_user("eun-editor", EDITORS)
    story = ArticleFactory(hero_photo=small_photo(1, usage=""))
    with pytest.raises(ValidationError, match="no usage terms"):
        services.publish_article(article=story, by=editor)


def test_where_used_lists_heroes_and_bodies_and_blocks_deletion(client):
    photo = small_photo(1)
    hero = ArticleFactory(headline="Hero story", hero_photo=photo)
    body = ArticleFactory(
        headline="Body story",
        body=f'<figure data-gallery="9{photo.pk},{photo.pk}"></figure>',
    )
    ArticleFactory(
        headline="Other id", body=f'<figure data-photo="{photo.pk}1"></figure>'
    )
    labels = sorted(use.label for use in uses_of(photo.pk))
    assert labels == ["Body story", "Hero story"]
    client.force_login(make_user("eun-editor", EDITORS))
    delete = reverse("admin:photos_photo_delete", args=[photo.pk])
    page = client.get(delete).content.decode()
    assert "Hero story" in page and "Body story" in page
    client.post(delete, {"post": "yes"})
    assert Photo.objects.filter(pk=photo.pk).exists()
    change = client.get(reverse("admin:photos_photo_change", args=[photo.pk]))
    assert "Body story" in change.content.decode()
    hero.hero_photo = None
    hero.save()
    Article.objects.filter(pk=body.pk).update(body="")
    client.post(delete, {"post": "yes"})
    assert not Photo.objects.filter(pk=photo.pk).exists()
