"""The desk on the admin index: what needs this person's attention right now.

Each role gets its own panels (a person in several groups gets each role's), and a
panel only shows when it has something in it. Every list is a bounded query with
its bylines and notes prefetched, so the page costs the same however busy the day.
"""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from articles import moderation, reports
from articles.models import Article, Byline, FanReaction, Transition

register = template.Library()
DESK_LIMIT = 10
RECENTLY_PUBLISHED_DAYS = 14
Status = Article.Status


def _stories(user):
    return (
        Article.objects.visible_to(user)
        .select_related("section")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )
    )


def _panel(title: str, queryset, *, note: str, link: str = "", alert=False) -> dict:
    stories = list(queryset[: DESK_LIMIT + 1])
    return {
        "title": title,
        "stories": stories[:DESK_LIMIT],
        "has_more": len(stories) > DESK_LIMIT,
        "note": note,
        "link": link,
        "is_alert": alert,
    }


def writer_panels(user, now) -> list[dict]:
    """My drafts, sent back to me, mine in review, mine recently published."""
    mine = _stories(user).filter(
        Q(created_by=user)
        | Exists(Byline.objects.filter(article=OuterRef("pk"), author__user=user))
    )
    return [
        _panel(
            "Sent back to you",
            mine.filter(status=Status.CHANGES_REQUESTED)
            .prefetch_related(
                Prefetch(
                    "transitions",
                    queryset=Transition.objects.filter(
                        to_status=Status.CHANGES_REQUESTED
                    ).select_related("by"),
                    to_attr="latest_notes",
                )
            )
            .order_by("-updated_at"),
            note="sent_back",
            link="?state=changes&mine=1",
            alert=True,
        ),
        _panel(
            "Your drafts",
            mine.filter(status=Status.DRAFT).order_by("-updated_at"),
            note="changed",
            link="?state=draft&mine=1",
        ),
        _panel(
            "Yours in review",
            mine.filter(status=Status.REVIEW).order_by("updated_at"),
            note="waiting",
            link="?state=review&mine=1",
        ),
        _panel(
            "Yours, recently published",
            mine.published()
            .filter(published_at__gte=now - timedelta(days=RECENTLY_PUBLISHED_DAYS))
            .order_by("-published_at"),
            note="published",
            link="?state=live&mine=1",
        ),
    ]


def editor_panels(user, now) -> list[dict]:
    """In review oldest first with the writer's note, due in 24 h, published today."""
    stories = _stories(user)
    start_of_day = timezone.localtime(now).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return [
        _panel(
            "In review, oldest first",
            stories.filter(status=Status.REVIEW)
            .prefetch_related(
                Prefetch(
                    "transitions",
                    queryset=Transition.objects.filter(
                        to_status=Status.REVIEW
                    ).select_related("by"),
                    to_attr="latest_notes",
                )
            )
            .order_by("updated_at"),
            note="review",
            link="?state=review",
        ),
        _panel(
            "Scheduled, next 24 hours",
            stories.filter(
                status=Status.PUBLISHED,
                published_at__gt=now,
                published_at__lte=now + timedelta(hours=24),
            ).order_by("published_at"),
            note="due",
            link="?state=scheduled",
        ),
        _panel(
            "Published today",
            stories.published()
            .filter(published_at__gte=start_of_day)
            .order_by("-published_at"),
            note="published",
            link="?state=live",
        ),
    ]


@register.simple_tag(takes_context=True)
def staff_desk(context) -> dict:
    """The panels for the signed-in person, by role, with only non-empty ones."""
    user = context["request"].user
    now = timezone.now()
    is_editor = user.has_perm("articles.review_article")
    is_writer = user.has_perm("articles.add_article") and not is_editor
    is_moderator = user.has_perm(moderation.MODERATE_PERMISSION)
    panels: list[dict] = []
    if is_writer or is_editor:
        panels += writer_panels(user, now) if is_writer else []
        panels += editor_panels(user, now) if is_editor else []
    counts = {}
    if is_moderator or is_editor:
        counts = FanReaction.objects.aggregate(
            pending=_count(FanReaction.Status.PENDING),
            spam=_count(FanReaction.Status.SPAM),
        )
    if is_moderator:
        counts.update(reports.report_counts())
    if is_editor:
        title = "Editors’ desk"
    elif is_writer:
        title = "Your desk"
    else:
        title = "Moderation desk"
    return {
        "title": title,
        "panels": [panel for panel in panels if panel["stories"]],
        "reactions": counts,
        "is_editor": is_editor,
        "is_moderator": is_moderator,
        "can_write": user.has_perm("articles.add_article"),
    }


def _count(status: str) -> Count:
    return Count("pk", filter=Q(status=status))


@register.inclusion_tag(
    "admin/articles/article/_workflow_notes.html", takes_context=True
)
def story_workflow_notes(context, article) -> dict:
    """At the top of a story: the writer's latest submission note (for the editor
    reviewing it) and, for the writer, the way back out of review."""
    user = context["request"].user
    in_review = article.status == Status.REVIEW
    submission = (
        article.transitions.filter(to_status=Status.REVIEW).select_related("by").first()
        if in_review
        else None
    )
    may_withdraw = in_review and (
        article.created_by_id == user.pk or user.has_perm("articles.edit_any_article")
    )
    return {"article": article, "submission": submission, "may_withdraw": may_withdraw}
