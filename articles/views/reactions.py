"""The fan-reaction form's endpoints, built for story pages served from a shared cache.

How CSRF holds without a per-reader token in the story HTML:

* The story page renders the form with no token at all, so one cached copy serves
  every reader.
* With JavaScript, ``static/js/site.js`` fetches a fresh token from
  ``reaction_token`` (never cached: ``Cache-Control: private, no-store``; it also sets
  the CSRF cookie), then posts with ``fetch`` and the ``X-CSRFToken`` header, asking
  for JSON, and shows the answer in an aria-live region without reloading the page.
* Without JavaScript, the form posts without a token. ``submit_reaction`` is exempt
  from the middleware only so that it can run the very same check itself: a post that
  fails it is never processed; the reader gets a small uncached page with their text
  kept in the form, now with a valid token, and confirms with one more click.

Either way a reaction is only stored from a request that passed Django's CSRF check.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from articles import moderation
from articles.models import Article, ReactionSettings
from articles.reaction_forms import ReactionForm

ACCEPTED_MESSAGE = (
    "Thank you! Your reaction awaits moderation and will appear once approved."
)


def _no_store(response: HttpResponse) -> HttpResponse:
    """Nothing here may be cached: the answers carry tokens or a reader's own text."""
    patch_cache_control(response, private=True, no_store=True)
    return response


def _passes_csrf(request: HttpRequest) -> bool:
    """Django's own CSRF check (token, cookie, Origin), run from inside the view."""
    has_token = request.POST.get("csrfmiddlewaretoken") or request.META.get(
        settings.CSRF_HEADER_NAME
    )
    if not has_token:
        # The ordinary first post from a cached page: fails for sure, and is not an
        # attack worth a security-log line each time. Forged tokens still get logged.
        return False
    rejection = CsrfViewMiddleware(lambda request: HttpResponse()).process_view(
        request, None, (), {}
    )
    return rejection is None


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _page(
    request: HttpRequest,
    article: Article,
    form: ReactionForm,
    *,
    status: int,
    is_confirmation: bool = False,
) -> HttpResponse:
    response = render(
        request,
        "articles/_reactions_page.html",
        {"article": article, "form": form, "is_confirmation": is_confirmation},
        status=status,
    )
    return _no_store(response)


@never_cache
@require_safe
def reaction_token(request: HttpRequest) -> HttpResponse:
    """A fresh CSRF token for the script, since cached story pages carry none."""
    response = JsonResponse({"token": get_token(request)})
    return _no_store(response)


@csrf_exempt  # checked inside, see the module docstring: a failure asks to confirm
@never_cache
@require_POST
def submit_reaction(request: HttpRequest, slug: str) -> HttpResponse:
    """Accept a reader's reaction to a published story; it waits for a moderator."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    wants_json = _wants_json(request)
    if not ReactionSettings.current().takes_reactions(article):
        message = "Reactions are closed on this story."
        if wants_json:
            return _no_store(
                JsonResponse({"status": "closed", "message": message}, status=403)
            )
        form = ReactionForm()
        form.add_error(None, message)
        return _page(request, article, form, status=403)

    if not _passes_csrf(request):
        if wants_json:
            return _no_store(
                JsonResponse(
                    {
                        "status": "csrf",
                        "message": "We could not confirm that this came from "
                        "your browser. Please allow cookies for this site and send "
                        "it again.",
                    },
                    status=403,
                )
            )
        # Keep what the reader wrote, in a form that now carries a valid token.
        initial = {
            name: request.POST.get(name, "")
            for name in ("display_name", "message", "emoji")
        }
        form = ReactionForm(initial=initial)
        return _page(request, article, form, status=200, is_confirmation=True)

    form = ReactionForm(request.POST)
    if not form.is_valid():
        if wants_json:
            return _no_store(
                JsonResponse(
                    {
                        "status": "invalid",
                        "message": "Please check the highlighted fields.",
                        "errors": {
                            field: [str(error) for error in errors]
                            for field, errors in form.errors.items()
                        },
                    },
                    status=400,
                )
            )
        return _page(request, article, form, status=400)

    fingerprint = moderation.reader_fingerprint(request)
    # Robots that fill the honeypot are limited too, so they cannot flood the table.
    rate = moderation.reserve_submission(
        fingerprint=fingerprint, address=moderation.client_address(request)
    )
    if not rate.allowed:
        minutes = max(1, round(rate.retry_after / 60))
        message = (
            "You have sent several reactions in a short time. "
            f"Please try again in about {minutes} minute{'s' if minutes > 1 else ''}."
        )
        if wants_json:
            response = JsonResponse(
                {"status": "limited", "message": message}, status=429
            )
        else:
            form.add_error(None, message)
            response = _page(request, article, form, status=429)
        response["Retry-After"] = str(rate.retry_after)
        return _no_store(response)

    moderation.submit_reaction(
        article=article,
        display_name=form.cleaned_data["display_name"],
        message=form.cleaned_data["message"],
        emoji=form.cleaned_data["emoji"],
        fingerprint=fingerprint,
        is_honeypot_filled=form.is_honeypot_filled,
    )
    if wants_json:
        return _no_store(
            JsonResponse(
                {"status": "accepted", "message": ACCEPTED_MESSAGE}, status=201
            )
        )
    response = redirect(article.get_absolute_url() + "?reaction=sent#reactions")
    response.status_code = 303
    return _no_store(response)
