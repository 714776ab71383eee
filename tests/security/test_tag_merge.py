"""Merging tags in the admin: only for those who may change and delete tags, and no
story loses a tag it should keep.

taggit's own merge view checked no permission (any staff account could retag every
story), and when the kept tag was one of the selected ones it dropped all of that
tag's links.
"""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from taggit.models import Tag, TaggedItem

from articles.services import merge_tags
from newsroom.groups import EDITORS, MODERATORS, WRITERS
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:taggit_tag_changelist"
MERGE = "admin:taggit_tag_merge_tags"


def merge_url(*tags: Tag) -> str:
    return reverse(MERGE) + "?ids=" + ",".join(str(tag.pk) for tag in tags)


@pytest.fixture
def spellings() -> dict[str, Tag]:
    """Three spellings of one tag, on overlapping stories."""
    tags = {name: Tag.objects.create(name=name) for name in ("K-pop", "Kpop", "KPOP")}
    both = ArticleFactory(published=True, headline="Both spellings")
    both.tags.add(tags["K-pop"], tags["Kpop"])
    only_kpop = ArticleFactory(published=True, headline="Kpop only")
    only_kpop.tags.add(tags["Kpop"])
    only_upper = ArticleFactory(published=True, headline="Upper only")
    only_upper.tags.add(tags["KPOP"], tags["Kpop"])
    only_kept = ArticleFactory(published=True, headline="Kept only")
    only_kept.tags.add(tags["K-pop"])
    return tags


def tag_names_by_story() -> dict[str, list[str]]:
    return {
        story.headline: sorted(story.tags.names())
        for story in ArticleFactory._meta.model.objects.all()
    }


def test_writers_cannot_merge_tags_on_published_stories(client, people, things):
    live = things["live"]
    other = Tag.objects.create(name="Kpop", slug="kpop")
    client.force_login(people[WRITERS])
    response = client.post(
        reverse(CHANGELIST),
        {"action": "render_tag_form", ACTION_CHECKBOX_NAME: [other.pk], "index": 0},
    )
    assert response.status_code in (200, 403)  # the action is not offered
    response = client.post(merge_url(live.tags.get(), other), {"into": "hijacked"})
    assert response.status_code == 403
    assert set(live.tags.names()) == {"K-pop"}
    assert not Tag.objects.filter(name="hijacked").exists()


@pytest.mark.parametrize("role", [MODERATORS, WRITERS])
def test_merge_tags_page_is_closed_without_tag_rights(client, people, things, role):
    client.force_login(people[role])
    url = merge_url(things["live"].tags.get())
    assert client.get(url).status_code == 403
    assert client.post(url, {"into": "x"}).status_code == 403


def test_the_service_checks_rights_too(people, spellings):
    with pytest.raises(PermissionDenied):
        merge_tags(tags=spellings.values(), into="K-pop", by=people[WRITERS])
    assert Tag.objects.count() == 3


def test_the_action_opens_the_merge_page_even_from_a_filtered_list(
    client, people, spellings
):
    client.force_login(people[EDITORS])
    picked = [spellings["Kpop"], spellings["KPOP"]]
    response = client.post(
        reverse(CHANGELIST) + "?q=k",
        {
            "action": "render_tag_form",
            ACTION_CHECKBOX_NAME: [tag.pk for tag in picked],
            "index": 0,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == merge_url(*sorted(picked, key=lambda t: t.pk))


def test_the_merge_page_lists_the_tags_and_suggests_the_most_used(
    client, people, spellings
):
    client.force_login(people[EDITORS])
    response = client.get(merge_url(*spellings.values()))
    assert response.status_code == 200
    html = response.content.decode()
    for name in spellings:
        assert f"<td>{name}</td>" in html
    # Kpop is on three stories, the most: it is the suggested name to keep.
    assert response.context["form"].initial == {"into": "Kpop"}
    assert "Merge 3 tags" in html


def test_merging_into_a_selected_tag_keeps_its_links(client, people, spellings):
    client.force_login(people[EDITORS])
    response = client.post(merge_url(*spellings.values()), {"into": "K-pop"})
    assert response.status_code == 302
    assert response["Location"] == reverse(CHANGELIST)
    assert tag_names_by_story() == {
        "Both spellings": ["K-pop"],
        "Kpop only": ["K-pop"],
        "Upper only": ["K-pop"],
        "Kept only": ["K-pop"],
    }
    assert list(Tag.objects.values_list("name", flat=True)) == ["K-pop"]
    assert TaggedItem.objects.count() == 4  # one link per story, no duplicates


def test_merging_into_a_new_name_creates_it(people, spellings):
    kept = merge_tags(
        tags=spellings.values(), into="  K-pop   news ", by=people[EDITORS]
    )
    assert kept.name == "K-pop news"
    assert kept.slug == "k-pop-news"
    assert all(names == ["K-pop news"] for names in tag_names_by_story().values())
    assert list(Tag.objects.values_list("name", flat=True)) == ["K-pop news"]


def test_merging_into_an_unselected_existing_tag_reuses_it(people, spellings):
    existing = Tag.objects.create(name="K-Pop")
    story = ArticleFactory(published=True, headline="Existing")
    story.tags.add(existing)
    kept = merge_tags(
        tags=[spellings["Kpop"], spellings["KPOP"]], into="k-pop", by=people[EDITORS]
    )
    # No exact match for "k-pop": the oldest tag with that name in another case wins.
    assert kept == spellings["K-pop"]
    assert sorted(Tag.objects.values_list("name", flat=True)) == ["K-Pop", "K-pop"]
    assert tag_names_by_story()["Upper only"] == ["K-pop"]
    assert tag_names_by_story()["Existing"] == ["K-Pop"]


def test_an_empty_name_is_refused_and_nothing_changes(client, people, spellings):
    client.force_login(people[EDITORS])
    before = tag_names_by_story()
    response = client.post(merge_url(*spellings.values()), {"into": "   "})
    assert response.status_code == 200
    assert response.context["form"].errors["into"]
    assert tag_names_by_story() == before
    assert Tag.objects.count() == 3


def test_the_merge_page_without_tags_goes_back_to_the_list(client, people):
    client.force_login(people[EDITORS])
    for url in (reverse(MERGE), reverse(MERGE) + "?ids=x,,99999"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse(CHANGELIST)


def test_a_merge_refreshes_the_cached_tag_page(
    client, people, spellings, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    url = reverse("articles:tag", args=["k-pop"])
    assert "Kpop only" not in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        merge_tags(tags=spellings.values(), into="K-pop", by=people[EDITORS])
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Kpop only" in response.content.decode()
