"""The read beacon: one small same-origin POST per story view (static/js/site.js)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.reads import count_beacon


# No CSRF token: the beacon changes nothing a reader owns, carries no cookie of
# ours for readers, and is_countable() refuses anything not sent from our own pages.
@csrf_exempt
@never_cache
@require_POST
def count_read(request: HttpRequest) -> HttpResponse:
    """Always 204: a reader's browser learns nothing from the answer."""
    count_beacon(request, request.POST.get("story", ""))
    return HttpResponse(status=204)
