"""Fixtures for the security tests: staff in the real groups, one object per model."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from taggit.models import Tag

from articles.models import (
    Article,
    ArticleSlugHistory,
    Author,
    BannedWord,
    Byline,
    FanReaction,
    LiveEntry,
    Section,
    SocialPost,
    Transition,
)
from artists.models import Agency, Artist
from discography.models import Event, MusicVideo, Release, Track
from newsroom.groups import EDITORS, MODERATORS, WRITERS
from photos.models import Photo
from tests.articles.factories import ArticleFactory
from tests.photos.factories import make_photo


def make_user(username: str, group: str | None) -> object:
    user = get_user_model().objects.create_user(
        username=username, password="pw-for-tests-only", is_staff=True
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def people() -> dict[str, object]:
    return {
        WRITERS: make_user("wren-writer", WRITERS),
        EDITORS: make_user("eun-editor", EDITORS),
        MODERATORS: make_user("min-moderator", MODERATORS),
        "other_writer": make_user("bo-writer", WRITERS),
    }


@pytest.fixture
def things(people) -> dict[type[models.Model], models.Model]:
    """One saved object of each model the matrix opens."""
    other = people["other_writer"]
    story = ArticleFactory(created_by=other, headline="Bo's draft", slug="bos-draft")
    live = ArticleFactory(
        created_by=other, headline="Live story", slug="live-story", published=True
    )
    author = Author.objects.create(display_name="Bo", slug="bo", user=other)
    Byline.objects.create(article=live, author=author)
    artist = Artist.objects.create(name="IU", slug="iu")
    release = Release.objects.create(title="The Winning", slug="the-winning")
    track = Track.objects.create(release=release, position=1, title="Shopper")
    tag = Tag.objects.create(name="K-pop", slug="k-pop")
    live.tags.add(tag)
    instances = {
        Article: story,
        Author: author,
        Section: Section.objects.first()
        or Section.objects.create(name="News", slug="news"),
        # On the live story: a draft's trail is as hidden as the draft (writers).
        Transition: Transition.objects.create(
            article=live, from_status="review", to_status="published", by=other
        ),
        ArticleSlugHistory: ArticleSlugHistory.objects.create(
            article=live, slug="old-live-story"
        ),
        FanReaction: FanReaction.objects.create(
            article=live,
            display_name="Fan",
            message="Loved it",
            fingerprint="f" * 64,
            message_digest="d" * 64,
        ),
        BannedWord: BannedWord.objects.create(word="scam"),
        LiveEntry: LiveEntry.objects.create(article=live, body="<p>Doors open</p>"),
        SocialPost: SocialPost.objects.create(
            platform="x", post_id="1", url="https://x.com/iu/status/1", text="Hi"
        ),
        Tag: tag,
        Agency: Agency.objects.create(name="EDAM", slug="edam"),
        Artist: artist,
        Release: release,
        Track: track,
        MusicVideo: MusicVideo.objects.create(track=track, title="Shopper MV"),
        Event: Event.objects.create(
            title="The Winning release", starts_at=timezone.now(), release=release
        ),
        Photo: make_photo("A stage in Seoul", uploaded_by=other),
        get_user_model(): other,
        Group: Group.objects.get(name=WRITERS),
    }
    return {"live": live, **instances}


# The scale-out fixtures (real gunicorn processes, a shared Redis namespace, a
# database those processes share) are reused by the load test.
from tests.scale.conftest import (  # noqa: E402, F401
    collected_static,
    process_database,
    shared_database_url,
    shared_redis,
    web_processes,
)
