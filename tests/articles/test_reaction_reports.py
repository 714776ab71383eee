"""Readers report approved reactions; moderators settle reports; editors close."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from articles import services
from articles.models import FanReaction, ReactionReport, ReactionSettings
from tests.articles.reaction_factories import (
    FanReactionFactory,
    StoryFactory,
    editor,
    moderator,
)

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}
QUEUE = "/admin/articles/fanreaction/"


@pytest.fixture
def reader() -> Client:
    return Client(enforce_csrf_checks=True, HTTP_USER_AGENT="Mozilla/5.0 report")


def report_url(reaction) -> str:
    return f"/reactions/{reaction.pk}/report/"


def report_confirmed(client: Client, reaction, reason: str):
    """A reader from a cached page: the first post asks to confirm, with a token."""
    before = ReactionReport.objects.count()
    page = client.post(report_url(reaction), {"reason": reason})
    assert page.status_code == 200
    assert "confirm" in page.content.decode().lower()
    assert ReactionReport.objects.count() == before  # nothing stored without CSRF
    token = str(page.context["csrf_token"])
    return client.post(
        report_url(reaction), {"reason": reason, "csrfmiddlewaretoken": token}
    )


def test_story_page_offers_a_report_form_under_each_approved_reaction(reader):
    reaction = FanReactionFactory(approved=True)
    html = reader.get(reaction.article.get_absolute_url()).content.decode()
    assert f'action="{report_url(reaction)}"' in html
    assert "csrfmiddlewaretoken" not in html  # the cached page carries no token
    assert "Abusive or hateful" in html


def test_reader_reports_without_account_once_per_reaction(reader):
    reaction = FanReactionFactory(approved=True)
    done = report_confirmed(reader, reaction, "abusive")
    assert done.status_code == 200 and "Thank you" in done.content.decode()
    again = report_confirmed(reader, reaction, "spam")
    assert again.status_code == 200
    report = ReactionReport.objects.get(reaction=reaction)  # counted once
    assert report.reason == "abusive" and len(report.fingerprint) == 64


def test_report_needs_a_reason_and_an_approved_reaction(reader):
    pending = FanReactionFactory()
    assert reader.post(report_url(pending), {"reason": "spam"}).status_code == 404
    approved = FanReactionFactory(approved=True)
    refused = reader.post(report_url(approved), {"reason": "<b>"})
    assert refused.status_code == 400
    assert not ReactionReport.objects.exists()


def test_reports_are_rate_limited(reader, settings):
    settings.REACTIONS_RATE_LIMIT = 2
    reactions = FanReactionFactory.create_batch(3, approved=True)
    statuses = [report_confirmed(reader, r, "spam").status_code for r in reactions]
    assert statuses == [200, 200, 429]
    assert ReactionReport.objects.count() == 2


def test_queue_filters_reported_with_count_and_reasons(client):
    client.force_login(moderator())
    reported = FanReactionFactory(approved=True, message="Reported one")
    FanReactionFactory(approved=True, message="Quiet one")
    for n, reason in enumerate(["abusive", "abusive", "spam"]):
        ReactionReport.objects.create(
            reaction=reported, reason=reason, fingerprint=f"{n:064x}"
        )
    response = client.get(QUEUE + "?reported=open")
    html = response.content.decode()
    assert list(response.context["cl"].result_list) == [reported]
    assert "Reported, waiting (1)" in html
    assert "Reported 3×" in html and "Abusive or hateful (2)" in html
    assert 'value="dismiss"' in html and 'value="remove"' in html


def test_moderator_removes_a_reported_reaction_audited(client):
    user = moderator()
    client.force_login(user)
    reaction = FanReactionFactory(approved=True)
    ReactionReport.objects.create(reaction=reaction, reason="abusive", fingerprint="a")
    url = f"{QUEUE}{reaction.pk}/reports/"
    data = client.post(url, {"decision": "remove"}, **JSON).json()
    assert data["status"] == "rejected"
    reaction.refresh_from_db()
    assert reaction.decision_reason == "abusive"
    assert reaction.decisions.get().decided_by == user
    report = ReactionReport.objects.get()
    assert (report.outcome, report.settled_by) == ("removed", user)
    assert not FanReaction.objects.reported().exists()


def test_moderator_dismisses_reports_and_the_reaction_stays(client):
    client.force_login(moderator())
    reaction = FanReactionFactory(approved=True)
    ReactionReport.objects.create(reaction=reaction, reason="spam", fingerprint="a")
    url = f"{QUEUE}{reaction.pk}/reports/"
    assert client.post(url, {"decision": "dismiss"}, **JSON).status_code == 200
    reaction.refresh_from_db()
    assert reaction.status == "approved"
    assert ReactionReport.objects.get().outcome == "dismissed"
    # Nothing left to settle: a second dismissal is refused.
    assert client.post(url, {"decision": "dismiss"}, **JSON).status_code == 400


def test_editor_cannot_settle_reports(client):
    client.force_login(editor())
    reaction = FanReactionFactory(approved=True)
    ReactionReport.objects.create(reaction=reaction, reason="spam", fingerprint="a")
    url = f"{QUEUE}{reaction.pk}/reports/"
    assert client.post(url, {"decision": "remove"}, **JSON).status_code == 403
    assert ReactionReport.objects.get().settled_at is None


def test_editor_closes_reactions_and_the_story_refuses_new_ones(reader, client):
    story = StoryFactory()
    user = editor()
    client.force_login(user)
    response = client.post(
        "/admin/articles/article/",
        {"action": "close_reactions", "_selected_action": [story.pk], "index": 0},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.reactions_closed
    assert story.transitions.get().note == "Closed reactions."
    page = reader.get(story.get_absolute_url()).content.decode()
    assert "Reactions are closed on this story." in page
    assert "Send reaction" not in page
    posted = reader.post(
        f"/news/{story.slug}/reactions/",
        {"display_name": "A", "message": "B"},
        **JSON,
    )
    assert posted.status_code == 403 and posted.json()["status"] == "closed"
    services.set_reactions_closed(article=story, by=user, closed=False)
    assert "Send reaction" in reader.get(story.get_absolute_url()).content.decode()


def test_writer_cannot_close_reactions():
    from newsroom.groups import WRITERS
    from tests.articles.reaction_factories import staff_user

    story = StoryFactory()
    with pytest.raises(services.PermissionDenied):
        services.set_reactions_closed(
            article=story, by=staff_user("w", WRITERS), closed=True
        )


def test_site_wide_close_after_days_setting(client, reader):
    client.force_login(editor())
    old = StoryFactory(published_at=timezone.now() - datetime.timedelta(days=10))
    fresh = StoryFactory()
    # The one settings row comes with the migrations; editors change it.
    listed = client.get("/admin/articles/reactionsettings/").content.decode()
    assert "/admin/articles/reactionsettings/1/change/" in listed
    assert "/admin/articles/reactionsettings/add/" not in listed
    saved = client.post(
        "/admin/articles/reactionsettings/1/change/", {"close_after_days": "7"}
    )
    assert saved.status_code == 302
    assert ReactionSettings.current().close_after_days == 7
    assert "Reactions are closed" in reader.get(old.get_absolute_url()).content.decode()
    assert "Send reaction" in reader.get(fresh.get_absolute_url()).content.decode()
