import datetime
from unittest import mock

import pytest
from django.utils import timezone

from articles.models import Article, ArticleSlugHistory
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_hangul_headline_gives_a_usable_unicode_slug():
    article = ArticleFactory(headline="아이유, 새 앨범 발표", slug="")
    assert article.slug == "아이유-새-앨범-발표"


def test_slug_is_made_unique_when_headlines_repeat():
    first = ArticleFactory(headline="Same headline", slug="")
    second = ArticleFactory(headline="Same headline", slug="")
    assert first.slug == "same-headline"
    assert second.slug == "same-headline-2"


def test_headline_without_letters_still_gets_a_slug():
    assert ArticleFactory(headline="!!!", slug="").slug == "story"


def test_body_is_sanitized_when_saved():
    article = ArticleFactory(body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    article.refresh_from_db()
    assert article.body == "<p>Hi</p>"


def test_an_empty_editor_paragraph_is_stored_as_empty():
    assert ArticleFactory(body="<p></p>").body == ""


def test_social_post_url_in_its_own_paragraph_survives_sanitizing():
    url = "https://x.com/fan_account_1/status/1762000000000000001"
    article = ArticleFactory(body=f"<p>Intro.</p><p>{url}</p>")
    assert f"<p>{url}</p>" in article.body


def test_published_excludes_drafts_review_scheduled_and_archived():
    live = ArticleFactory(published=True)
    for trait in ({}, {"in_review": True}, {"scheduled": True}, {"archived": True}):
        ArticleFactory(**trait)
    assert list(Article.objects.published()) == [live]


def test_scheduled_story_appears_on_time_without_any_job():
    story = ArticleFactory(scheduled=True)
    assert story not in Article.objects.published()
    later = timezone.now() + datetime.timedelta(hours=4)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert story in Article.objects.published()


def test_visible_to_shows_every_state_to_staff_only(django_user_model):
    draft = ArticleFactory()
    staff = django_user_model.objects.create_superuser("boss", "b@example.com", "pw")
    reader = django_user_model.objects.create_user("reader", "r@example.com", "pw")
    assert draft in Article.objects.visible_to(staff)
    assert draft not in Article.objects.visible_to(reader)


def test_every_save_bumps_the_version():
    article = ArticleFactory()
    first = article.version
    article.headline = "Changed"
    article.save()
    assert article.version == first + 1


def test_changing_a_published_slug_keeps_the_old_one():
    article = ArticleFactory(published=True, slug="old-address")
    article.slug = "new-address"
    article.save()
    assert ArticleSlugHistory.objects.get(slug="old-address").article == article


def test_changing_a_draft_slug_keeps_no_history():
    article = ArticleFactory(slug="draft-address")
    article.slug = "better-address"
    article.save()
    assert not ArticleSlugHistory.objects.exists()


def test_reading_time_is_at_least_a_minute():
    assert ArticleFactory(body="<p>short</p>").reading_minutes == 1
    assert ArticleFactory(body="<p>" + "word " * 700 + "</p>").reading_minutes == 4


def test_two_guest_authors_with_one_name_get_distinct_profile_slugs():
    from articles.models import Author

    first = Author.objects.create(display_name="김민지")
    second = Author.objects.create(display_name="김민지")
    assert (first.slug, second.slug) == ("김민지", "김민지-2")
    assert first.is_guest


def test_the_desk_starts_with_the_usual_sections():
    from articles.models import Section

    assert {"news", "features", "interviews", "reviews"} <= set(
        Section.objects.values_list("slug", flat=True)
    )
