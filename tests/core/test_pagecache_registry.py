"""What invalidates cached pages is told to core by the apps, not known by core."""

from __future__ import annotations

import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone
from taggit.models import Tag

from articles.models import (
    Article,
    BannedWord,
    EventNotice,
    ReactionDecision,
    ReactionFlag,
    ReactionReport,
    StoryReads,
    WorkingCopy,
)
from core import pagecache
from tests.articles.factories import ArticleFactory
from tests.artists.factories import ArtistFactory

pytestmark = pytest.mark.django_db

# What readers never see: the moderation record and the word list.
# Read counts show only through lists that invalidate pages themselves (reads.py).
# Staff-only rows: editors' working copies, readers' reports, desk notices.
PRIVATE = {
    ReactionFlag,
    ReactionDecision,
    BannedWord,
    StoryReads,
    EventNotice,
    ReactionReport,
    WorkingCopy,
}


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


@pytest.fixture
def schedules(monkeypatch):
    """The registered schedule lookups, restored after the test."""
    kept = list(pagecache._schedules)
    monkeypatch.setattr(pagecache, "_schedules", kept)
    return kept


def bumps(action) -> bool:
    before = pagecache.current_sequence()
    action()
    return pagecache.current_sequence() != before


def test_every_model_of_the_content_apps_is_public_but_the_private_ones():
    for label in ("articles", "artists", "discography"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            assert pagecache.is_public(model) is (model not in PRIVATE), model


def test_tags_are_public_and_accounts_are_not():
    assert pagecache.is_public(Tag)
    assert not pagecache.is_public(get_user_model())


def test_saving_a_public_row_invalidates_pages():
    assert bumps(lambda: ArtistFactory(name="Hyein"))
    assert bumps(lambda: Tag.objects.create(name="comeback", slug="comeback"))


def test_a_private_row_or_an_account_leaves_pages_alone():
    assert not bumps(lambda: BannedWord.objects.create(word="scam"))
    assert not bumps(
        lambda: get_user_model().objects.create_user("someone", password="x")
    )


def test_changing_the_links_of_a_story_invalidates_pages():
    story = ArticleFactory(published=True)
    artist = ArtistFactory(name="IU")
    assert bumps(lambda: story.artists.add(artist))


def test_content_changed_is_the_one_entry_for_writes_without_signals():
    story = ArticleFactory(published=True)
    assert not bumps(lambda: Article.objects.filter(pk=story.pk).update(dek="New"))
    assert bumps(lambda: pagecache.content_changed(story))


def test_the_earliest_registered_go_live_bounds_every_page(schedules):
    now = timezone.now()
    pagecache.register_schedule(lambda: now + datetime.timedelta(seconds=300))
    pagecache.register_schedule(lambda: now + datetime.timedelta(seconds=40))
    pagecache.register_schedule(lambda: None)
    generation = pagecache.current_sequence()
    assert 0 < pagecache.seconds_to_keep(generation, now=now) <= 40


def test_stories_register_when_the_next_one_goes_live(schedules):
    ArticleFactory(published=True)
    due = ArticleFactory(scheduled=True)
    ArticleFactory(
        scheduled=True, published_at=due.published_at + datetime.timedelta(1)
    )
    assert Article.objects.next_go_live in schedules
    assert Article.objects.next_go_live() == due.published_at
