import datetime

import pytest
import reversion
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, Byline, Transition
from tests.articles.factories import ArticleFactory, AuthorFactory, editor, writer

pytestmark = pytest.mark.django_db
Status = Article.Status


@pytest.fixture
def alice():
    return writer(username="alice")


@pytest.fixture
def erin():
    return editor(username="erin")


def test_writer_submits_own_draft_for_review(alice):
    story = ArticleFactory(created_by=alice)
    services.submit_for_review(article=story, by=alice)
    story.refresh_from_db()
    assert story.status == Status.REVIEW
    step = Transition.objects.get(article=story)
    assert (step.from_status, step.to_status, step.by) == ("draft", "review", alice)


def test_writer_cannot_submit_someone_elses_story(alice):
    story = ArticleFactory(created_by=writer(username="bob"))
    with pytest.raises(PermissionDenied):
        services.submit_for_review(article=story, by=alice)
    assert not Transition.objects.exists()


def test_writer_cannot_publish_or_schedule(alice):
    story = ArticleFactory(created_by=alice, in_review=True)
    with pytest.raises(PermissionDenied):
        services.publish_article(article=story, by=alice)
    with pytest.raises(PermissionDenied):
        services.approve_and_publish(
            article=story, by=alice, at=timezone.now() + datetime.timedelta(days=1)
        )
    story.refresh_from_db()
    assert story.status == Status.REVIEW and story.published_at is None


def test_anonymous_can_do_nothing():
    story = ArticleFactory()
    for call in (services.submit_for_review, services.publish_article):
        with pytest.raises(PermissionDenied):
            call(article=story, by=AnonymousUser())


def test_editor_approves_and_publishes_now(erin):
    story = ArticleFactory(in_review=True)
    services.approve_and_publish(article=story, by=erin)
    story.refresh_from_db()
    assert story.is_live
    assert story in Article.objects.published()
    assert Transition.objects.get(article=story).to_status == "published"


def test_editor_schedules_for_later(erin):
    story = ArticleFactory(in_review=True)
    when = timezone.now() + datetime.timedelta(hours=5)
    services.publish_article(article=story, by=erin, at=when)
    story.refresh_from_db()
    assert story.is_scheduled and story.published_at == when
    assert Transition.objects.get(article=story).scheduled_for == when
    assert story not in Article.objects.published()


def test_naive_schedule_time_is_refused(erin):
    story = ArticleFactory(in_review=True)
    with pytest.raises(ValidationError):
        services.publish_article(
            article=story, by=erin, at=datetime.datetime(2030, 1, 1, 9, 0)
        )


def test_republishing_keeps_the_original_date(erin):
    story = ArticleFactory(published=True)
    first = story.published_at
    services.publish_article(article=story, by=erin)
    story.refresh_from_db()
    assert story.published_at == first


def test_publishing_needs_alt_text_for_a_hero(erin):
    story = ArticleFactory(in_review=True, with_hero=True)
    Article.objects.filter(pk=story.pk).update(hero_alt="")
    with pytest.raises(ValidationError, match="alt text"):
        services.publish_article(article=story, by=erin)


def test_request_changes_needs_a_note_the_writer_sees(alice, erin):
    story = ArticleFactory(created_by=alice, in_review=True)
    with pytest.raises(ValidationError):
        services.request_changes(article=story, by=erin, note="  ")
    services.request_changes(article=story, by=erin, note="Add the release date.")
    story.refresh_from_db()
    assert story.status == Status.CHANGES_REQUESTED
    assert services.can_edit_article(user=alice, article=story)
    assert story.transitions.first().note == "Add the release date."


def test_writer_cannot_request_changes(alice):
    story = ArticleFactory(in_review=True)
    with pytest.raises(PermissionDenied):
        services.request_changes(article=story, by=alice, note="no")


def test_a_live_story_is_not_sent_back(erin):
    with pytest.raises(ValidationError):
        services.request_changes(
            article=ArticleFactory(published=True), by=erin, note="x"
        )


def test_a_scheduled_story_can_be_pulled_back(erin):
    story = ArticleFactory(scheduled=True)
    services.request_changes(article=story, by=erin, note="Hold it.")
    story.refresh_from_db()
    assert story.status == Status.CHANGES_REQUESTED and story.published_at is None


def test_archive_takes_a_story_off_the_site(erin, alice):
    story = ArticleFactory(published=True)
    with pytest.raises(PermissionDenied):
        services.archive_article(article=story, by=alice)
    services.archive_article(article=story, by=erin)
    assert story not in Article.objects.published()
    with pytest.raises(ValidationError):
        services.archive_article(article=story, by=erin)


def test_writer_edits_own_drafts_only(alice):
    own = ArticleFactory(created_by=alice)
    assert services.can_edit_article(user=alice, article=own)
    assert not services.can_edit_article(
        user=alice, article=ArticleFactory(created_by=alice, in_review=True)
    )
    assert not services.can_edit_article(user=alice, article=ArticleFactory())


def test_restore_revision_brings_back_text_and_bylines_but_not_status(erin):
    story = ArticleFactory(headline="First headline", body="<p>First body.</p>")
    first_author = AuthorFactory()
    with reversion.create_revision():
        Byline.objects.create(article=story, author=first_author)
        story.save()
    with reversion.create_revision():
        story.headline, story.body = "Second headline", "<p>Second body.</p>"
        story.bylines.all().delete()
        story.save()
    services.publish_article(article=story, by=erin)
    old = Version.objects.get_for_object(story).order_by("revision__date_created")[0]
    version_before = Article.objects.get(pk=story.pk).version

    restored = services.restore_revision(article=story, version=old, by=erin)

    assert restored.headline == "First headline"
    assert restored.body == "<p>First body.</p>"
    assert [b.author for b in restored.bylines.all()] == [first_author]
    assert restored.status == Status.PUBLISHED  # restoring never (un)publishes
    assert restored.version > version_before  # forms opened earlier go stale
    assert restored.transitions.first().note.startswith("Restored")


def test_writer_cannot_restore(alice):
    story = ArticleFactory(created_by=alice)
    with reversion.create_revision():
        story.save()
    version = Version.objects.get_for_object(story).first()
    with pytest.raises(PermissionDenied):
        services.restore_revision(article=story, version=version, by=alice)


def test_a_version_of_another_story_is_refused(erin):
    one, other = ArticleFactory(), ArticleFactory()
    with reversion.create_revision():
        other.save()
    with pytest.raises(ValidationError):
        services.restore_revision(
            article=one, version=Version.objects.get_for_object(other).first(), by=erin
        )
