"""The editors' desk on the admin index: what needs attention right now."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.db.models import Prefetch
from django.utils import timezone

from articles.models import Article, Byline

register = template.Library()
DESK_LIMIT = 10


@register.simple_tag(takes_context=True)
def editors_desk(context) -> dict:
    """Stories in review, due in the next 24 hours, and the user's sent-back drafts."""
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"can_view_articles": False}  # moderators: only the reactions panel
    now = timezone.now()
    # Writers see their own stories here, editors all (ArticleQuerySet.visible_to).
    base = (
        Article.objects.visible_to(user)
        .select_related("section")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )
    )
    in_review = base.filter(status=Article.Status.REVIEW).order_by("updated_at")
    due = base.filter(
        status=Article.Status.PUBLISHED,
        published_at__gt=now,
        published_at__lte=now + timedelta(hours=24),
    ).order_by("published_at")
    sent_back = base.filter(
        status=Article.Status.CHANGES_REQUESTED, created_by=user
    ).order_by("-updated_at")
    return {
        "in_review": list(in_review[:DESK_LIMIT]),
        "in_review_count": in_review.count(),
        "due": list(due[:DESK_LIMIT]),
        "sent_back": list(sent_back[:DESK_LIMIT]),
        "can_publish": user.has_perm("articles.publish_article"),
        "can_view_articles": True,
    }
