"""The reads chart of one story on a page of its own, for the desk (staff only)."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from articles.models import Article
from articles.reads import chart_context


@never_cache
@staff_member_required
def story_reads(request: HttpRequest, pk: int) -> HttpResponse:
    """Only stories the user may see (``visible_to``); anyone else's is a 404."""
    article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
    return render(
        request,
        "admin/articles/story_reads.html",
        {**chart_context(article), "title": f"Reads: {article.headline}"},
    )
