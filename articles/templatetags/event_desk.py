"""``{% load event_desk %}{% event_notices %}``: the desk's panel of stories that
moved with their calendar events (articles.event_stories)."""

from __future__ import annotations

from django import template

from articles.event_stories import desk_notices

register = template.Library()


@register.inclusion_tag("admin/_desk_event_notices.html", takes_context=True)
def event_notices(context: template.Context) -> dict:
    """Recent notices, for the people who decide on schedules (editors)."""
    user = context["request"].user
    if not user.has_perm("articles.publish_article"):
        return {"notices": None}
    return {"notices": desk_notices()}
