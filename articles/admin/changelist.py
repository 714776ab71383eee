"""The story list and the workflow steps around the story form (not the form itself).

Kept apart from ``article.py`` (the story form): status tabs with counts, the "mine"
filter, the time that matters for each status, the list's order, the editors'
reaction switches, a writer's withdrawal, and the dry run that makes a refused
workflow button save nothing. Every change goes through ``articles.services``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from articles import services
from articles.models import Article, Byline

Status = Article.Status

# (label, query string, the count's key): the tabs above the story list.
STATUS_TABS = [
    ("Mine", "mine=1", "mine"),
    ("Drafts", "state=draft", "draft"),
    ("In review", "state=review", "review"),
    ("Scheduled", "state=scheduled", "scheduled"),
    ("Published", "state=live", "live"),
    ("Archived", "state=archived", "archived"),
]


def mine(user) -> Q:
    """Stories the user started or carries a byline on."""
    return Q(created_by=user) | Exists(
        Byline.objects.filter(article=OuterRef("pk"), author__user=user)
    )


def tab_counts(queryset, user) -> dict[str, int]:
    """Every tab's count in one query over the stories the user may see."""
    now = timezone.now()
    published = Q(status=Status.PUBLISHED, published_at__isnull=False)
    return queryset.aggregate(
        mine=Count("pk", filter=mine(user)),
        draft=Count("pk", filter=Q(status=Status.DRAFT)),
        review=Count("pk", filter=Q(status=Status.REVIEW)),
        scheduled=Count("pk", filter=published & Q(published_at__gt=now)),
        live=Count("pk", filter=published & Q(published_at__lte=now)),
        archived=Count("pk", filter=Q(status=Status.ARCHIVED)),
    )


class MineFilter(admin.SimpleListFilter):
    title = "whose"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "Mine")]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(mine(request.user))
        return queryset


# The workflow buttons the story form posts (see article.WORKFLOW_BUTTONS).
_DRY_RUN_STEPS = {
    "_submit_for_review": services.submit_for_review,
    "_request_changes": services.request_changes,
    "_archive": services.archive_article,
}


class _DryRunDone(Exception):
    """Raised inside the dry run's transaction so that nothing it did is kept."""


def workflow_refusal(request: HttpRequest, article: Article | None) -> str:
    """Why the pressed workflow button would be refused, or "": a dry run of the
    very service the button calls, rolled back either way, so the rules live in
    one place and a refused step leaves the story as it was (nothing saved)."""
    step = next((key for key in _DRY_RUN_STEPS if key in request.POST), None)
    if step is None or article is None or article.pk is None:
        return ""
    note = request.POST.get("workflow_note", "")
    try:
        with transaction.atomic():
            fresh = Article.objects.get(pk=article.pk)
            _DRY_RUN_STEPS[step](article=fresh, by=request.user, note=note)
            raise _DryRunDone
    except _DryRunDone:
        return ""
    except PermissionDenied as error:
        return str(error) or "Not allowed."
    except ValidationError as error:
        return " ".join(error.messages)


def checked_workflow_form(form_class: type[forms.ModelForm], request: HttpRequest):
    """The story form, refusing to validate when the pressed step would be refused."""

    class WorkflowCheckedForm(form_class):
        def clean(self):
            data = super().clean()
            refusal = workflow_refusal(request, self.instance)
            if refusal:
                raise ValidationError(f"Nothing was saved: {refusal}")
            return data

    WorkflowCheckedForm.__name__ = form_class.__name__
    return WorkflowCheckedForm


class StoryListMixin:
    """ArticleAdmin's list: tabs, the time that matters, order, list actions."""

    # Tabs above the list; no "recover deleted" link (restores are audited).
    change_list_template = "admin/articles/article/change_list.html"

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return checked_workflow_form(form, request)

    def get_list_filter(self, request: HttpRequest):
        # "Mine" right after the status filter.
        filters = list(super().get_list_filter(request))
        return [*filters[:1], MineFilter, *filters[1:]]

    def get_ordering(self, request: HttpRequest):
        # Unpublished stories (no publication time) first, by their last change;
        # then the published, newest first.
        return [F("published_at").desc(nulls_first=True), "-updated_at", "-pk"]

    def changelist_view(self, request: HttpRequest, extra_context=None):
        counts = tab_counts(self.get_queryset(request), request.user)
        current = request.GET.urlencode()
        tabs = [
            {
                "label": label,
                "query": query,
                "count": counts[key],
                "is_current": current == query,
            }
            for label, query, key in STATUS_TABS
        ]
        extra_context = {**(extra_context or {}), "status_tabs": tabs}
        return super().changelist_view(request, extra_context)

    @admin.display(description="when")
    def relevant_time(self, obj: Article) -> str:
        """The time that matters for the story's status."""
        if obj.is_scheduled:
            label, at = "goes live", obj.published_at
        elif obj.status == Status.PUBLISHED and obj.published_at:
            label, at = "published", obj.published_at
        elif obj.status == Status.REVIEW:
            label, at = "in review since", obj.updated_at
        else:
            label, at = "changed", obj.updated_at
        local = timezone.localtime(at)
        shown = naturaltime(at) if label in ("changed", "in review since") else None
        return format_html(
            '<span class="desk-when">{} <time datetime="{}" title="{}">{}</time></span>',
            label,
            at.isoformat(),
            local.strftime("%Y-%m-%d %H:%M"),
            shown or local.strftime("%d %b %H:%M"),
        )

    # --- the editors' reaction switches ----------------------------------------------

    @admin.action(description="Close reactions on selected stories")
    def close_reactions(self, request: HttpRequest, queryset) -> None:
        self._set_reactions(request, queryset, closed=True)

    @admin.action(description="Reopen reactions on selected stories")
    def reopen_reactions(self, request: HttpRequest, queryset) -> None:
        self._set_reactions(request, queryset, closed=False)

    def _set_reactions(self, request: HttpRequest, queryset, *, closed: bool) -> None:
        done = 0
        try:
            for article in queryset:
                services.set_reactions_closed(
                    article=article, by=request.user, closed=closed
                )
                done += 1
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        verb = "Closed" if closed else "Reopened"
        self.message_user(
            request, f"{verb} reactions on {done} stories.", messages.SUCCESS
        )

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        if not request.user.has_perm(services.REVIEW_PERMISSION):
            actions.pop("close_reactions", None)
            actions.pop("reopen_reactions", None)
        return actions

    # --- the writer's withdrawal -------------------------------------------------------

    def get_urls(self):
        withdraw = self.admin_site.admin_view(self.withdraw_view)
        return [
            path("<int:pk>/withdraw/", withdraw, name="articles_article_withdraw"),
            *super().get_urls(),
        ]

    def withdraw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        change_url = reverse("admin:articles_article_change", args=[pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        try:
            services.withdraw_from_review(article=article, by=request.user)
        except (PermissionDenied, ValidationError) as error:
            message = " ".join(getattr(error, "messages", [str(error)]))
            self.message_user(request, message or "Not allowed.", messages.ERROR)
        else:
            self.message_user(
                request,
                "Withdrawn from review: the story is your draft again.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(change_url)
