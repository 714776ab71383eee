"""First-party read counting: who counts, what is stored, and the lists built on it."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from articles import reads
from articles.models import StoryReads
from tests.articles.factories import (
    ArticleFactory,
    ArtistFactory,
    SectionFactory,
    UserFactory,
    editor,
)

pytestmark = pytest.mark.django_db

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"
)
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148 Safari"


def beacon(client, story_id, *, agent=BROWSER, address="203.0.113.7", **headers):
    return client.post(
        reverse("articles:read_beacon"),
        {"story": str(story_id)},
        HTTP_USER_AGENT=agent,
        REMOTE_ADDR=address,
        **headers,
    )


def total_reads(story) -> int:
    return sum(StoryReads.objects.filter(article=story).values_list("reads", flat=True))


def test_one_read_per_reader_per_story_per_day(client):
    story = ArticleFactory(published=True)
    other = ArticleFactory(published=True)
    for _ in range(3):
        assert beacon(client, story.pk).status_code == 204
    beacon(client, story.pk, agent=PHONE)  # another browser at the same address
    beacon(client, story.pk, address="198.51.100.20")  # another reader
    beacon(client, other.pk)
    reads.flush_reads()
    assert total_reads(story) == 3
    assert total_reads(other) == 1


def test_the_beacon_sets_no_cookie_and_stores_no_address(client):
    story = ArticleFactory(published=True)
    response = beacon(client, story.pk, address="203.0.113.99")
    assert response.status_code == 204
    assert not response.cookies
    reads.flush_reads()
    bucket = StoryReads.objects.get(article=story)
    stored = " ".join(str(value) for value in vars(bucket).values())
    assert "203.0.113.99" not in stored
    assert {f.name for f in StoryReads._meta.fields} == {
        "id",
        "article",
        "hour",
        "reads",
    }


def test_the_reader_pseudonym_changes_with_the_day(rf):
    request = rf.post("/reads/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=BROWSER)
    today = timezone.now()
    first = reads.reader_digest(request, 1, now=today)
    assert first == reads.reader_digest(request, 1, now=today)
    assert "203.0.113.7" not in first
    assert first != reads.reader_digest(request, 1, now=today + datetime.timedelta(1))
    assert first != reads.reader_digest(request, 2, now=today)


@pytest.mark.parametrize(
    "agent, headers",
    [
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", {}),
        ("Mozilla/5.0 (compatible; bingbot/2.0)", {}),
        ("facebookexternalhit/1.1", {}),
        ("Mozilla/5.0 HeadlessChrome/131.0 Safari/537.36", {}),
        ("Mozilla/5.0 Chrome-Lighthouse", {}),
        ("curl/8.5.0", {}),
        ("", {}),
        (BROWSER, {"HTTP_SEC_PURPOSE": "prefetch"}),
        (BROWSER, {"HTTP_SEC_PURPOSE": "prefetch;prerender"}),
        (BROWSER, {"HTTP_PURPOSE": "prefetch"}),
        (BROWSER, {"HTTP_SEC_FETCH_SITE": "cross-site"}),
    ],
)
def test_bots_prefetches_and_other_sites_are_not_counted(client, agent, headers):
    story = ArticleFactory(published=True)
    assert beacon(client, story.pk, agent=agent, **headers).status_code == 204
    reads.flush_reads()
    assert total_reads(story) == 0


def test_staff_reads_are_not_counted_but_readers_with_an_account_are(client):
    story = ArticleFactory(published=True)
    client.force_login(editor())
    beacon(client, story.pk)
    client.force_login(UserFactory(is_staff=False))
    beacon(client, story.pk, address="198.51.100.1")
    reads.flush_reads()
    assert total_reads(story) == 1


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", "١٢", "9" * 30, "1 OR 1=1"])
def test_malformed_story_ids_are_ignored(client, value):
    response = client.post(
        reverse("articles:read_beacon"), {"story": value}, HTTP_USER_AGENT=BROWSER
    )
    assert response.status_code == 204
    assert reads.flush_reads() == 0


def test_reads_of_unpublished_or_missing_stories_are_dropped(client):
    draft = ArticleFactory()
    beacon(client, draft.pk)
    beacon(client, draft.pk + 1000)
    reads.flush_reads()
    assert StoryReads.objects.count() == 0


def test_the_beacon_only_takes_posts(client):
    story = ArticleFactory(published=True)
    url = reverse("articles:read_beacon")
    assert client.get(url, {"story": story.pk}).status_code == 405


def test_reads_land_in_hourly_buckets_and_add_up(client):
    story = ArticleFactory(published=True)
    hour = reads.on_the_hour(timezone.now())
    StoryReads.objects.create(article=story, hour=hour, reads=5)
    beacon(client, story.pk)
    reads.flush_reads()
    bucket = StoryReads.objects.get(article=story)
    assert (bucket.hour, bucket.reads) == (hour, 6)


def test_a_broken_counter_store_never_breaks_the_beacon_or_the_page(client):
    story = ArticleFactory(published=True)
    broken = mock.Mock(side_effect=ConnectionError("cache is down"))
    with (
        mock.patch.object(cache, "get", broken),
        mock.patch.object(cache, "add", broken),
        mock.patch.object(cache, "set", broken),
    ):
        assert beacon(client, story.pk).status_code == 204
        assert client.get(story.get_absolute_url()).status_code == 200
        assert client.get("/").status_code == 200


def test_a_database_error_while_writing_loses_counts_not_requests(client):
    story = ArticleFactory(published=True)
    beacon(client, story.pk)
    with mock.patch.object(reads, "_add_to_bucket", side_effect=DatabaseError("down")):
        assert reads.flush_reads() == 0


def test_trending_weighs_recent_reads_above_older_ones():
    now = timezone.now()
    hour = reads.on_the_hour(now)
    old, fresh, stale = ArticleFactory.create_batch(3, published=True)
    StoryReads.objects.create(
        article=old, hour=hour - datetime.timedelta(hours=30), reads=100
    )
    StoryReads.objects.create(article=fresh, hour=hour, reads=40)
    StoryReads.objects.create(
        article=stale, hour=hour - datetime.timedelta(days=3), reads=10**6
    )
    scores = reads.trending_scores(now)
    assert stale.pk not in scores  # outside the two-day window
    assert scores[fresh.pk] > scores[old.pk]
    assert reads.refresh_trending(force=True) == [fresh.pk, old.pk]
    assert reads.trending_stories() == [fresh, old]
    assert reads.trending_stories(exclude=fresh.pk) == [old]


def test_trending_is_worked_out_when_reads_are_written_not_by_pages(
    client, django_assert_num_queries
):
    story = ArticleFactory(published=True)
    with django_assert_num_queries(0):  # nothing trends: no query at all
        assert reads.trending_stories() == []
    beacon(client, story.pk)
    reads.flush_reads()
    with django_assert_num_queries(0):  # the cards were stored with the list
        assert reads.trending_stories() == [story]
    # At most once a minute: a second flush within it leaves the list alone.
    other = ArticleFactory(published=True)
    beacon(client, other.pk)
    reads.flush_reads()
    assert reads.trending_stories() == [story]
    reads.refresh_trending(force=True)
    assert set(reads.trending_stories()) == {story, other}


def test_trending_leaves_out_stories_that_are_no_longer_live():
    story = ArticleFactory(published=True)
    StoryReads.objects.create(
        article=story, hour=reads.on_the_hour(timezone.now()), reads=3
    )
    reads.refresh_trending(force=True)
    story.status = story.Status.ARCHIVED
    story.save()
    assert reads.trending_stories() == []


def test_a_trending_story_edited_shows_its_new_headline_at_once(
    client, django_assert_num_queries
):
    story = ArticleFactory(published=True, headline="Old headline")
    StoryReads.objects.create(
        article=story, hour=reads.on_the_hour(timezone.now()), reads=3
    )
    reads.refresh_trending(force=True)
    story.headline = "New headline"
    story.save()
    with django_assert_num_queries(0):
        (shown,) = reads.trending_stories()
    assert shown.headline == "New headline"
    story.delete()
    assert reads.trending_stories() == []


def test_pages_show_trending_from_the_stored_list_and_survive_a_lost_cache(
    client, monkeypatch
):
    page, trending = ArticleFactory.create_batch(2, published=True)
    StoryReads.objects.create(
        article=trending, hour=reads.on_the_hour(timezone.now()), reads=9
    )
    reads.refresh_trending(force=True)
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    assert "Trending now" in response.content.decode()

    def broken(*args, **kwargs):
        raise ConnectionError("redis is away")

    monkeypatch.setattr(reads.cache, "get", broken)
    for url in (page.get_absolute_url(), "/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Trending now" not in response.content.decode()


def test_most_read_this_week_per_section_and_artist(django_assert_num_queries):
    now = timezone.now()
    hour = reads.on_the_hour(now)
    music, drama = SectionFactory(), SectionFactory()
    artist = ArtistFactory()
    a, b = ArticleFactory.create_batch(2, published=True, section=music)
    c = ArticleFactory(published=True, section=drama)
    a.artists.add(artist)
    c.artists.add(artist)
    last_month = ArticleFactory(published=True, section=music)
    for story, count in ((a, 5), (b, 9), (c, 7)):
        StoryReads.objects.create(article=story, hour=hour, reads=count)
    StoryReads.objects.create(
        article=last_month, hour=hour - datetime.timedelta(days=10), reads=500
    )
    with django_assert_num_queries(1):
        ranked = reads.most_read(section=music)
    assert ranked == [b, a]
    assert ranked[0].total_reads == 9
    assert reads.most_read(artist=artist) == [c, a]
    assert reads.most_read() == [b, c, a]


def test_editors_see_reads_per_story_in_one_query(django_assert_num_queries):
    from articles.models import Article

    read, unread = ArticleFactory.create_batch(2, published=True)
    hour = reads.on_the_hour(timezone.now())
    StoryReads.objects.create(article=read, hour=hour, reads=4)
    StoryReads.objects.create(
        article=read, hour=hour - datetime.timedelta(hours=5), reads=6
    )
    with django_assert_num_queries(1):
        counted = {
            s.pk: s.total_reads for s in reads.with_read_counts(Article.objects.all())
        }
    assert counted == {read.pk: 10, unread.pk: 0}


def test_the_chart_is_hourly_for_two_days_then_daily():
    published = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
    story = ArticleFactory(published=True, published_at=published)
    start = reads.on_the_hour(published)
    StoryReads.objects.create(article=story, hour=start, reads=3)
    StoryReads.objects.create(
        article=story, hour=start + datetime.timedelta(hours=5), reads=2
    )
    StoryReads.objects.create(
        article=story, hour=start + datetime.timedelta(days=3), reads=7
    )
    StoryReads.objects.create(
        article=story, hour=start + datetime.timedelta(days=3, hours=2), reads=1
    )
    bars = reads.reads_chart(story, now=published + datetime.timedelta(days=5))
    hourly = [bar for bar in bars if bar["per"] == "hour"]
    daily = [bar for bar in bars if bar["per"] == "day"]
    assert len(hourly) == 48
    assert hourly[0]["reads"] == 3 and hourly[5]["reads"] == 2
    assert sum(bar["reads"] for bar in hourly) == 5
    assert [bar["reads"] for bar in daily] == [8]
    young = reads.reads_chart(story, now=published + datetime.timedelta(hours=3))
    assert [bar["per"] for bar in young] == ["hour"] * 4


def test_cached_pages_are_rendered_again_when_the_trending_list_changes(monkeypatch):
    from core import pagecache

    changed = []
    monkeypatch.setattr(
        pagecache,
        "content_changed",
        lambda *rows, keys=(), **kw: keys and changed.append(list(keys)),
    )
    story = ArticleFactory(published=True)
    StoryReads.objects.create(
        article=story, hour=reads.on_the_hour(timezone.now()), reads=3
    )
    reads.refresh_trending(force=True)
    # Only the pages showing the list (home and story pages) are invalidated.
    assert changed == [[reads.TRENDING_LIST]]
    reads.refresh_trending(force=True)  # the same list: pages stay
    assert len(changed) == 1


def test_the_story_page_carries_the_beacon_and_loads_nothing_from_elsewhere(client):
    story = ArticleFactory(published=True)
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'data-story="{story.pk}"' in html
    assert 'data-read-beacon="/reads/"' in html
    assert "/static/js/site.js" in html
    assert '<script src="http' not in html and "<iframe" not in html


def test_the_story_list_shows_reads_and_sorts_by_them(client):
    client.force_login(editor())
    hour = reads.on_the_hour(timezone.now())
    popular = ArticleFactory(published=True, headline="Popular one")
    quiet = ArticleFactory(published=True, headline="Quiet one")
    StoryReads.objects.create(article=popular, hour=hour, reads=1234)
    response = client.get("/admin/articles/article/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "column-reads" in html and "1234" in html
    ordered = client.get("/admin/articles/article/", {"o": "-8"})
    assert ordered.status_code == 200
    assert quiet.headline in ordered.content.decode()


def test_the_story_page_of_the_admin_charts_its_reads(client):
    client.force_login(editor())
    story = ArticleFactory(published=True, headline="Charted <b>story</b>")
    StoryReads.objects.create(
        article=story, hour=reads.on_the_hour(story.published_at), reads=7
    )
    html = client.get(f"/admin/articles/article/{story.pk}/change/").content.decode()
    assert "story-reads__chart" in html and "<strong>7</strong> reads" in html
    assert "Charted <b>story</b>" not in html
    page = client.get(reverse("articles:story_reads", args=[story.pk]))
    assert page.status_code == 200 and b"story-reads__chart" in page.content


def test_the_reads_page_is_for_staff_who_may_see_the_story(client):
    story = ArticleFactory()  # a draft by someone else
    url = reverse("articles:story_reads", args=[story.pk])
    assert client.get(url).status_code == 302  # to the login
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url).status_code == 404
    client.force_login(editor())
    assert client.get(url).status_code == 200


def test_a_trending_story_refreshes_the_pages_showing_the_list_only_when_its_card_changes(
    monkeypatch,
):
    """Editors update the biggest story of the day often; a new dek or body must
    not send every story page back to be rendered, a new headline must."""
    from core import pagecache

    changed = []
    monkeypatch.setattr(
        pagecache,
        "content_changed",
        lambda *rows, keys=(), **kw: keys and changed.append(list(keys)),
    )
    story = ArticleFactory(published=True, headline="Old headline")
    StoryReads.objects.create(
        article=story, hour=reads.on_the_hour(timezone.now()), reads=3
    )
    reads.refresh_trending(force=True)
    changed.clear()
    story.dek = "A new standfirst"
    story.body = "<p>More of the story.</p>"
    story.save()
    assert reads.TRENDING_LIST not in sum(changed, [])
    story.headline = "New headline"
    story.save()
    assert [reads.TRENDING_LIST] in changed
    assert reads.trending_stories()[0].headline == "New headline"
