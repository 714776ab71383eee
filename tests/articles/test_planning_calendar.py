"""The planning calendar: week and month, filters, moving a story, the ICS feed."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from articles.admin.calendar import feed_token
from articles.models import Article
from tests.articles.factories import (
    ArticleFactory,
    ArtistFactory,
    SectionFactory,
    editor,
    writer,
)

pytestmark = pytest.mark.django_db
CAL = "/admin/calendar/"


def monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def test_week_shows_planned_and_scheduled_stories(client):
    day = monday() + datetime.timedelta(days=2)
    ArticleFactory(headline="Planned piece", planned_for=day)
    ArticleFactory(headline="Going live", scheduled=True)
    ArticleFactory(headline="Next month", planned_for=day + datetime.timedelta(days=40))
    client.force_login(editor(username="erin"))
    response = client.get(CAL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Planned piece" in html and "Next month" not in html
    assert "Going live" in html or timezone.localdate().weekday() == 6
    month = client.get(CAL + f"?view=month&date={day + datetime.timedelta(days=40)}")
    assert "Next month" in month.content.decode()


def test_filters_by_section_author_and_artist(client):
    day = monday()
    news = SectionFactory(name="Planning desk", slug="planning-desk")
    ive = ArtistFactory(name="IVE")
    kept = ArticleFactory(headline="Kept one", planned_for=day, section=news)
    kept.artists.add(ive)
    ArticleFactory(headline="Other one", planned_for=day)
    client.force_login(editor(username="erin"))
    for query in (f"section={news.pk}", f"artist={ive.pk}"):
        html = client.get(f"{CAL}?date={day}&{query}").content.decode()
        assert "Kept one" in html and "Other one" not in html
    assert client.get(f"{CAL}?date=0001-01-01&section=x").status_code == 200


def test_moving_a_story_is_checked_and_recorded(client):
    alice = writer(username="alice")
    own = ArticleFactory(created_by=alice, planned_for=monday())
    others = ArticleFactory(planned_for=monday())
    client.force_login(alice)
    target = monday() + datetime.timedelta(days=3)
    client.post(reverse("admin_calendar_move", args=[own.pk]), {"day": target})
    own.refresh_from_db()
    assert own.planned_for == target and own.published_at is None
    assert own.transitions.get().note.startswith(f"Planned for {target}")
    # Another writer's draft is out of sight: no move, no record.
    response = client.post(
        reverse("admin_calendar_move", args=[others.pk]), {"day": target}
    )
    assert response.status_code == 404
    others.refresh_from_db()
    assert others.planned_for == monday()


def test_move_refuses_implausible_days(client):
    story = ArticleFactory(planned_for=monday())
    client.force_login(editor(username="erin"))
    client.post(reverse("admin_calendar_move", args=[story.pk]), {"day": "0001-01-01"})
    story.refresh_from_db()
    assert story.planned_for == monday()


def test_private_feed_lists_only_own_stories(client):
    alice = writer(username="alice")
    ArticleFactory(created_by=alice, headline="Mine planned", planned_for=monday())
    ArticleFactory(headline="Not mine", planned_for=monday())
    url = reverse("calendar_feed", args=[feed_token(alice)])
    response = client.get(url)  # no login: calendar apps cannot sign in
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    feed = Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in feed.walk("VEVENT")]
    assert summaries == ["Planned: Mine planned"]
    bad = reverse("calendar_feed", args=[f"{alice.pk}-{'0' * 40}"])
    assert client.get(bad).status_code == 404
    alice.set_password("new-password-123")
    alice.save()
    assert client.get(url).status_code == 404  # a new password revokes the feed


def test_calendar_query_count_does_not_grow(client):
    client.force_login(editor(username="erin"))
    ArticleFactory.create_batch(2, planned_for=monday(), authors=2)
    client.get(CAL)
    with CaptureQueriesContext(connection) as few:
        client.get(CAL)
    ArticleFactory.create_batch(10, planned_for=monday(), authors=2)
    with CaptureQueriesContext(connection) as many:
        client.get(CAL)
    assert len(many) == len(few)


def test_planned_for_is_never_a_publish_time():
    story = ArticleFactory(planned_for=monday())
    assert story.published_at is None
    assert not Article.objects.published().filter(pk=story.pk).exists()
