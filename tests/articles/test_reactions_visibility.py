"""What readers see under a story: approved reactions only, inert, featured first."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import FanReaction
from articles.templating import reaction_text
from tests.articles.reaction_factories import FanReactionFactory, StoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return StoryFactory(slug="v-supports-iu")


def page(client, story, query: str = "") -> str:
    response = client.get(story.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
def test_unapproved_reactions_never_show(client, story, status):
    FanReactionFactory(article=story, status=status, message="Hidden words here")
    html = page(client, story)
    assert "Hidden words here" not in html
    assert "0 reactions" in html


def test_approved_reaction_shows_with_count_and_emoji(client, story):
    FanReactionFactory(
        article=story,
        approved=True,
        display_name="Bora",
        message="So proud",
        emoji="fire",
    )
    html = page(client, story)
    assert "So proud" in html and "Bora" in html and "🔥" in html
    assert "1 reaction<" in html


def test_reactions_of_other_stories_stay_there(client, story):
    FanReactionFactory(approved=True, message="Elsewhere entirely")
    assert "Elsewhere entirely" not in page(client, story)


def test_featured_reactions_come_first(client, story):
    now = timezone.now()
    FanReactionFactory(
        article=story, approved=True, message="Newest plain", created_at=now
    )
    FanReactionFactory(
        article=story,
        approved=True,
        is_featured=True,
        message="Older featured",
        created_at=now - datetime.timedelta(days=1),
    )
    html = page(client, story)
    assert html.index("Older featured") < html.index("Newest plain")
    assert "reaction--featured" in html


def test_reactions_are_paginated_by_query_parameter(client, story, settings):
    settings.REACTIONS_PER_PAGE = 2
    start = timezone.now()
    for n in range(5):
        FanReactionFactory(
            article=story,
            approved=True,
            message=f"Message {n}",
            created_at=start - datetime.timedelta(minutes=n),
        )
    first = page(client, story)
    assert "Message 0" in first and "Message 2" not in first
    assert "5 reactions" in first
    assert 'href="?reactions=2#reactions"' in first
    second = page(client, story, "?reactions=2")
    assert "Message 2" in second and "Message 0" not in second
    assert "Page 2 of 3" in second
    assert "Message 4" in page(client, story, "?reactions=99")  # out of range: last


def test_block_is_kept_out_of_search_snippets(client, story):
    assert 'id="reactions" aria-labelledby="reactions-title" data-nosnippet' in page(
        client, story
    )


def test_links_in_reactions_are_marked_user_generated(client, story):
    FanReactionFactory(
        article=story, approved=True, message="Watch https://example.com/mv, so good"
    )
    html = page(client, story)
    assert '<a href="https://example.com/mv" rel="nofollow ugc">' in html


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_name_and_message_render_inert(client, story):
    FanReactionFactory(
        article=story,
        approved=True,
        display_name='<b onmouseover="x()">Evil</b>',
        message=HOSTILE + ' javascript:alert(1) https://ok.test/"><script>',
    )
    html = page(client, story)
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<b onmouseover" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html
    assert '<a href="https://ok.test/" rel="nofollow ugc">' in html


def test_reaction_text_keeps_line_breaks_and_hangul():
    html = reaction_text("첫 줄\n둘째 줄 <3")
    assert html == "첫 줄<br>둘째 줄 &lt;3"


def test_story_page_query_count_does_not_grow_with_reactions(
    client, story, django_assert_max_num_queries
):
    FanReactionFactory.create_batch(2, article=story, approved=True)
    client.get(story.get_absolute_url())  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(story.get_absolute_url())
    FanReactionFactory.create_batch(30, article=story, approved=True, emoji="clap")
    FanReactionFactory.create_batch(5, article=story, status=FanReaction.Status.PENDING)
    # The reactions block costs a count and one page, however many reactions exist;
    # the whole story page's budget is asserted in test_views.
    with django_assert_max_num_queries(len(few)):
        client.get(story.get_absolute_url())


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_reaction_text_never_lets_markup_through(text):
    html = str(reaction_text(text))
    without_ours = re.sub(
        r'<a href="https?://[^"<>]*" rel="nofollow ugc">|</a>|<br>', "", html
    )
    assert "<" not in without_ours and ">" not in without_ours
    assert '"' not in without_ours


def test_one_page_statement_matches_the_querysets_order_and_total(story):
    other = StoryFactory(slug="another-story")
    start = timezone.now()
    for n in range(7):
        FanReactionFactory(
            article=story,
            approved=n != 3,
            is_featured=n in (2, 5),
            created_at=start - datetime.timedelta(minutes=n % 4),
        )
    FanReactionFactory(article=other, approved=True)
    expected = list(
        FanReaction.objects.filter(article=story)
        .for_story_page()
        .values_list("pk", flat=True)
    )
    for offset in (0, 3):
        rows = FanReaction.objects.page_for_story(story.pk, limit=3, offset=offset)
        assert [r.pk for r in rows] == expected[offset : offset + 3]
        assert {r.total_count for r in rows} == {6}
    assert FanReaction.objects.page_for_story(story.pk, limit=3, offset=6) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="reads PostgreSQL's plan: needs it"
)
def test_a_viral_storys_page_reads_one_page_of_rows_not_every_reaction(story):
    """The total comes from the index alone; the page stops after ``limit`` rows."""
    FanReaction.objects.bulk_create(
        FanReaction(
            article=story,
            display_name=f"fan {n}",
            message=f"reaction {n}",
            status=FanReaction.Status.APPROVED,
            fingerprint=f"{n:064x}",
            message_digest=f"{n:064x}",
        )
        for n in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_fanreaction")  # as autovacuum would
    with CaptureQueriesContext(connection) as captured:
        rows = FanReaction.objects.page_for_story(story.pk, limit=20, offset=0)
    assert len(rows) == 20 and rows[0].total_count == 3000
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + captured[0]["sql"])
        plan = cursor.fetchone()[0]
    assert "WindowAgg" not in str(plan)

    def nodes(node, *, in_count=False):
        in_count = in_count or node.get("Parent Relationship") in (
            "InitPlan",
            "SubPlan",
        )
        yield node, in_count
        for child in node.get("Plans", []):
            yield from nodes(child, in_count=in_count)

    reads = [
        (node["Actual Rows"], in_count)
        for node, in_count in nodes(plan[0]["Plan"])
        if node.get("Relation Name") == "articles_fanreaction"
    ]
    assert any(in_count for _, in_count in reads)  # the total, counted on its own
    assert all(rows <= 25 for rows, in_count in reads if not in_count)
