"""Reads per story for editors: a column in the story list and a chart on the story.

A mixin, so the story admin takes it with one line: the list gains a sortable "reads"
column (``articles.reads.with_read_counts``, in the list's own query) and a published
story's page gains a "Reads" section drawn by ``admin/articles/_story_reads.html``
(per hour for the first two days, per day after), also served on its own by
``articles.views.reads_admin``.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from articles.models import Article
from articles.reads import chart_context, with_read_counts


class ReadsAdminMixin:
    def get_queryset(self, request: HttpRequest):
        return with_read_counts(super().get_queryset(request))

    def get_list_display(self, request: HttpRequest):
        return [*super().get_list_display(request), "reads"]

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and obj.published_at:
            fieldsets.append(("Reads", {"fields": ["reads_chart"]}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return [*super().get_readonly_fields(request, obj), "reads_chart"]

    @admin.display(description="reads", ordering="total_reads")
    def reads(self, article: Article) -> int:
        return getattr(article, "total_reads", 0)

    @admin.display(description="reads over time")
    def reads_chart(self, article: Article) -> SafeString:
        return render_to_string(
            "admin/articles/_story_reads.html", chart_context(article)
        )
