"""The reader side of live coverage: the page, the updates answer, older pages,
structured data and feeds."""

import datetime
import json
import re
import time

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import live, live_updates
from articles.models import LiveEntry
from tests.articles.factories import ArticleFactory, editor
from tests.articles.live_factories import entries, live_story

pytestmark = pytest.mark.django_db


@pytest.fixture
def erin():
    return editor(username="erin")


def updates(client, story, after):
    response = client.get(
        f"/news/{story.slug}/live/updates/", {"after": after} if after else {}
    )
    return response, (response.json() if response.status_code == 200 else None)


def test_live_page_shows_badge_pinned_key_events_and_newest_twenty(client, erin):
    story = live_story()
    entries(story, 30)
    key = live.post_live_entry(
        article=story, by=erin, body="<p>Big moment</p>", is_key_event=True,
        key_title="Daesang: <IU>",
    )  # fmt: skip
    pinned = live.post_live_entry(
        article=story, by=erin, body="<p>Read this first</p>", is_pinned=True
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert html.count('class="live-badge') == 2  # by the headline and the stream
    ids = re.findall(r'<article class="live-entry[^"]*" id="entry-(\d+)"', html)
    assert len(ids) == 20
    assert ids[:2] == [str(pinned.pk), str(key.pk)]  # newest first
    assert ids == sorted(ids, key=int, reverse=True)
    assert f'href="#entry-{key.pk}">Daesang: &lt;IU&gt;</a>' in html
    assert "data-live-pinned>" in html and "Read this first" in html
    assert 'rel="next">Older updates</a>' in html
    assert "js/live.js" in html and "data-live-running" in html
    assert re.search(r"<time datetime=\"[^\"]+\">", html)


def test_first_paint_is_small_and_queries_do_not_grow_with_entries(client):
    story = live_story()
    entries(story, 5)
    client.get(story.get_absolute_url())  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(story.get_absolute_url())
    entries(story, 495)
    with CaptureQueriesContext(connection) as many:
        html = client.get(story.get_absolute_url()).content
    assert len(many) == len(few)
    assert len(html) < 150_000
    assert html.decode().count('<article class="live-entry') == 20


def test_ended_coverage_has_no_badge_and_no_polling(client, erin):
    story = live_story()
    live.post_live_entry(article=story, by=erin, body="<p>Last word</p>")
    live.end_live_coverage(article=story, by=erin)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "live-badge" not in html and "js/live.js" not in html
    assert "Last word" in html and "(ended)" in html
    response, data = updates(client, story, live_updates.cursor_of(timezone.now()))
    assert data["live"] is False
    assert "max-age=300" in response["Cache-Control"]


def test_updates_bring_new_edited_and_removed_entries(
    client, erin, django_capture_on_commit_callbacks, monkeypatch
):
    # No pause between rebuilds: each poll sees each change at once.
    monkeypatch.setattr(live_updates, "REBUILD_SECONDS", 0)
    story = live_story()
    old = live.post_live_entry(article=story, by=erin, body="<p>Old</p>")
    page = client.get(story.get_absolute_url()).content.decode()
    cursor = re.search(r'data-live-cursor="([^"]+)"', page).group(1)
    assert cursor == live_updates.cursor_of(old.updated_at)
    seen = {old.pk: live_updates.cursor_of(old.updated_at)}

    def poll():
        # As the page's script does: skip versions it already shows.
        nonlocal cursor
        response, data = updates(client, story, cursor)
        assert data["live"] is True and data["reload"] is False
        cursor = data["cursor"]
        fresh = [c for c in data["entries"] if seen.get(c["id"]) != c["updated"]]
        seen.update({c["id"]: c["updated"] for c in fresh})
        return response, fresh

    response, fresh = poll()
    assert fresh == []
    assert response["Cache-Control"] == "public, max-age=1, s-maxage=1"

    with django_capture_on_commit_callbacks(execute=True):
        new = live.post_live_entry(article=story, by=erin, body="<p>New <b>one</b></p>")
    [change] = poll()[1]
    assert change["id"] == new.pk and not change["removed"]
    assert f'id="entry-{new.pk}"' in change["html"]
    assert "New <b>one</b>" in change["html"]

    with django_capture_on_commit_callbacks(execute=True):
        live.edit_live_entry(entry=new, by=erin, body="<p>Newer</p>")
    [change] = poll()[1]
    assert change["id"] == new.pk and "Newer" in change["html"]

    with django_capture_on_commit_callbacks(execute=True):
        live.remove_live_entry(entry=new, by=erin)
    [change] = poll()[1]
    assert change["removed"] is True and change["html"] == ""
    # An entry id works as a cursor too; no cursor at all asks to reload.
    _, by_id = updates(client, story, str(old.pk))
    assert by_id["reload"] is False
    assert {c["id"] for c in by_id["entries"]} == {old.pk, new.pk}
    assert updates(client, story, "")[1]["reload"] is True


def test_polls_are_answered_without_queries_between_rebuilds(
    client, erin, django_capture_on_commit_callbacks, monkeypatch
):
    story = live_story()
    entries(story, 3)  # stored without a service: no change announced
    cursor = live_updates.cursor_of(timezone.now())
    updates(client, story, cursor)
    before = live_updates.BUILDS.total
    with CaptureQueriesContext(connection) as asked:
        for _ in range(50):
            updates(client, story, cursor)
    assert len(asked) == 0
    assert live_updates.BUILDS.total == before
    # A change marks the snapshot stale; while another process holds the rebuild
    # lock (it rebuilt within the second), polls get the stale copy without a
    # query; then one poll rebuilds it.
    lock = live_updates.LOCK_KEY.format(digest=live_updates._digest(story.slug))
    cache.set(lock, 1, 60)
    with django_capture_on_commit_callbacks(execute=True):
        new = live.post_live_entry(article=story, by=erin, body="<p>y</p>")
    with CaptureQueriesContext(connection) as asked:
        response, stale = updates(client, story, cursor)
    assert new.pk not in {c["id"] for c in stale["entries"]} and len(asked) == 0
    assert response["Cache-Control"] == "private, max-age=0"  # no shared cache keeps it
    cache.delete(lock)
    with CaptureQueriesContext(connection) as asked:
        answers = [updates(client, story, cursor)[1] for _ in range(20)]
    assert all(new.pk in {c["id"] for c in a["entries"]} for a in answers)
    assert live_updates.BUILDS.total == before + 1 and 0 < len(asked) <= 3


def test_a_reader_far_behind_is_asked_to_reload(client, erin):
    story = live_story()
    entries(story, live_updates.CHANGES_KEPT + 5)
    cursor = live_updates.cursor_of(timezone.now() - datetime.timedelta(days=1))
    _, data = updates(client, story, cursor)
    assert data["reload"] is True and data["entries"] == []


@pytest.mark.parametrize(
    "after", ["x", "-1", "9" * 40, "0000-01-01T00:00:00", "2024-13-40", "<script>"]
)
def test_hostile_cursors_get_an_answer_not_an_error(client, after):
    story = live_story()
    response, data = updates(client, story, after)
    assert response.status_code == 200 and data["reload"] is True


def test_updates_of_a_story_readers_cannot_see_are_404(client):
    for story in (ArticleFactory(is_live_blog=True), ArticleFactory(published=True)):
        assert updates(client, story, "1")[0].status_code == 404
        assert client.get(f"/news/{story.slug}/live/?before=1").status_code == 404


def test_older_pages_list_entries_before_one_with_plain_links(client):
    story = live_story()
    made = entries(story, 45)
    html = client.get(story.get_absolute_url()).content.decode()
    older = re.search(r'href="([^"]+)" rel="next">Older', html).group(1)
    page = client.get(older)
    assert page["Cache-Control"] == "public, max-age=600, s-maxage=600"
    text = page.content.decode()
    ids = [int(i) for i in re.findall(r'id="entry-(\d+)"', text)]
    assert ids == [e.pk for e in reversed(made[5:25])]
    last = re.search(r'href="([^"]+)" rel="next">Older', text).group(1)
    ids = re.findall(r'id="entry-(\d+)"', client.get(last).content.decode())
    assert [int(i) for i in ids] == [e.pk for e in reversed(made[:5])]
    for bad in ("x", "-3", "9" * 30, str(made[0].pk + 10_000)):
        assert client.get(f"/news/{story.slug}/live/?before={bad}").status_code == 404


def _jsonld(html: str) -> list[dict]:
    blocks = re.findall(
        r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S
    )
    return [json.loads(block) for block in blocks]


def test_live_story_is_a_live_blog_posting_with_latest_fifty_updates(client, erin):
    story = live_story()
    entries(story, 60)
    key = live.post_live_entry(
        article=story, by=erin, body="<p>Win</p>", is_key_event=True, key_title="Win"
    )
    live.end_live_coverage(article=story, by=erin)
    story.refresh_from_db()
    html = client.get(story.get_absolute_url()).content.decode()
    [posting] = [d for d in _jsonld(html) if d["@type"] == "LiveBlogPosting"]
    assert posting["coverageStartTime"] == story.coverage_started_at.isoformat()
    assert posting["coverageEndTime"] == story.coverage_ended_at.isoformat()
    updates_ = posting["liveBlogUpdate"]
    assert len(updates_) == 50
    assert updates_[0]["headline"] == "Win"
    assert updates_[0]["url"].endswith(f"{story.get_absolute_url()}#entry-{key.pk}")
    assert posting["dateModified"] >= key.updated_at.isoformat()[:19]


def test_feed_carries_the_live_story_once_dated_by_its_latest_entry(client, erin):
    story = live_story()
    entry = live.post_live_entry(article=story, by=erin, body="<p>Latest</p>")
    later = timezone.now() + datetime.timedelta(minutes=3)
    LiveEntry.objects.filter(pk=entry.pk).update(updated_at=later)

    feed = feedparser.parse(client.get("/feeds/latest/atom/").content)
    items = [e for e in feed.entries if e.link.endswith(story.get_absolute_url())]
    assert len(items) == 1
    updated = datetime.datetime(*items[0].updated_parsed[:6], tzinfo=datetime.UTC)
    assert abs((updated - later).total_seconds()) < 1


def test_with_the_page_cache_on_a_new_entry_reaches_the_next_poll(
    client, settings, erin, django_capture_on_commit_callbacks
):
    # The updates answer keeps its own few-second lifetime: the page cache, which
    # cannot see the rows it answers from, never stores it for minutes.
    settings.PAGE_CACHE_ENABLED = True
    story = live_story()
    (first,) = entries(story, 1)
    before, _ = updates(client, story, first.pk)
    assert before.status_code == 200 and "s-maxage=" in before["Cache-Control"]
    with django_capture_on_commit_callbacks(execute=True):
        newer = live.post_live_entry(article=story, by=erin, body="<p>Encore!</p>")
    time.sleep(1.1)  # past the snapshot's one rebuild a second
    after, answer = updates(client, story, first.pk)
    assert after.status_code == 200 and after.get("X-Page-Cache") is None
    assert newer.pk in {entry["id"] for entry in answer["entries"]}
