"""The read beacon: one small same-origin POST per story view (static/js/site.js)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from articles.reads import is_countable, record_read

# The largest id a story row can have (a signed 64-bit column).
_LARGEST_PK = 2**63 - 1


# No CSRF token: the beacon changes nothing a reader owns, carries no cookie of
# ours for readers, and is_countable() refuses anything not sent from our own pages.
@csrf_exempt
@never_cache
@require_POST
def count_read(request: HttpRequest) -> HttpResponse:
    """Always 204: a reader's browser learns nothing from the answer."""
    raw = request.POST.get("story", "")
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= _LARGEST_PK:
        if is_countable(request):
            record_read(request=request, story_id=int(raw))
    return HttpResponse(status=204)
