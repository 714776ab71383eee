"""Stories that move with the calendar: scheduled ones follow, live ones get a note."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article, Correction, EventNotice
from discography import event_services
from tests.articles.factories import ArticleFactory, editor
from tests.discography.factories import EventFactory

pytestmark = pytest.mark.django_db

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
SOURCE = "https://example.com/notice"


def in_days(days: int) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)


def test_publish_when_it_happens_schedules_the_story_at_the_event_time():
    erin = editor(username="erin")
    event = EventFactory(starts_at=in_days(3))
    story = ArticleFactory(event=event, is_published_with_event=True)
    services.publish_article(article=story, by=erin)
    story.refresh_from_db()
    assert story.is_scheduled and story.published_at == event.starts_at
    # An explicit time still wins.
    other = ArticleFactory(event=event, is_published_with_event=True)
    tomorrow = in_days(1)
    services.publish_article(article=other, by=erin, at=tomorrow)
    other.refresh_from_db()
    assert other.published_at == tomorrow


def test_a_delay_moves_the_scheduled_story_and_tells_the_desk(admin_client):
    erin = editor(username="erin")
    event = EventFactory(title="IU showcase", starts_at=in_days(3))
    story = ArticleFactory(event=event, is_published_with_event=True)
    services.publish_article(article=story, by=erin)
    moved_to = in_days(10)  # once: a second call may fall in the next second
    event_services.move_event(
        event=event, by=erin, starts_at=moved_to, source_url=SOURCE
    )
    story.refresh_from_db()
    assert story.published_at == moved_to and story.is_scheduled
    step = story.transitions.first()
    assert step.by == erin and "Moved with IU showcase" in step.note
    assert not story.corrections.exists()  # nobody read it yet: nothing to correct
    notice = EventNotice.objects.get()
    assert notice.article == story and "Moved with IU showcase" in notice.message
    desk = admin_client.get("/admin/").text
    assert "Calendar changes" in desk and "Moved with IU showcase" in desk


def test_a_published_story_gets_a_dated_update_note_and_its_page_refreshes(client):
    erin = editor(username="erin")
    event = EventFactory(
        title="The Winning release",
        starts_at=datetime.datetime(2026, 12, 20, 18, tzinfo=SEOUL),
    )
    story = ArticleFactory(published=True, event=event)
    assert "was moved" not in client.get(story.get_absolute_url()).text  # cached now
    event_services.move_event(
        event=event,
        by=erin,
        starts_at=datetime.datetime(2026, 12, 27, 18, tzinfo=SEOUL),
        source_url=SOURCE,
    )
    note = Correction.objects.get(article=story)
    assert note.kind == Correction.Kind.UPDATE
    assert (
        note.note == "The Winning release was moved to Sun 27 December 2026, 18:00 KST."
    )
    html = client.get(story.get_absolute_url()).text
    assert "The Winning release was moved to Sun 27 December 2026" in html
    event_services.cancel_event(event=event, by=erin, source_url=SOURCE)
    assert story.corrections.count() == 2
    assert story.corrections.last().note == "The Winning release was cancelled."


def test_a_cancelled_event_takes_its_waiting_story_off_the_schedule():
    erin = editor(username="erin")
    event = EventFactory(starts_at=in_days(3))
    story = ArticleFactory(event=event, is_published_with_event=True)
    services.publish_article(article=story, by=erin)
    event_services.cancel_event(event=event, by=erin, source_url=SOURCE)
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT and story.published_at is None
    assert EventNotice.objects.filter(article=story).exists()


def test_a_story_with_its_own_time_stays_put_but_the_desk_hears_of_it():
    erin = editor(username="erin")
    event = EventFactory(starts_at=in_days(3))
    story = ArticleFactory(scheduled=True, event=event)
    before = story.published_at
    event_services.move_event(
        event=event, by=erin, starts_at=in_days(9), source_url=SOURCE
    )
    story.refresh_from_db()
    assert story.published_at == before
    assert "keeps its own time" in EventNotice.objects.get().message


def test_the_calendar_links_the_published_stories_about_an_event(client):
    event = EventFactory(title="IU showcase", starts_at=in_days(2))
    ArticleFactory(published=True, event=event, headline="IU sets a showcase date")
    ArticleFactory(scheduled=True, event=event, headline="Not yet out")
    html = client.get("/calendar/").text
    assert "IU sets a showcase date" in html and "Not yet out" not in html
