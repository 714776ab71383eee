"""The change feed: a hit on an unchanged page costs no round trip to Redis, and a
page is vouched for only while the feed provably hears every change."""

from __future__ import annotations

import datetime
import os
import socket
import time
import uuid
from unittest import mock

import pytest
import redis
from django.utils import timezone

from articles.models import Article
from core import pagecache, pagecache_watch
from core.pagecache_watch import ChangeFeed

REDIS_DB = int(os.environ.get("REDIS_TEST_DB", "14"))
URL = f"redis://127.0.0.1:6379/{REDIS_DB}"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_answers(), reason="needs Redis on 127.0.0.1:6379"
)


def eventually(check, seconds: float = 2.0) -> bool:
    """An announcement crosses a socket: give it a moment, never forever."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.01)
    return check()


@pytest.fixture
def feeds(settings):
    settings.PAGE_CACHE_FEED_PREFIX = f"test-{uuid.uuid4().hex[:10]}"
    counter = {"now": 100}
    made = [ChangeFeed(URL, lambda: counter["now"]) for _ in range(2)]
    yield (*made, counter)
    for feed in made:
        feed._drop()


def test_a_page_stays_current_until_one_of_its_keys_is_announced(feeds):
    editor, reader, _ = feeds
    page = ["site", "story:1", "list:home"]
    assert reader.unchanged_since(page, 100)  # subscribes at counter 100
    editor.announce(102, ["story:2", "list:tag:7"])
    editor.announce(104, ["list:home"])
    assert eventually(lambda: not reader.unchanged_since(page, 100))
    # Pages not showing what changed stay current; so does one checked after it.
    assert reader.unchanged_since(["site", "story:1", "list:tag:8"], 100)
    assert reader.unchanged_since(page, 104)


def test_nothing_checked_before_the_subscription_is_vouched_for(feeds):
    _, reader, counter = feeds
    counter["now"] = 200
    assert not reader.unchanged_since(["story:1"], 150)
    assert reader.unchanged_since(["story:1"], 200)
    assert not reader.unchanged_since(["story:1"], None)


def test_an_announcement_of_too_many_keys_changes_everything(feeds):
    editor, reader, _ = feeds
    assert reader.unchanged_since(["story:1"], 100)
    editor.announce(101, [f"story:{n}" for n in range(pagecache_watch.MAX_KEYS + 1)])
    assert eventually(lambda: not reader.unchanged_since(["author:9"], 100))
    assert reader.unchanged_since(["author:9"], 101)


def test_without_a_recent_pong_the_feed_vouches_for_nothing(feeds):
    _, reader, _ = feeds
    assert reader.unchanged_since(["story:1"], 100)
    # Redis stopped answering (paused, or a half-open connection): after TRUST_FOR
    # with no pong, every hit goes back to the store.
    reader._pong_at = time.monotonic() - pagecache_watch.TRUST_FOR - 1
    reader._ping_at = time.monotonic()  # the ping went out; no answer came
    assert not reader.unchanged_since(["story:1"], 100)
    reader._ping_at = 0.0
    assert eventually(lambda: reader.unchanged_since(["story:1"], 100))


def test_a_lost_connection_drops_trust_until_subscribed_again(feeds, monkeypatch):
    editor, reader, counter = feeds
    assert reader.unchanged_since(["story:1"], 100)
    # What a Redis restart looks like: the server closes the subscription.
    host, port = reader._pubsub.connection._sock.getsockname()[:2]
    admin = redis.Redis.from_url(URL)
    admin.client_kill(f"{host}:{port}")
    admin.close()
    assert eventually(lambda: not reader.unchanged_since(["story:1"], 100))
    # It tries again later, from the counter as it is then: nothing announced while
    # it was away can be missed, since older checks are no longer trusted.
    editor.announce(101, ["story:1"])
    counter["now"] = 101
    monkeypatch.setattr(reader, "_retry_at", 0.0)
    assert not reader.unchanged_since(["story:1"], 100)
    assert reader.unchanged_since(["story:1"], 101)


def test_a_subscription_made_again_under_it_is_not_trusted(feeds):
    _, reader, _ = feeds
    assert reader.unchanged_since(["story:1"], 100)
    # redis-py reconnects a dropped subscription by itself on the next read.
    reader._pubsub.connection.disconnect()
    assert not reader.unchanged_since(["story:1"], 100)


def test_a_forked_process_subscribes_on_its_own(feeds):
    _, reader, _ = feeds
    assert reader.unchanged_since(["story:1"], 100)
    parents = reader._pubsub
    with mock.patch("os.getpid", return_value=os.getpid() + 1):
        assert reader.unchanged_since(["story:1"], 100)
        assert reader._pubsub is not parents


# --- through the page cache ------------------------------------------------------------


@pytest.fixture
def redis_pages(settings):
    prefix = f"test-{uuid.uuid4().hex[:10]}"
    settings.CACHES = {
        **settings.CACHES,
        "redis-pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": URL,
            "KEY_PREFIX": prefix,
        },
    }
    settings.PAGE_CACHE_ALIAS = "redis-pages"
    settings.PAGE_CACHE_FEED_URL = URL
    settings.PAGE_CACHE_FEED_PREFIX = prefix
    settings.PAGE_CACHE_ENABLED = True
    yield
    for feed in pagecache_watch._feeds.values():
        feed._drop()
    pagecache_watch._feeds.clear()


@pytest.mark.django_db
def test_a_hit_on_an_unchanged_page_asks_the_store_nothing(client, redis_pages):
    def story(slug: str) -> Article:
        return Article.objects.create(
            headline=slug.title(),
            slug=slug,
            status=Article.Status.PUBLISHED,
            published_at=timezone.now() - datetime.timedelta(hours=1),
        )

    shown, other = story("shown"), story("other")
    url = shown.get_absolute_url()
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"  # held here, checked
    assert client.get(url)["X-Page-Cache"] == "hit"  # the feed listens from now on
    store = pagecache._cache()
    other.headline = "Another story changed"
    other.save()
    with (
        mock.patch.object(store, "get", wraps=store.get) as get,
        mock.patch.object(store, "get_many", wraps=store.get_many) as get_many,
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "hit"
    assert get.call_count == 0 and get_many.call_count == 0

    shown.headline = "A corrected headline"
    shown.save()
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    assert b"A corrected headline" in response.content
