"""The fan-reaction form's POST target (filled by the reactions work)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST


@require_POST
def submit_reaction(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404("Fan reactions are not open yet.")
