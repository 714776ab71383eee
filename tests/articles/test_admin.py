import datetime

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, Transition
from tests.articles.factories import (
    ArticleFactory,
    ArtistFactory,
    AuthorFactory,
    editor,
    writer,
)

pytestmark = pytest.mark.django_db
Status = Article.Status
ADD_URL = reverse("admin:articles_article_add")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article=None, **overrides):
    """What the admin's change form posts, inline management forms included."""
    data = {
        "headline": article.headline if article else "A new story",
        "slug": article.slug if article else "",
        "dek": article.dek if article else "",
        "body": article.body if article else "<p>Body text.</p>",
        "section": article.section_id if article and article.section_id else "",
        "tags": "",
        "hero_alt": "",
        "hero_caption": "",
        "hero_credit": "",
        "version_token": article.version if article else "",
        "workflow_note": "",
        "publish_at_0": "",
        "publish_at_1": "",
    }
    for prefix in ("bylines", "sources", "corrections"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | overrides


@pytest.fixture
def alice(client):
    return writer(username="alice")


@pytest.fixture
def erin():
    return editor(username="erin")


def test_writer_creates_a_draft_with_their_byline(client, alice):
    client.force_login(alice)
    response = client.post(ADD_URL, form_data(headline="아이유 인터뷰"))
    assert response.status_code == 302
    story = Article.objects.get()
    assert story.status == Status.DRAFT and story.created_by == alice
    assert story.slug == "아이유-인터뷰"
    assert [b.author.user for b in story.bylines.all()] == [alice]


def test_writer_crafted_post_cannot_publish(client, alice):
    story = ArticleFactory(created_by=alice)
    client.force_login(alice)
    future = timezone.now() + datetime.timedelta(days=1)
    response = client.post(
        change_url(story),
        form_data(
            story,
            status="published",
            published_at=future.isoformat(),
            is_featured="on",
            _publish="1",
            publish_at_0=future.strftime("%Y-%m-%d"),
            publish_at_1="09:00:00",
        ),
        follow=True,
    )
    story.refresh_from_db()
    assert story.status == Status.DRAFT
    assert story.published_at is None and not story.is_featured
    assert "Only editors can publish" in response.content.decode()
    assert not Transition.objects.filter(to_status="published").exists()


def test_writer_cannot_edit_someone_elses_story(client, alice):
    bob = writer(username="bob")
    draft = ArticleFactory(created_by=bob, headline="Bob's")
    live = ArticleFactory(created_by=bob, headline="Bob's live", published=True)
    client.force_login(alice)
    # a draft is out of sight: the admin answers as for a story that is not there
    response = client.post(change_url(draft), form_data(draft, headline="Mine now"))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    response = client.post(change_url(live), form_data(live, headline="Mine now"))
    assert response.status_code == 403
    draft.refresh_from_db()
    live.refresh_from_db()
    assert (draft.headline, live.headline) == ("Bob's", "Bob's live")


def test_writer_cannot_edit_own_story_once_in_review(client, alice):
    story = ArticleFactory(created_by=alice, in_review=True, headline="Sent")
    client.force_login(alice)
    assert (
        client.post(change_url(story), form_data(story, headline="X")).status_code
        == 403
    )
    assert client.get(change_url(story)).status_code == 200  # still readable


def test_writer_submits_for_review_from_the_form(client, alice):
    story = ArticleFactory(created_by=alice)
    client.force_login(alice)
    client.post(change_url(story), form_data(story, _submit_for_review="1"))
    story.refresh_from_db()
    assert story.status == Status.REVIEW


def test_stale_save_is_refused_and_the_text_kept(client, alice, erin):
    story = ArticleFactory(created_by=alice, headline="Original")
    opened = form_data(story)  # alice opens the form
    story.headline = "Erin's fix"
    story.save()  # someone saves first
    client.force_login(alice)
    response = client.post(
        change_url(story),
        opened | {"headline": "Alice's rewrite", "body": "<p>Mine</p>"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this story" in html
    assert "Alice&#x27;s rewrite" in html  # the person's text stays in the form
    story.refresh_from_db()
    assert story.headline == "Erin's fix"


def test_editor_approves_and_publishes_from_the_form(client, erin):
    story = ArticleFactory(in_review=True)
    client.force_login(erin)
    response = client.post(
        change_url(story), form_data(story, _publish="1"), follow=True
    )
    story.refresh_from_db()
    assert story.is_live
    assert "Published" in response.content.decode()


def test_editor_schedules_with_a_time(client, erin):
    story = ArticleFactory(in_review=True)
    when = timezone.localtime() + datetime.timedelta(days=2)
    client.force_login(erin)
    client.post(
        change_url(story),
        form_data(
            story,
            _publish="1",
            publish_at_0=when.strftime("%Y-%m-%d"),
            publish_at_1=when.strftime("%H:%M:00"),
        ),
    )
    story.refresh_from_db()
    assert story.is_scheduled


def test_request_changes_note_is_shown_to_the_writer(client, alice, erin):
    story = ArticleFactory(created_by=alice, in_review=True)
    client.force_login(erin)
    client.post(
        change_url(story),
        form_data(story, _request_changes="1", workflow_note="Please cite the source."),
    )
    story.refresh_from_db()
    assert story.status == Status.CHANGES_REQUESTED
    client.force_login(alice)
    assert "Please cite the source." in client.get(change_url(story)).content.decode()


def test_suggestions_are_linked_in_one_click(client, erin):
    artist = ArtistFactory(name="NewJeans")
    story = ArticleFactory(body="<p>A story about newjeans and friends.</p>")
    client.force_login(erin)
    assert "NewJeans" in client.get(change_url(story)).content.decode()
    client.post(change_url(story), form_data(story, _link_suggestions="1"))
    assert list(story.artists.all()) == [artist]


def test_history_lists_versions_and_an_editor_restores_one(client, erin):
    story = ArticleFactory(headline="Before")
    with reversion.create_revision():
        story.save()
    client.force_login(erin)
    client.post(change_url(story), form_data(story, headline="After"))
    history = client.get(reverse("admin:articles_article_history", args=[story.pk]))
    assert "Restore this version" in history.content.decode()
    old = Version.objects.get_for_object(story).order_by("revision__date_created")[0]
    client.post(reverse("admin:articles_article_restore", args=[story.pk, old.pk]))
    story.refresh_from_db()
    assert story.headline == "Before"


def test_writer_cannot_restore_through_the_admin(client, alice):
    story = ArticleFactory(created_by=alice, headline="Before")
    with reversion.create_revision():
        story.save()
    Article.objects.filter(pk=story.pk).update(headline="After")
    old = Version.objects.get_for_object(story).first()
    client.force_login(alice)
    client.post(reverse("admin:articles_article_restore", args=[story.pk, old.pk]))
    story.refresh_from_db()
    assert story.headline == "After"


def test_changelist_filters_searches_and_shows_thumbnails(client, erin):
    ArticleFactory(headline="Needle story", in_review=True, with_hero=True)
    other = ArticleFactory(headline="Other story", published=True, tags=["pop"])
    author = other.bylines.create(author=AuthorFactory()).author
    client.force_login(erin)
    url = reverse("admin:articles_article_changelist")
    html = client.get(url, {"state": "review", "q": "Needle"}).content.decode()
    assert "Needle story" in html and "Other story" not in html
    assert 'class="desk-thumb"' in html
    tag = other.tags.get()
    for params in (
        {"state": "scheduled"},
        {"tags__id__exact": tag.pk},
        {"author": author.pk},
    ):
        assert client.get(url, params).status_code == 200
    # a value the filter does not offer (a deleted author): the whole list, said so
    assert client.get(url, {"author": author.pk + 1})["Location"].endswith("?e=1")


def test_bulk_publish_action_is_for_editors_only(client, alice, erin):
    story = ArticleFactory(in_review=True)
    url = reverse("admin:articles_article_changelist")
    client.force_login(alice)
    client.post(url, {"action": "publish_selected", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.status == Status.REVIEW
    client.force_login(erin)
    client.post(url, {"action": "publish_selected", "_selected_action": [story.pk]})
    story.refresh_from_db()
    assert story.is_live


def test_desk_shows_review_and_scheduled_stories(client, erin):
    ArticleFactory(headline="Waiting for review", in_review=True)
    ArticleFactory(headline="Going out soon", scheduled=True)
    services_note = "Editors’ desk"
    client.force_login(erin)
    html = client.get(reverse("admin:index")).content.decode()
    assert services_note in html
    assert "Waiting for review" in html and "Going out soon" in html


def test_writer_sees_stories_sent_back_on_the_desk(client, alice, erin):
    story = ArticleFactory(created_by=alice, in_review=True, headline="Fix me")
    services.request_changes(article=story, by=erin, note="Shorter, please.")
    client.force_login(alice)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Sent back to you" in html and "Fix me" in html


def test_moderators_see_the_reactions_panel_but_no_stories(client):
    from tests.articles.factories import UserFactory

    ArticleFactory(headline="Waiting for review", in_review=True)
    client.force_login(UserFactory(group="Moderators"))
    html = client.get(reverse("admin:index")).content.decode()
    assert "Fan reactions" in html and "Waiting for review" not in html


def test_a_post_without_the_version_token_is_refused(client, alice):
    story = ArticleFactory(created_by=alice, headline="Kept")
    client.force_login(alice)
    data = form_data(story, headline="Overwrite")
    del data["version_token"]
    response = client.post(change_url(story), data)
    assert response.status_code == 200
    story.refresh_from_db()
    assert story.headline == "Kept"


def test_desk_due_list_covers_only_the_next_day(client, erin):
    ArticleFactory(
        headline="Next week",
        status=Status.PUBLISHED,
        published_at=timezone.now() + datetime.timedelta(days=7),
    )
    client.force_login(erin)
    html = client.get(reverse("admin:index")).content.decode()
    # Nothing due: the panel is left out rather than shown empty.
    assert "Next week" not in html and "Scheduled, next 24 hours" not in html
