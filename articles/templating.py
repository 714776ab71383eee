"""What the reader pages' templates call for stories (plain functions).

``newsroom/jinja.py`` registers them into the Jinja2 environment: the story body with
its embedded posts, the reactions under a story, an artist's latest stories and a
story's structured data. No Django template loads them.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from articles.embeds import render_body_with_embeds
from articles.figures import render_figures
from articles.models import Article, FanReaction, ReactionReport, ReactionSettings
from articles.reaction_forms import ReactionForm
from core.querystring import page_number

PAGE_PARAMETER = "reactions"
_URL_RE = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}’”\"'"


def reactions_block(request: HttpRequest | None, article) -> dict:
    """Approved reactions and the form under a story (``articles/_reactions.html``);
    identical for every reader, so the page caches."""
    per_page = int(getattr(settings, "REACTIONS_PER_PAGE", 20))
    number = page_number(request.GET.get(PAGE_PARAMETER) if request else None)
    page_obj = reactions_page(article, per_page, number)
    return {
        "article": article,
        "page_obj": page_obj,
        "reactions": page_obj.object_list,
        "count": page_obj.paginator.count,
        "page_parameter": PAGE_PARAMETER,
        "report_reasons": ReactionReport.Reason.choices,
        "takes_reactions": ReactionSettings.current().takes_reactions(article),
        "form_html": reaction_form_html(
            article.slug,
            is_sent=bool(request and request.GET.get("reaction") == "sent"),
        ),
    }


# The form under a story is the same for every reader (no token, no values, no
# errors), so each process renders it once; only the story's address differs.
_SLUG_PLACEHOLDER = "reaction-form-story-slug"
_FORM_HTML: dict[bool, tuple[str, str]] = {}


def reaction_form_html(slug: str, *, is_sent: bool) -> SafeString:
    """The empty reaction form for one story, rendered once per process and reused."""
    if is_sent not in _FORM_HTML:
        placeholder = SimpleNamespace(slug=_SLUG_PLACEHOLDER)
        html = render_to_string(
            "articles/_reactions_form.html",
            {"article": placeholder, "form": ReactionForm(), "is_sent": is_sent},
        )
        action = escape(_action_url(_SLUG_PLACEHOLDER))
        _FORM_HTML[is_sent] = (html, action)
    html, action = _FORM_HTML[is_sent]
    return mark_safe(html.replace(action, escape(_action_url(slug))))  # noqa: S308 - rendered by the template, escaped


def _action_url(slug: str) -> str:
    return reverse("articles:submit_reaction", kwargs={"slug": slug})


def reactions_page(article, per_page: int, number: int) -> Page:
    """One page and the total in a single query, as get_page would; ``number`` comes
    from :func:`core.querystring.page_number`, so it is a sane page number."""
    rows = FanReaction.objects.page_for_story(
        article.pk, limit=per_page, offset=(number - 1) * per_page
    )
    if not rows and number > 1:
        # Past the last page: fall back to the paginator's own answer (the last page).
        reactions = FanReaction.objects.filter(article=article).for_story_page()
        return Paginator(reactions, per_page).get_page(number)
    # The page's rows and the total are known: the paginator only does arithmetic.
    paginator = Paginator((), per_page)
    paginator.count = rows[0].total_count if rows else 0  # cached_property, preset
    return Page(rows, number, paginator)


def reaction_text(text: str) -> SafeString:
    """A reader's plain text made inert, with web links marked as user content."""
    parts = []
    position = 0
    for match in _URL_RE.finditer(text or ""):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        parts.append(escape(text[position : match.start()]))
        parts.append(
            format_html(
                '<a href="{}" rel="nofollow ugc">{}</a>',
                url,
                url if len(url) <= 60 else url[:57] + "…",
            )
        )
        position = end
    parts.append(escape((text or "")[position:]))
    html = "".join(parts).replace("\n", "<br>")
    return mark_safe(html)  # noqa: S308 - every piece was escaped above


def with_embeds(body: str | None, article=None) -> SafeString:
    """Sanitized body with post cards (from the story's fetched posts), library
    pictures, galleries and related-story cards (articles.figures)."""
    # A story never saved (the editor's live preview) may carry its posts too.
    carried = article is not None and (
        article.pk is not None or "social_post_list" in vars(article)
    )
    posts = article.social_post_list if carried else ()
    html = render_figures(
        render_body_with_embeds(body, posts),
        hero_shown=bool(getattr(article, "hero_renditions", None)),
    )
    return mark_safe(html)  # noqa: S308 - nh3-cleaned body, escaped templates


ARTIST_NEWS_COUNT = 6


def artist_news(artist, count: int = ARTIST_NEWS_COUNT) -> dict:
    """The artist's latest published stories in one query, whatever the count.

    A profile lists headlines, not bylines, which keeps the artist page in budget.
    """
    stories = (
        Article.objects.published()
        .about_artist(artist)
        .select_related("section")
        .order_by("-published_at", "-pk")
    )
    return {"artist": artist, "stories": list(stories[:count]), "hide_byline": True}


RELEASE_NEWS_COUNT = 6


def release_news(release, count: int = RELEASE_NEWS_COUNT) -> dict:
    """The newest published stories about a release (one query), for its page: the
    discography app shows them without knowing about stories."""
    stories = (
        Article.objects.published()
        .for_listing()
        .filter(releases=release)
        .order_by("-published_at", "-pk")
    )
    return {"release": release, "stories": list(stories[:count]), "hide_byline": True}
