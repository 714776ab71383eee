"""``{% load embeds %}{{ article.body|with_embeds:article }}`` renders a story's body."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from articles.embeds import render_body_with_embeds

register = template.Library()


@register.filter
def with_embeds(body: str | None, article=None) -> SafeString:
    """Sanitized body with post cards, built from the story's (prefetched) posts."""
    posts = article.social_posts.all() if getattr(article, "pk", None) else ()
    return render_body_with_embeds(body, posts)
