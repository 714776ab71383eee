"""The newsroom's desk: stories, their workflow buttons, history and suggestions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from js_asset import Media as JsMedia
from reversion.admin import VersionAdmin
from reversion.models import Version

from articles import services
from articles.admin import history
from articles.admin.changelist import StoryListMixin
from articles.admin.editor import StoryEditorMixin
from articles.admin.reads import ReadsAdminMixin
from articles.forms import ArticleAdminForm
from articles.matching import suggest_related
from articles.models import (
    Article,
    ArticleSlugHistory,
    Author,
    Byline,
    Correction,
    Section,
    Source,
    Transition,
)
from articles.models.article import sanitize_body, sees_every_story
from articles.views.article import preview_token
from core.sanitize import SanitizeReportAdminMixin

Status = Article.Status
WORKFLOW_BUTTONS = {
    "_submit_for_review": "submit",
    "_publish": "publish",
    "_request_changes": "request_changes",
    "_archive": "archive",
}


def own_author(user) -> Author:
    """The byline a staff user gets by default; made on their first story."""
    name = user.get_full_name().strip() or user.get_username()
    author, _ = Author.objects.get_or_create(
        user=user, defaults={"display_name": name, "role": "Staff writer"}
    )
    return author


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["display_name", "role", "user", "is_guest"]
    search_fields = ["display_name", "user__username"]
    prepopulated_fields = {"slug": ["display_name"]}
    autocomplete_fields = ["user"]

    @admin.display(boolean=True, description="guest")
    def is_guest(self, obj: Author) -> bool:
        return obj.is_guest


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["author", "position"]


class SourceInline(admin.TabularInline):
    model = Source
    extra = 0
    fields = ["name", "url", "position"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class CorrectionInline(admin.StackedInline):
    model = Correction
    extra = 0
    fields = ["kind", "noted_at", "note"]


class AuthorListFilter(admin.SimpleListFilter):
    title = "author"
    parameter_name = "author"

    def lookups(self, request, model_admin):
        return [(str(a.pk), a.display_name) for a in Author.objects.all()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(bylines__author_id=self.value())
        return queryset


class StatusListFilter(admin.SimpleListFilter):
    """Status, with "scheduled" told apart from "live" (both are published)."""

    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("draft", "Draft"),
            ("changes", "Changes requested"),
            ("review", "In review"),
            ("scheduled", "Scheduled"),
            ("live", "Published (live)"),
            ("archived", "Archived"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "scheduled":
            return queryset.scheduled()
        if value == "live":
            return queryset.published()
        if value in Status.values:
            return queryset.filter(status=value)
        return queryset


@admin.register(Article)
class ArticleAdmin(
    ReadsAdminMixin,
    StoryListMixin,
    StoryEditorMixin,
    SanitizeReportAdminMixin,
    VersionAdmin,
):
    form = ArticleAdminForm
    sanitized_fields = {"body": sanitize_body}
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"
    list_display = [
        "thumbnail",
        "headline",
        "state",
        "byline_names",
        "section",
        "relevant_time",
    ]
    list_display_links = ["thumbnail", "headline"]
    list_filter = [StatusListFilter, "section", AuthorListFilter, "tags", "is_featured"]
    list_select_related = ["section"]
    search_fields = ["headline", "dek"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["artists", "releases", "related_articles", "event"]
    inlines = [BylineInline, SourceInline, CorrectionInline]
    actions = [
        "publish_selected",
        "archive_selected",
        "link_suggestions",
        "close_reactions",
        "reopen_reactions",
    ]
    list_per_page = 50

    # --- rights ------------------------------------------------------------------
    # Which stories a user sees is ArticleQuerySet.visible_to, applied by
    # get_queryset (lists, change/history/delete pages, actions, the story picker)
    # and, for a story fetched elsewhere ("view on site"), by has_view_permission.

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or self._may_see(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.can_edit_article(user=request.user, article=obj)

    def _may_see(self, request: HttpRequest, article: Article) -> bool:
        # Asked several times per page; the answer holds for the request.
        seen = getattr(request, "_newsroom_visible_stories", None)
        if seen is None:
            seen = request._newsroom_visible_stories = {}
        if article.pk not in seen:
            seen[article.pk] = article.is_visible_to(request.user)
        return seen[article.pk]

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and request.user.has_perm(services.EDIT_ANY_PERMISSION)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm(services.PUBLISH_PERMISSION):
            fields.append("is_featured")  # the front page is the editors' call
        return fields

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        if not request.user.has_perm(services.PUBLISH_PERMISSION):
            actions.pop("publish_selected", None)
            actions.pop("archive_selected", None)
        return actions

    def get_queryset(self, request: HttpRequest):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author"))
            )
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "related_articles":
            # Only stories the user may see can be picked (or shown as picked).
            kwargs.setdefault("queryset", Article.objects.visible_to(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def view_on_site(self, obj: Article) -> str:
        if obj.is_live:
            return obj.get_absolute_url()
        return reverse("articles:preview", kwargs={"pk": obj.pk})

    # --- list columns -------------------------------------------------------------

    @admin.display(description="")
    def thumbnail(self, obj: Article) -> str:
        if not obj.hero_image.smallest_url:
            return mark_safe('<span class="desk-thumb desk-thumb--empty"></span>')
        return format_html(
            '<img class="desk-thumb" src="{}" alt="" width="64" height="40" '
            'loading="lazy">',
            obj.hero_image.smallest_url,
        )

    @admin.display(description="status", ordering="status")
    def state(self, obj: Article) -> str:
        label = "Scheduled" if obj.is_scheduled else obj.get_status_display()
        key = "scheduled" if obj.is_scheduled else obj.status
        return format_html(
            '<span class="desk-status desk-status--{}">{}</span>', key, label
        )

    @admin.display(description="byline")
    def byline_names(self, obj: Article) -> str:
        return ", ".join(b.author.display_name for b in obj.bylines.all())

    # --- saving and the workflow buttons -------------------------------------------

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        article = form.instance
        hidden = []
        if change and not sees_every_story(request.user):
            # Related stories an editor picked that this user may not see were not
            # in the form; saving it must not unlink them.
            visible = Article.objects.visible_to(request.user).values("pk")
            hidden = list(
                article.related_articles.exclude(pk__in=visible).values_list(
                    "pk", flat=True
                )
            )
        super().save_related(request, form, formsets, change)
        if hidden:
            article.related_articles.add(*hidden)
        if not article.bylines.exists():
            Byline.objects.create(article=article, author=own_author(request.user))

    def response_add(self, request, obj, post_url_continue=None):
        return self._after_save(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self._after_save(request, obj) or super().response_change(request, obj)

    def _after_save(self, request: HttpRequest, obj: Article) -> HttpResponse | None:
        """Run the workflow button that was pressed, through the services only."""
        if "_link_suggestions" in request.POST:
            found = suggest_related(obj)
            services.link_related(
                article=obj,
                by=request.user,
                artists=found.artists,
                releases=found.releases,
                tracks=found.tracks,
            )
            self.message_user(
                request, "Linked the suggested artists, releases and tracks."
            )
            return HttpResponseRedirect(request.path)
        step = next(
            (WORKFLOW_BUTTONS[k] for k in WORKFLOW_BUTTONS if k in request.POST), None
        )
        if step is None:
            return None
        try:
            # A publication time the form refuses stops the step (never "now").
            form_data = self._workflow_input(request)
            if step == "submit":
                services.submit_for_review(
                    article=obj, by=request.user, note=form_data["note"]
                )
                done = "Submitted for review. The editors have it now."
            elif step == "publish":
                services.approve_and_publish(
                    article=obj,
                    by=request.user,
                    at=form_data["at"],
                    note=form_data["note"],
                )
                done = (
                    f"Scheduled for {obj.published_at:%Y-%m-%d %H:%M %Z}."
                    if obj.is_scheduled
                    else "Published: the story is live."
                )
            elif step == "request_changes":
                services.request_changes(
                    article=obj, by=request.user, note=form_data["note"]
                )
                done = "Sent back to the writer with your note."
            else:
                services.archive_article(
                    article=obj, by=request.user, note=form_data["note"]
                )
                done = "Archived: readers get a 404 now."
        except PermissionDenied as error:
            self.message_user(request, str(error) or "Not allowed.", messages.ERROR)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[obj.pk])
        )

    def _workflow_input(self, request: HttpRequest) -> dict:
        form = ArticleAdminForm(request.POST)
        at_field, note_field = form.fields["publish_at"], form.fields["workflow_note"]
        at = at_field.clean(
            [request.POST.get("publish_at_0", ""), request.POST.get("publish_at_1", "")]
        )
        return {
            "at": at,
            "note": note_field.clean(request.POST.get("workflow_note", "")),
        }

    # --- actions -----------------------------------------------------------------

    @admin.action(description="Publish selected stories now", permissions=["change"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, services.publish_article, "published")

    @admin.action(description="Archive selected stories", permissions=["change"])
    def archive_selected(self, request, queryset):
        self._bulk(request, queryset, services.archive_article, "archived")

    @admin.action(description="Link suggested artists, releases and tracks")
    def link_suggestions(self, request, queryset):
        linked = 0
        for article in queryset:
            found = suggest_related(article)
            try:
                services.link_related(
                    article=article,
                    by=request.user,
                    artists=found.artists,
                    releases=found.releases,
                    tracks=found.tracks,
                )
            except PermissionDenied:
                continue
            linked += bool(found)
        self.message_user(request, f"Linked suggestions on {linked} stories.")

    def _bulk(self, request, queryset, service, verb: str) -> None:
        done, refused = 0, []
        for article in queryset:
            try:
                service(article=article, by=request.user)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                refused.append(
                    f"“{article.headline}”: {' '.join(getattr(error, 'messages', [str(error)]))}"
                )
        if done:
            self.message_user(request, f"{done} stories {verb}.", messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    # --- history, restore, preview link -------------------------------------------

    def get_urls(self):
        urls = super().get_urls()
        custom = [
            path(
                "<int:pk>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
            path(
                "<int:pk>/revoke-share-links/",
                self.admin_site.admin_view(self.revoke_share_links_view),
                name="articles_article_revoke_share_links",
            ),
        ]
        return custom + urls

    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such story.")
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = list(
            Version.objects.get_for_object(article)
            .select_related("revision", "revision__user")
            .order_by("-revision__date_created")
        )
        pair = history.chosen_pair(
            versions, request.GET.get("old"), request.GET.get("new")
        )
        context = {
            "compared": pair,
            "diff": history.compare(*pair) if pair else [],
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": f"History: {article.headline}",
            "versions": versions,
            "transitions": article.transitions.select_related("by"),
            "can_restore": request.user.has_perm(services.EDIT_ANY_PERMISSION),
            **(extra_context or {}),
        }
        return TemplateResponse(request, self.object_history_template, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        # Restores go through restore_revision (audited); no editable old-form view.
        return HttpResponseRedirect(
            reverse("admin:articles_article_history", args=[object_id])
        )

    def recover_view(self, request, version_id, extra_context=None):
        raise PermissionDenied

    def recoverlist_view(self, request, extra_context=None):
        # Deleted stories (legal takedowns among them) are the editors' to see.
        if not request.user.has_perm(services.EDIT_ANY_PERMISSION):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def restore_view(self, request, pk: int, version_id: int) -> HttpResponse:
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        version = get_object_or_404(
            Version.objects.get_for_object(article), pk=version_id
        )
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:articles_article_history", args=[pk])
            )
        try:
            services.restore_revision(article=article, version=version, by=request.user)
        except (PermissionDenied, ValidationError) as error:
            self.message_user(request, str(error) or "Not allowed.", messages.ERROR)
            return HttpResponseRedirect(
                reverse("admin:articles_article_history", args=[pk])
            )
        self.message_user(
            request,
            f"Restored the version of {version.revision.date_created:%Y-%m-%d %H:%M}.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    def revoke_share_links_view(self, request, pk: int) -> HttpResponse:
        """The "Revoke share links" button: a new secret, so earlier links 404."""
        article = get_object_or_404(self.get_queryset(request), pk=pk)
        change_url = reverse("admin:articles_article_change", args=[pk])
        if request.method != "POST":
            return HttpResponseRedirect(change_url)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        services.revoke_share_links(article=article, by=request.user)
        self.message_user(
            request,
            "Share links revoked: every link handed out before shows nothing now. "
            "The link on this page is the new one.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url)

    def render_change_form(self, request, context, *args, **kwargs):
        # The editor's import map is an inline script; the CSP allows it by nonce.
        nonce = getattr(request, "csp_nonce", "")
        context["media"] = JsMedia.from_media(context["media"], nonce=str(nonce))
        return super().render_change_form(request, context, *args, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        article = self.get_object(request, object_id)
        if article is not None:
            user = request.user
            # Only people who may edit the story hand out (or revoke) its links.
            can_share = services.can_edit_article(user=user, article=article)
            extra_context.update(
                {
                    "article": article,
                    "last_request": article.transitions.filter(
                        to_status=Status.CHANGES_REQUESTED
                    )
                    .select_related("by")
                    .first(),
                    "can_submit": article.status in services.WRITER_EDITABLE
                    and services.can_edit_article(user=user, article=article),
                    "can_publish": user.has_perm(services.PUBLISH_PERMISSION),
                    "can_request_changes": user.has_perm(services.REVIEW_PERMISSION)
                    and (article.status == Status.REVIEW or article.is_scheduled),
                    "suggestions": suggest_related(article),
                    "share_url": request.build_absolute_uri(
                        reverse(
                            "articles:shared_preview", args=[preview_token(article)]
                        )
                    )
                    if can_share
                    else "",
                }
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_submit": True}
        return super().add_view(request, form_url, extra_context)


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ["article", "from_status", "to_status", "by", "at", "note"]
    list_filter = ["to_status"]
    list_select_related = ["article", "by"]
    search_fields = ["article__headline", "note"]
    date_hierarchy = "at"

    def get_queryset(self, request: HttpRequest):
        # The trail names headlines and carries notes: only stories the user sees.
        visible = Article.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(article__in=visible)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ArticleSlugHistory)
class ArticleSlugHistoryAdmin(admin.ModelAdmin):
    list_display = ["slug", "article", "changed_at"]
    search_fields = ["slug", "article__headline"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]
