"""The moderation queue's row controls: one post per decision, audited, undoable."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from articles import moderation
from articles.models import FanReaction, ReactionDecision
from tests.articles.reaction_factories import FanReactionFactory, editor, moderator

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/fanreaction/"
UNDO = CHANGELIST + "undo/"
JSON = {"HTTP_ACCEPT": "application/json"}


def decide_url(reaction) -> str:
    return f"{CHANGELIST}{reaction.pk}/decide/"


@pytest.fixture
def mod(client):
    user = moderator()
    client.force_login(user)
    client.user = user
    return client


def test_queue_shows_pending_first_oldest_first_with_the_whole_message(mod):
    now = timezone.now()
    long_message = "가" * 30 + " a long message that the old queue cut short " * 8
    approved = FanReactionFactory(approved=True, created_at=now)
    newest = FanReactionFactory(created_at=now - datetime.timedelta(minutes=1))
    oldest = FanReactionFactory(
        created_at=now - datetime.timedelta(hours=3), message=long_message[:500]
    )
    oldest.flags.create(code="links", reason="2 links (more than 1 allowed)")
    response = mod.get(CHANGELIST)
    queue = list(response.context["cl"].result_list)
    assert queue == [oldest, newest, approved]
    html = response.content.decode()
    assert long_message[:500].strip() in html
    assert "Too many links" in html and oldest.article.headline in html
    assert f'formaction="{decide_url(oldest)}"' in html
    assert 'aria-keyshortcuts="a"' in html and "js/moderation-queue.js" in html


def test_row_decision_answers_json_and_goes_through_the_audited_service(mod):
    reaction = FanReactionFactory()
    response = mod.post(decide_url(reaction), {"decision": "approve"}, **JSON)
    assert response.status_code == 200
    data = response.json()
    assert (data["status"], data["label"]) == ("approved", "Approved")
    decision = ReactionDecision.objects.get(pk=data["decision"])
    assert (decision.action, decision.decided_by, decision.previous_status) == (
        "approve",
        mod.user,
        "pending",
    )
    reaction.refresh_from_db()
    assert reaction.status == "approved" and reaction.decided_by == mod.user


def test_reject_needs_a_reason_picked_in_the_row(mod):
    reaction = FanReactionFactory()
    refused = mod.post(decide_url(reaction), {"decision": "reject"}, **JSON)
    assert refused.status_code == 400
    assert "Choose why" in refused.json()["error"]
    assert not reaction.decisions.exists()
    field = f"reason-{reaction.pk}"
    done = mod.post(decide_url(reaction), {"decision": "reject", field: "abusive"})
    assert done.status_code == 302  # without a script: back to the queue
    reaction.refresh_from_db()
    assert (reaction.status, reaction.decision_reason) == ("rejected", "abusive")


@pytest.mark.parametrize("decision", ["spam", "feature"])
def test_spam_and_feature_from_the_row(mod, decision):
    reaction = FanReactionFactory()
    data = mod.post(decide_url(reaction), {"decision": decision}, **JSON).json()
    expected = {"spam": ("spam", False), "feature": ("approved", True)}[decision]
    assert (data["status"], data["is_featured"]) == expected


def test_editor_reads_the_queue_but_the_row_refuses_their_decision(client):
    client.force_login(editor())
    reaction = FanReactionFactory()
    assert 'name="decision"' not in client.get(CHANGELIST).content.decode()
    response = client.post(decide_url(reaction), {"decision": "approve"}, **JSON)
    assert response.status_code == 403
    reaction.refresh_from_db()
    assert reaction.status == "pending" and not reaction.decisions.exists()


def test_unknown_decision_and_get_change_nothing(mod):
    reaction = FanReactionFactory()
    assert mod.post(decide_url(reaction), {"decision": "delete"}, **JSON).status_code
    assert mod.get(decide_url(reaction)).status_code == 405
    assert mod.post(UNDO, {"decision": "x"}, **JSON).status_code == 400
    assert not reaction.decisions.exists()


def test_undo_puts_the_reaction_back_and_is_recorded(mod):
    reaction = FanReactionFactory()
    first = mod.post(decide_url(reaction), {"decision": "feature"}, **JSON).json()
    undone = mod.post(UNDO, {"decision": first["decision"]}, **JSON)
    assert undone.status_code == 200
    assert (undone.json()["status"], undone.json()["is_featured"]) == (
        "pending",
        False,
    )
    actions = list(reaction.decisions.values_list("action", flat=True))
    assert actions == ["undo", "feature"]  # newest first: the undo is on the record
    # The undo itself cannot be undone, and the feature is no longer the latest.
    again = mod.post(UNDO, {"decision": first["decision"]}, **JSON)
    assert again.status_code == 400


def test_undo_only_own_latest_decision_within_the_window(mod, settings):
    reaction = FanReactionFactory()
    other = moderator("mod-other")
    moderation.approve_reaction(reaction=reaction, by=other)
    theirs = reaction.recorded_decision
    assert mod.post(UNDO, {"decision": theirs.pk}, **JSON).status_code == 403
    mine = mod.post(decide_url(reaction), {"decision": "spam"}, **JSON).json()
    settings.REACTION_UNDO_SECONDS = 0
    ReactionDecision.objects.filter(pk=mine["decision"]).update(
        decided_at=timezone.now() - datetime.timedelta(seconds=5)
    )
    late = mod.post(UNDO, {"decision": mine["decision"]}, **JSON)
    assert late.status_code == 400 and "Too late" in late.json()["error"]
    reaction.refresh_from_db()
    assert reaction.status == FanReaction.Status.SPAM


def test_hostile_message_is_inert_in_the_full_text(mod):
    FanReactionFactory(message='<script>alert(1)</script>\n<img src=x onerror="y">')
    html = mod.get(CHANGELIST).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>&lt;img" in html


def test_decision_query_count_is_small_and_fixed(mod, django_assert_max_num_queries):
    reactions = FanReactionFactory.create_batch(3)
    mod.post(decide_url(reactions[0]), {"decision": "approve"}, **JSON)
    with django_assert_max_num_queries(10):
        mod.post(decide_url(reactions[1]), {"decision": "approve"}, **JSON)
