"""``{% load reactions %}{% reaction_desk %}``: pending reactions on the admin index."""

from __future__ import annotations

from django import template

from articles.moderation import pending_counts

register = template.Library()


@register.inclusion_tag("articles/_reactions_desk.html", takes_context=True)
def reaction_desk(context: template.Context) -> dict:
    """Pending counts for the admin index, shown to those who may see reactions."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if not (user and user.has_perm("articles.view_fanreaction")):
        return {"is_visible": False}
    return {"is_visible": True, **pending_counts()}
