"""Posts pasted alone in a paragraph of a story become embeds: linked on save, cards on render.

The convention is WordPress's: a post URL on its own line. Saving a story finds those
paragraphs, creates or reuses one ``SocialPost`` per post and links it to the story
(``sync_social_posts``, run by a post_save receiver). Rendering sanitizes the body and
swaps each such paragraph for a card built from the story's prefetched posts, so a
story page costs one query for all its cards and loads nothing from the networks.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, SocialPost
from articles.oembed import fetch_social_post_details
from articles.social_urls import PostRef, handle_in_url, parse_post_url
from core.sanitize import clean_html

__all__ = [
    "find_post_refs",
    "prefetch_social_posts",
    "render_body_with_embeds",
    "sync_social_posts",
]

logger = logging.getLogger(__name__)

# Matched against nh3's normalised output: bare <p>, double-quoted attributes, and
# entities such as &amp; and &nbsp; escaped. Editors' trailing <br> counts as blank.
_BLANK = r"(?:\s|&nbsp;|<br\s*/?>)*"
_URL = r"https?://[^\s<>\"]+"
LONE_URL_PARAGRAPH = re.compile(
    r"<p>" + _BLANK + r"(?:(?P<bare>" + _URL + r")"
    r"|<a\s[^>]*?\bhref=\"(?P<href>[^\"]+)\"[^>]*>"
    + _BLANK
    + r"(?P<text>"
    + _URL
    + r")"
    + _BLANK
    + r"</a>)"
    + _BLANK
    + r"</p>",
    re.IGNORECASE,
)


def _ref_of(match: re.Match[str]) -> PostRef | None:
    """The post a lone-URL paragraph names; a link must show the URL it points to."""
    if match["bare"]:
        return parse_post_url(html.unescape(match["bare"]))
    ref = parse_post_url(html.unescape(match["href"]))
    if ref is None or parse_post_url(html.unescape(match["text"])) != ref:
        return None  # "<a href=post>some other post</a>" is an ordinary link
    return ref


def find_post_refs(body: str | None) -> list[PostRef]:
    """Each post pasted alone in a paragraph of ``body``, once, in reading order."""
    refs: dict[tuple[str, str], PostRef] = {}
    for match in LONE_URL_PARAGRAPH.finditer(clean_html(body)):
        ref = _ref_of(match)
        if ref is not None:
            refs.setdefault((ref.platform, ref.post_id), ref)
    return list(refs.values())


@transaction.atomic
def sync_social_posts(article: Article) -> list[SocialPost]:
    """Link a story to exactly the posts its body embeds, creating missing records."""
    refs = find_post_refs(article.body)
    wanted = Q(pk__in=[])
    for ref in refs:
        wanted |= Q(platform=ref.platform, post_id=ref.post_id)
    existing = {(p.platform, p.post_id): p for p in SocialPost.objects.filter(wanted)}
    posts, created = [], []
    for ref in refs:
        post = existing.get((ref.platform, ref.post_id))
        if post is None:
            draft = SocialPost(platform=ref.platform, post_id=ref.post_id)
            post, is_new = SocialPost.objects.get_or_create(
                platform=ref.platform,
                post_id=ref.post_id,
                defaults={
                    "url": ref.canonical_url,
                    "posted_at": draft.posted_at_from_id(),
                    "author_handle": handle_in_url(ref.canonical_url),
                },
            )
            if is_new:
                created.append(post.pk)
        posts.append(post)
    article.social_posts.set(posts)
    if created and settings.EMBEDS_OEMBED_ENABLED:
        # After commit, so a slow network never holds the story's transaction open.
        transaction.on_commit(partial(fetch_new_posts, created), robust=True)
    return posts


def fetch_new_posts(post_ids: Iterable[int]) -> None:
    """Enqueue an oEmbed fetch (a retrying task) per new post; failures stay on them.

    Called after the commit: a worker then finds the posts, and inline (no worker)
    the network is never asked while the story's transaction is open.
    """
    for post_id in post_ids:
        try:
            fetch_social_post_details.enqueue(post_id)
        except Exception:  # never let a details fetch break the request that saved
            logger.exception("could not enqueue the oEmbed fetch of post %s", post_id)


@receiver(post_save, sender=Article, dispatch_uid="articles.embeds.sync_on_save")
def sync_on_save(sender, instance: Article, raw: bool = False, **kwargs) -> None:
    """Saving a story (admin, services, load_demo) keeps its embeds in step."""
    update_fields = kwargs.get("update_fields")
    if raw or (update_fields is not None and "body" not in update_fields):
        return
    sync_social_posts(instance)


def prefetch_social_posts() -> Prefetch:
    """Use in a story page's queryset: ``.prefetch_related(prefetch_social_posts())``."""
    return Prefetch("social_posts", queryset=SocialPost.objects.for_cards())


def render_card(post: SocialPost) -> str:
    """One card's HTML; every field is escaped by the template."""
    return render_to_string("articles/_embed_card.html", {"post": post})


def render_body_with_embeds(
    body: str | None, posts: Iterable[SocialPost] = ()
) -> SafeString:
    """The sanitized body with each lone post-URL paragraph turned into its card."""
    known = {(post.platform, post.post_id): post for post in posts}

    def card(match: re.Match[str]) -> str:
        ref = _ref_of(match)
        if ref is None:
            return match[0]
        post = known.get((ref.platform, ref.post_id))
        if post is None:  # saved before this feature, or not synced yet
            post = SocialPost.from_url_alone(ref)
        return render_card(post)

    cleaned = clean_html(body)
    return mark_safe(LONE_URL_PARAGRAPH.sub(card, cleaned))  # noqa: S308 - nh3 + escaped cards
