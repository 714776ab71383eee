"""Readers report an approved reaction: a plain form post, from cached pages too.

The story page (shared by every reader through the page cache) carries no CSRF
token, so the report form posts without one, exactly as the reaction form does
(see ``articles.views.reactions``): the post that fails Django's check is never
stored; the reader gets a small uncached page with the reason kept and a valid
token, and confirms with one click. No account, no script needed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles import moderation, reports
from articles.models import Article, FanReaction, ReactionReport
from articles.views.reactions import _no_store, _passes_csrf


def _page(request, reaction, *, state: str, reason: str = "", status: int = 200):
    response = render(
        request,
        "articles/report_reaction.html",
        {
            "reaction": reaction,
            "article": reaction.article,
            "state": state,
            "reason": reason,
            "reasons": ReactionReport.Reason.choices,
        },
        status=status,
    )
    return _no_store(response)


@csrf_exempt  # checked inside, see the module docstring: a failure asks to confirm
@never_cache
@require_POST
def report_reaction(request: HttpRequest, pk: int) -> HttpResponse:
    """Count one reader's report of an approved reaction on a live story."""
    reaction = get_object_or_404(
        FanReaction.objects.approved().select_related("article"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    reason = request.POST.get("reason", "")
    if reason not in ReactionReport.Reason.values:
        return _page(request, reaction, state="choose", status=400)
    if not _passes_csrf(request):
        return _page(request, reaction, state="confirm", reason=reason)
    rate = moderation.reserve_submission(
        fingerprint=moderation.reader_fingerprint(request),
        address=moderation.client_address(request),
    )
    if not rate.allowed:
        response = _page(request, reaction, state="limited", reason=reason, status=429)
        response["Retry-After"] = str(rate.retry_after)
        return response
    try:
        reports.report_reaction(
            reaction=reaction,
            reason=reason,
            fingerprint=moderation.reader_fingerprint(request),
        )
    except ValidationError:
        return _page(request, reaction, state="choose", status=400)
    return _page(request, reaction, state="thanks", reason=reason)
