"""Site-wide views: the home page and the probes load balancers use."""

from django.contrib import admin
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from articles.models import Article, Section
from core.pagination import CappedPaginator
from core.querystring import page_number
from discography.models import Release

HOME_LATEST_COUNT = 12
HOME_RELEASES_COUNT = 6


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Front page: the latest featured story on top, then the latest news, paginated."""
    published = Article.objects.published().for_listing()
    number = page_number(request.GET.get("page"))
    lead = published.filter(is_featured=True).first() or published.first()
    latest = published.exclude(pk=lead.pk) if lead else published
    page = CappedPaginator(latest, HOME_LATEST_COUNT).get_page(number)
    releases = Release.objects.newest_first().for_listing()[:HOME_RELEASES_COUNT]
    return render(
        request,
        "newsroom/home.html",
        {
            "lead": lead if page.number == 1 else None,
            "latest": page.object_list,
            "page_obj": page,
            "releases": releases,
            "sections": Section.objects.all(),
        },
    )


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches nothing else on purpose."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # Drop the broken connection so the next probe reconnects when the database
        # is back, instead of reusing a dead socket.
        connection.close_if_unusable_or_obsolete()
        return JsonResponse(
            {"status": "unavailable", "database": "unreachable"}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    """A refusal inside the admin keeps the admin's frame, says why, links back."""
    admin_root = reverse("admin:index")
    user = getattr(request, "user", None)
    if not (request.path.startswith(admin_root) and user and user.is_staff):
        return defaults.permission_denied(request, exception)
    reason = str(exception or "").strip()
    back = request.headers.get("Referer", "")
    if not back.startswith(request.build_absolute_uri(admin_root)):
        back = admin_root
    context = {
        **admin.site.each_context(request),
        "title": "You may not do this",
        "reason": reason,
        "back_url": back,
    }
    response = TemplateResponse(request, "admin/403.html", context, status=403)
    return response.render()
