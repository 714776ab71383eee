"""Dependency-based invalidation: a change purges only the pages showing it."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone

from articles.models import Article, FanReaction, Section
from articles.moderation import approve_reaction
from core import pagecache, pagecache_outbox, pagedeps
from tests.artists.factories import ArtistFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def story(slug: str, **fields) -> Article:
    defaults = {
        "headline": slug.replace("-", " ").title(),
        "slug": slug,
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - datetime.timedelta(hours=1),
    }
    return Article.objects.create(**{**defaults, **fields})


@pytest.fixture
def site():
    section, _ = Section.objects.get_or_create(slug="news", defaults={"name": "News"})
    artist = ArtistFactory(name="Lilac", slug="lilac")
    a = story("story-a", section=section)
    b = story("story-b", section=section)
    for row in (a, b):
        row.tags.add("pop")
        row.artists.add(artist)
    return {"a": a, "b": b, "artist": artist, "section": section}


PAGES = {
    "a": "/news/story-a/",
    "b": "/news/story-b/",
    "home": "/",
    "artist": "/artists/lilac/",
    "tag": "/tags/pop/",
    "section": "/sections/news/",
    "feed": "/feeds/latest/",
}


def warm(client) -> None:
    for url in PAGES.values():
        assert client.get(url).status_code == 200, url
        assert client.get(url)["X-Page-Cache"] == "hit", url


def states(client) -> dict[str, str]:
    return {name: client.get(url)["X-Page-Cache"] for name, url in PAGES.items()}


def test_approving_a_reaction_refreshes_its_story_only(client, site):
    warm(client)
    reaction = FanReaction.objects.create(
        article=site["a"], display_name="Reader", message="Lovely shoot"
    )
    assert all(state == "hit" for state in states(client).values())  # pending
    moderator = get_user_model().objects.create_superuser("mod", "", "pw")
    approve_reaction(reaction=FanReaction.objects.get(pk=reaction.pk), by=moderator)
    after = states(client)
    assert after["a"] == "miss"
    assert {name: state for name, state in after.items() if name != "a"} == {
        name: "hit" for name in PAGES if name != "a"
    }
    assert b"Lovely shoot" in client.get(PAGES["a"]).content


def test_editing_a_story_refreshes_its_page_and_the_lists_showing_it(client, site):
    warm(client)
    site["a"].headline = "A corrected headline"
    site["a"].save()
    after = states(client)
    for name in ("a", "home", "artist", "tag", "section", "feed"):
        assert after[name] == "miss", name
        assert b"A corrected headline" in client.get(PAGES[name]).content, name


def test_a_new_story_joins_every_list_but_leaves_other_stories_cached(client, site):
    loner = story("story-d", headline="Nothing in common")
    assert client.get(loner.get_absolute_url()).status_code == 200
    warm(client)
    fresh = story("story-c", section=site["section"], headline="Brand new single")
    fresh.tags.add("pop")
    fresh.artists.add(site["artist"])
    after = states(client)
    # Stories sharing its tag and artist show it under "Related" now; one sharing
    # nothing stays cached.
    assert after["b"] == "miss"
    assert client.get(loner.get_absolute_url())["X-Page-Cache"] == "hit"
    for name in ("home", "artist", "tag", "section", "feed", "b"):
        assert b"Brand new single" in client.get(PAGES[name]).content, name


def test_publishing_reaches_related_boxes_and_an_edit_does_not(client, site):
    """An edit leaves the stories sharing its topics alone (they show the edited
    story under its own key if at all); publishing or withdrawing reaches them."""
    artist, tag_id = site["artist"], site["a"].tags.get().pk
    related = {f"related:artist:{artist.pk}", f"related:tag:{tag_id}"}
    page_keys = set(client.get(PAGES["b"])["Surrogate-Key"].split())
    assert related <= page_keys

    draft = story("story-e", status=Article.Status.DRAFT, published_at=None)
    draft.tags.add("pop")
    draft.artists.add(artist)
    draft = Article.objects.get(pk=draft.pk)
    draft.dek = "Still a draft"
    draft.save()
    assert not related & pagedeps.touched_by(draft)

    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    assert related <= pagedeps.touched_by(draft)

    published = Article.objects.get(pk=draft.pk)
    published.dek = "An edit after publication"
    published.save()
    assert not related & pagedeps.touched_by(published)

    published.status = Article.Status.DRAFT
    published.save()
    assert related <= pagedeps.touched_by(published)


def test_linking_an_artist_reaches_the_related_boxes_drawn_from_them(client, site):
    other = ArtistFactory(name="Other", slug="other")
    fan = story("story-f")
    fan.artists.add(other)
    assert client.get(fan.get_absolute_url()).status_code == 200
    assert client.get(fan.get_absolute_url())["X-Page-Cache"] == "hit"
    site["a"].artists.add(other)
    assert client.get(fan.get_absolute_url())["X-Page-Cache"] == "miss"
    assert b"Story A" in client.get(fan.get_absolute_url()).content


def test_renaming_an_artist_reaches_every_page_showing_them(client, site):
    warm(client)
    site["artist"].name = "Lilac Renamed"
    site["artist"].save()
    after = states(client)
    for name in ("a", "b", "artist"):
        assert after[name] == "miss", name
    assert after["home"] == "hit"  # the home page shows no artist names
    assert b"Lilac Renamed" in client.get(PAGES["a"]).content


def test_pages_carry_their_keys_for_the_cdn(client, site):
    response = client.get(PAGES["a"])
    keys = response["Surrogate-Key"].split()
    assert response["Cache-Tag"] == ",".join(keys)
    pk = site["a"].pk
    for key in (
        "site",
        f"story:{pk}",
        f"story-reactions:{pk}",
        f"artist:{site['artist'].pk}",
        f"section:{site['section'].pk}",
    ):
        assert key in keys, key
    assert f"story-reactions:{site['b'].pk}" not in keys
    assert "list:home" in client.get("/")["Surrogate-Key"].split()
    hit = client.get(PAGES["a"])
    assert hit["X-Page-Cache"] == "hit" and hit["Surrogate-Key"] == " ".join(keys)


def test_content_changed_takes_keys_and_purges_only_those(client, site):
    warm(client)
    pagecache.content_changed(keys=[f"story-reactions:{site['b'].pk}"])
    after = states(client)
    assert after.pop("b") == "miss" and set(after.values()) == {"hit"}
    pagecache.content_changed(keys=[pagedeps.SITE])
    assert set(states(client).values()) == {"miss"}


def test_a_change_while_a_page_renders_keeps_it_out_of_the_cache(client, site):
    """The counter is read before rendering: a change bumping a key the page shows
    after that moment means the page may show old rows, so it is not stored."""
    seen = pagecache.current_sequence()
    pagecache.content_changed(keys=[f"story:{site['a'].pk}"])
    assert pagecache._versions_since(seen, [f"story:{site['a'].pk}"]) is None
    assert pagecache._versions_since(seen + 1, [f"story:{site['a'].pk}"]) is not None


def test_a_miss_costs_one_lookup_round_trip_through_the_front_door(
    client, site, monkeypatch
):
    from newsroom import wsgi

    store = pagecache._cache()
    calls = []
    real_get_many = store.get_many
    monkeypatch.setattr(
        store, "get_many", lambda keys: calls.append(list(keys)) or real_get_many(keys)
    )
    environ = client.get(PAGES["a"]).wsgi_request.environ.copy()
    calls.clear()
    pagecache.content_changed(keys=[f"story:{site['a'].pk}"])
    pagecache.local_pages.clear()

    def start_response(status, headers):
        start_response.headers = dict(headers)

    environ.pop(pagecache.LOOKUP_ENVIRON_KEY, None)
    # As Django's test client does: the test's transaction keeps its connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        b"".join(wsgi.application(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert start_response.headers["X-Page-Cache"] == "miss"
    lookups = [keys for keys in calls if any("pagecache:page:" in k for k in keys)]
    assert len(lookups) == 1  # the middleware reused the front door's answer


def test_deploy_check_warns_when_pages_would_be_cached_per_process(settings):
    settings.CACHES = {
        **settings.CACHES,
        "perprocess": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    settings.PAGE_CACHE_ALIAS = "perprocess"
    with pytest.raises(SystemCheckError, match="pagecache.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "caches")
    settings.PAGE_CACHE_ALIAS = "pages"
    call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "caches")


def test_a_change_the_store_missed_waits_in_the_outbox_and_blocks_cached_pages(
    client, site, monkeypatch
):
    warm(client)
    real_publish = pagecache.publish_change

    def unreachable(keys):
        raise ConnectionError("store away")

    monkeypatch.setattr(pagecache, "publish_change", unreachable)
    site["a"].headline = "Corrected during the outage"
    site["a"].save()
    assert pagecache_outbox.pending()
    pagecache.availability.reset()  # the store answers reads again, not writes
    response = client.get(PAGES["a"])
    assert b"Corrected during the outage" in response.content
    assert "X-Page-Cache" not in response  # rendered, neither served nor stored
    monkeypatch.setattr(pagecache, "publish_change", real_publish)
    pagecache.availability.reset()
    response = client.get(PAGES["a"])
    assert response["X-Page-Cache"] == "miss"  # replayed, then rendered afresh
    assert b"Corrected during the outage" in response.content
    assert not pagecache_outbox.pending()
    assert client.get(PAGES["a"])["X-Page-Cache"] == "hit"


def test_linking_from_the_artists_side_refreshes_the_story(client, site):
    other = ArtistFactory(name="Nova Tide", slug="nova-tide")
    warm(client)
    other.articles.add(site["b"])
    assert b"Nova Tide" in client.get(PAGES["b"]).content


def test_each_thread_publishes_its_own_transaction_at_commit():
    """Keys waiting for a commit are kept per thread (connections are per thread)."""

    seen = {}

    def pending_in_thread():
        seen["thread"] = dict(pagecache._pending())

    pagecache._pending()["default"] = {"story:1"}
    thread = threading.Thread(target=pending_in_thread)
    thread.start()
    thread.join()
    assert seen["thread"] == {} and pagecache._pending()["default"] == {"story:1"}
    pagecache._pending().clear()
