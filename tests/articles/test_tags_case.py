"""Tags are case-insensitive: the form, taggit, the suggestions and the merge."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from articles.admin.editor import tag_suggestions
from tests.articles.factories import ArticleFactory, UserFactory, writer
from tests.articles.test_admin import ADD_URL, form_data

pytestmark = pytest.mark.django_db
SUGGEST_URL = reverse("admin:articles_article_tag_suggestions")


def test_typing_iu_reuses_the_tag_iu_and_the_story_stays_on_its_page(client):
    old = ArticleFactory(published=True)
    old.tags.add("IU")
    client.force_login(writer())
    response = client.post(
        ADD_URL, form_data(headline="Lowercase tag", tags="iu, Iu, 아이유")
    )
    assert response.status_code == 302
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["IU", "아이유"]
    iu = Tag.objects.get(name="IU")
    assert TaggedItem.objects.filter(tag=iu).count() == 2


def test_taggit_reuses_a_tag_whatever_the_case():
    story = ArticleFactory()
    story.tags.add("NewJeans")
    ArticleFactory().tags.add("newjeans")
    assert Tag.objects.filter(name__iexact="newjeans").count() == 1


def test_suggestions_name_existing_tags_with_their_story_counts(
    client, django_assert_max_num_queries
):
    for _ in range(3):
        ArticleFactory().tags.add("IU")
    ArticleFactory().tags.add("IU fan meeting")
    Tag.objects.create(name="Unused iu tag")
    client.force_login(writer())
    client.get(SUGGEST_URL, {"q": "x"})  # warm the content-type cache
    with django_assert_max_num_queries(8):
        response = client.get(SUGGEST_URL, {"q": "iu"})
    assert response.json() == {
        "tags": [
            {"name": "IU", "stories": 3},
            {"name": "IU fan meeting", "stories": 1},
            {"name": "Unused iu tag", "stories": 0},
        ]
    }
    assert tag_suggestions("   ") == []


def test_suggestions_are_for_staff_who_write(client):
    assert client.get(SUGGEST_URL, {"q": "iu"}).status_code == 302  # to log in
    client.force_login(UserFactory(is_staff=True))  # staff without story rights
    assert client.get(SUGGEST_URL, {"q": "iu"}).status_code == 403


def test_migration_merges_case_duplicates_keeping_every_story_link():
    # Made as they were before tags were case-insensitive.
    big = Tag.objects.create(name="IU", slug="iu")
    small = Tag.objects.create(name="iu", slug="iu-2")
    other = Tag.objects.create(name="Iu", slug="iu-3")
    both, only_small, only_other = ArticleFactory(), ArticleFactory(), ArticleFactory()
    for story, tags in (
        (both, [big, small]),
        (only_small, [small]),
        (only_other, [other]),
    ):
        for tag in tags:
            TaggedItem.objects.create(content_object=story, tag=tag)
    ArticleFactory().tags.add(big)
    migration = importlib.import_module(
        "articles.migrations.0521_merge_tag_case_duplicates"
    )
    migration.merge_case_duplicates(apps, None)
    assert list(Tag.objects.values_list("name", flat=True)) == ["IU"]
    for story in (both, only_small, only_other):
        assert list(story.tags.names()) == ["IU"]
    assert TaggedItem.objects.count() == 4
