"""Reader addresses of live coverage: the updates open pages poll, older entries."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from articles import live_updates
from articles.models import Article

# Every reader polls the same address, so a shared cache (a CDN) answers them all;
# one second keeps the delay readers see (a poll every 4 s, plus this, plus the
# rebuild) within the 5 s they are promised.
UPDATES_MAX_AGE = 1
# After coverage ends nothing changes often: cache like any page.
ENDED_MAX_AGE = 300
# Older entries rarely change; an edit or removal there may take this long to show.
OLDER_MAX_AGE = 600


@require_safe
def live_updates_view(request: HttpRequest, slug: str) -> JsonResponse:
    """JSON: entries posted, edited or removed after ``?after=`` (a cursor from a
    previous answer or the page, or an entry id), the next cursor, and whether the
    coverage still runs. Answered from the story's snapshot: no query per poll."""
    after = live_updates.parse_after(request.GET.get("after"))
    data, is_current = live_updates.answer(slug, after)
    if data is None:
        raise Http404("No live coverage at this address.")
    response = JsonResponse(data)
    if not is_current:
        # From a copy a change made stale (its rebuild is due within a second):
        # fine for this reader, never for a shared cache to hand to the others.
        patch_cache_control(response, private=True, max_age=0)
        return response
    seconds = UPDATES_MAX_AGE if data["live"] else ENDED_MAX_AGE
    patch_cache_control(response, public=True, max_age=seconds, s_maxage=seconds)
    return response


def _live_story(slug: str) -> Article:
    story = (
        Article.objects.published()
        .select_related("section")
        .filter(slug=slug, is_live_blog=True)
        .first()
    )
    if story is None:
        raise Http404("No live coverage at this address.")
    return story


@require_safe
def older_entries(request: HttpRequest, slug: str) -> HttpResponse:
    """Entries older than ``?before=<id>``, 20 at a time, as a plain page."""
    story = _live_story(slug)
    before = request.GET.get("before", "")
    if not (before.isascii() and before.isdigit() and len(before) <= 18):
        raise Http404("No such entry.")
    context = live_updates.older_page(story, int(before))
    if not context["anchor_found"]:
        raise Http404("No such entry.")
    response = render(request, "articles/live_older.html", context)
    patch_cache_control(
        response, public=True, max_age=OLDER_MAX_AGE, s_maxage=OLDER_MAX_AGE
    )
    return response
