"""The moderators' admin: their boundaries, the queue, the actions and the record."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.loader import render_to_string
from django.test import RequestFactory

from articles.models import FanReaction, ReactionDecision
from tests.articles.reaction_factories import (
    FanReactionFactory,
    StoryFactory,
    editor,
    moderator,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/fanreaction/"


@pytest.fixture
def mod_client(client):
    client.force_login(moderator())
    return client


def change_url(reaction) -> str:
    return f"{CHANGELIST}{reaction.pk}/change/"


def run_action(client, action: str, reactions, **extra):
    data = {
        "action": action,
        ACTION_CHECKBOX_NAME: [r.pk for r in reactions],
        "index": 0,
        **extra,
    }
    return client.post(CHANGELIST, data)


# ---- boundaries


@pytest.mark.parametrize(
    "path",
    [
        "/admin/articles/article/",
        "/admin/articles/article/add/",
        "/admin/artists/artist/",
        "/admin/discography/release/",
        "/admin/auth/user/",
    ],
)
def test_moderator_gets_403_outside_reactions(mod_client, path):
    assert mod_client.get(path).status_code == 403


def test_moderator_sees_only_reactions_and_banned_words(mod_client):
    html = mod_client.get("/admin/").content.decode()
    assert "/admin/articles/fanreaction/" in html
    assert "/admin/articles/bannedword/" in html
    assert "/admin/articles/article/" not in html
    assert "/admin/artists/" not in html
    assert "/admin/discography/" not in html


def test_moderator_manages_banned_words(mod_client):
    response = mod_client.post(
        "/admin/articles/bannedword/add/", {"word": "scam", "is_spam": "on"}
    )
    assert response.status_code == 302


def test_nobody_adds_reactions_in_the_admin(mod_client):
    assert mod_client.get(f"{CHANGELIST}add/").status_code == 403


def test_moderator_cannot_change_what_the_reader_wrote(mod_client):
    reaction = FanReactionFactory(display_name="Dana", message="Original words")
    response = mod_client.post(
        change_url(reaction),
        {
            "display_name": "Changed",
            "message": "Rewritten by a moderator",
            "status": "approved",
            "is_featured": "on",
            "decisions-TOTAL_FORMS": "0",
            "decisions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    reaction.refresh_from_db()
    assert (reaction.display_name, reaction.message) == ("Dana", "Original words")
    assert reaction.status == "pending" and not reaction.is_featured
    assert not reaction.decisions.exists()


def test_change_page_shows_the_text_read_only(mod_client):
    reaction = FanReactionFactory(message="Line one\nLine <b>two</b>")
    html = mod_client.get(change_url(reaction)).content.decode()
    assert 'name="message"' not in html and 'name="display_name"' not in html
    assert "Line one<br>Line &lt;b&gt;two&lt;/b&gt;" in html
    assert 'name="decision"' in html


def test_editor_may_read_the_queue_but_not_decide(client):
    client.force_login(editor())
    reaction = FanReactionFactory()
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert 'value="approve"' not in response.content.decode()
    run_action(client, "approve", [reaction])
    reaction.refresh_from_db()
    assert reaction.status == "pending"


# ---- the queue


def test_queue_shows_why_each_reaction_was_held(mod_client):
    reaction = FanReactionFactory(message="Buy now")
    reaction.flags.create(code="links", reason="4 links (more than 1 allowed)")
    html = mod_client.get(CHANGELIST).content.decode()
    assert "Too many links" in html
    assert 'title="4 links (more than 1 allowed)"' in html


def test_queue_filters_by_status_flag_and_story(mod_client):
    story = StoryFactory(headline="Filter me")
    flagged = FanReactionFactory(article=story, message="Flagged one")
    flagged.flags.create(code="burst", reason="burst")
    FanReactionFactory(message="Quiet one")
    FanReactionFactory(status="approved", message="Approved one")

    def shown(query: str) -> set[str]:
        response = mod_client.get(CHANGELIST + query)
        assert response.status_code == 200
        return {r.message for r in response.context["cl"].result_list}

    assert shown("?status__exact=pending") == {"Flagged one", "Quiet one"}
    assert shown("?flag=burst") == {"Flagged one"}
    assert shown("?flag=any") == {"Flagged one"}
    assert shown("?flag=none") == {"Quiet one", "Approved one"}
    assert shown(f"?article__id__exact={story.pk}") == {"Flagged one"}
    assert shown("?q=quiet") == {"Quiet one"}


def test_queue_query_count_does_not_grow_with_reactions(
    mod_client, django_assert_max_num_queries
):
    def fill(n):
        for reaction in FanReactionFactory.create_batch(n):
            reaction.flags.create(code="links", reason="2 links")

    fill(2)
    mod_client.get(CHANGELIST)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        mod_client.get(CHANGELIST)
    fill(20)
    with django_assert_max_num_queries(len(few)):
        mod_client.get(CHANGELIST)


def test_change_page_shows_flags_and_the_submitters_other_reactions(mod_client):
    reaction = FanReactionFactory(fingerprint="c" * 64, message="This one")
    reaction.flags.create(code="impersonation", reason="Name matches the artist “IU”")
    FanReactionFactory(fingerprint="c" * 64, message="Earlier from the same reader")
    FanReactionFactory(fingerprint="d" * 64, message="Someone else entirely")
    html = mod_client.get(change_url(reaction)).content.decode()
    assert "Impersonation</strong>: Name matches the artist “IU”" in html
    assert "Earlier from the same reader" in html
    assert "Someone else entirely" not in html
    assert f"?q={'c' * 64}" in html


# ---- actions and their record


def test_approve_action_approves_many_and_records_the_moderator(client):
    mod = moderator()
    client.force_login(mod)
    reactions = FanReactionFactory.create_batch(3)
    response = run_action(client, "approve", reactions)
    assert response.status_code == 302
    assert set(FanReaction.objects.values_list("status", flat=True)) == {"approved"}
    assert set(FanReaction.objects.values_list("decided_by", flat=True)) == {mod.pk}
    assert (
        ReactionDecision.objects.filter(action="approve", decided_by=mod).count() == 3
    )


def test_mark_spam_and_feature_actions(mod_client):
    spam, star = FanReactionFactory.create_batch(2)
    run_action(mod_client, "mark_spam", [spam])
    run_action(mod_client, "feature", [star])
    spam.refresh_from_db()
    star.refresh_from_db()
    assert spam.status == "spam"
    assert star.status == "approved" and star.is_featured


def test_reject_action_asks_for_a_reason_first(mod_client):
    reactions = FanReactionFactory.create_batch(2, message="Needs a reason")
    response = run_action(mod_client, "reject", reactions)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reject 2 reactions?" in html
    assert 'name="reason"' in html and "Personal information" in html
    assert set(FanReaction.objects.values_list("status", flat=True)) == {"pending"}

    response = run_action(
        mod_client,
        "reject",
        reactions,
        apply="1",
        reason="personal_information",
        note="Phone number",
    )
    assert response.status_code == 302
    for reaction in reactions:
        reaction.refresh_from_db()
        assert reaction.status == "rejected"
        assert reaction.decision_reason == "personal_information"
        assert reaction.decisions.get().note == "Phone number"


def test_reject_action_takes_the_reason_from_the_action_bar(mod_client):
    reaction = FanReactionFactory()
    response = run_action(mod_client, "reject", [reaction], reason="off_topic")
    assert response.status_code == 302
    reaction.refresh_from_db()
    assert (reaction.status, reaction.decision_reason) == ("rejected", "off_topic")


def test_change_page_decision_goes_through_the_service(client):
    mod = moderator()
    client.force_login(mod)
    reaction = FanReactionFactory()
    base = {"decisions-TOTAL_FORMS": "0", "decisions-INITIAL_FORMS": "0"}
    response = client.post(change_url(reaction), {**base, "decision": "reject"})
    assert response.status_code == 200  # a reason is required
    assert "Choose why the reaction is rejected." in response.content.decode()
    response = client.post(
        change_url(reaction),
        {**base, "decision": "reject", "reason": "abusive", "note": "slur"},
    )
    assert response.status_code == 302
    reaction.refresh_from_db()
    assert reaction.status == "rejected" and reaction.decided_by == mod
    html = client.get(change_url(reaction)).content.decode()
    assert "decision history" in html.lower() and "slur" in html


# ---- the desk counts on the admin index


def test_desk_partial_shows_pending_counts_to_moderators():
    FanReactionFactory.create_batch(2)
    FanReactionFactory().flags.create(code="burst", reason="burst")
    request = RequestFactory().get("/admin/")
    request.user = moderator()
    html = render_to_string("admin/_desk_reactions.html", {"request": request})
    assert "<strong>3</strong> awaiting moderation" in html
    assert "<strong>1</strong> flagged" in html
    assert "?status__exact=pending&amp;flag=any" in html


def test_desk_partial_is_empty_for_staff_without_reaction_rights():
    from tests.articles.reaction_factories import staff_user

    request = RequestFactory().get("/admin/")
    request.user = staff_user("writer-woo", "Writers")
    assert (
        render_to_string("admin/_desk_reactions.html", {"request": request}).strip()
        == ""
    )


def test_banned_words_are_unique_whatever_the_case(mod_client):
    mod_client.post("/admin/articles/bannedword/add/", {"word": "Scam"})
    response = mod_client.post("/admin/articles/bannedword/add/", {"word": "sCAM"})
    assert response.status_code == 200
    assert "This word is already on the list." in response.content.decode()


def test_hostile_text_is_inert_in_the_queue_and_change_page(mod_client):
    reaction = FanReactionFactory(
        display_name="<script>alert(1)</script>",
        message='<img src=x onerror="alert(2)">',
    )
    reaction.flags.create(code="banned_word", reason='"><script>alert(3)</script>')
    for path in (CHANGELIST, change_url(reaction)):
        html = mod_client.get(path).content.decode()
        assert "<script>alert(" not in html
        assert "<img src=x" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
