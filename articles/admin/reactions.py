"""The moderators' room: the fan-reaction queue and the banned-words list.

Moderators decide, they never edit: every field a reader wrote is read-only, and every
decision (the actions ``approve``, ``reject``, ``mark_spam``, ``feature``, or the
change page's decision field) goes through ``articles.moderation``, which records who
decided, when and why.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from articles import moderation
from articles.admin.reaction_queue import ReactionQueueMixin
from articles.models import (
    BannedWord,
    FanReaction,
    ReactionDecision,
    ReactionFlag,
    ReactionSettings,
)
from articles.reaction_forms import (
    ReactionActionForm,
    ReactionDecisionForm,
    RejectReactionsForm,
)

OTHER_REACTIONS_SHOWN = 20


class FlagFilter(admin.SimpleListFilter):
    """Filter the queue by the automatic check that held a reaction."""

    title = "flag"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [
            ("any", "Any flag"),
            ("none", "No flags"),
            *ReactionFlag.Code.choices,
        ]

    def queryset(self, request, queryset):
        value = self.value()
        # Exists, not a join and DISTINCT: the queue's order is an expression, which
        # PostgreSQL will not sort a DISTINCT result by.
        flags = ReactionFlag.objects.filter(reaction=OuterRef("pk"))
        if value == "any":
            return queryset.filter(Exists(flags))
        if value == "none":
            return queryset.exclude(Exists(flags))
        if value in ReactionFlag.Code.values:
            return queryset.filter(Exists(flags.filter(code=value)))
        return queryset


class ReportedFilter(admin.SimpleListFilter):
    """Approved reactions readers reported, with how many wait for a moderator."""

    title = "reader reports"
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        count = FanReaction.objects.reported().count()
        return [("open", f"Reported, waiting ({count})")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.reported()
        return queryset


class ReactionDecisionInline(admin.TabularInline):
    """The decision history, read-only: the audit record of who decided what."""

    model = ReactionDecision
    extra = 0
    can_delete = False
    fields = ["action", "reason", "note", "decided_by", "decided_at"]
    readonly_fields = fields
    verbose_name = "decision"
    verbose_name_plural = "decision history"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("articles.view_fanreaction")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decided_by")


def _run_decision(
    modeladmin: FanReactionAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    verb: str,
    **kwargs,
) -> int:
    """Apply one decision to each selected reaction through the service."""
    done = 0
    for reaction in queryset:
        try:
            moderation.moderate_reaction(reaction=reaction, by=request.user, **kwargs)
        except PermissionDenied:
            modeladmin.message_user(
                request, "You may not moderate fan reactions.", messages.ERROR
            )
            return done
        done += 1
    modeladmin.message_user(
        request,
        f"{verb} {done} reaction{'s' if done != 1 else ''}.",
        messages.SUCCESS,
    )
    return done


@admin.register(FanReaction)
class FanReactionAdmin(ReactionQueueMixin, admin.ModelAdmin):
    action_form = ReactionActionForm
    form = ReactionDecisionForm
    actions = ["approve", "reject", "mark_spam", "feature", "unfeature"]
    list_display = [
        "message_in_full",
        "held_because",
        "reader_reports",
        "state",
        "row_controls",
    ]
    list_display_links = None
    list_filter = [
        "status",
        ReportedFilter,
        FlagFilter,
        "is_featured",
        ("article", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    search_fields = ["display_name", "message", "article__headline", "=fingerprint"]
    search_help_text = "Search names, messages and story headlines."
    list_select_related = ["article", "decided_by"]
    list_per_page = 100  # a whole morning's queue on one page, cleared by keys
    date_hierarchy = "created_at"
    inlines = [ReactionDecisionInline]
    readonly_fields = [
        "story_link",
        "display_name",
        "message_text",
        "emoji_shown",
        "status",
        "is_featured",
        "created_at",
        "held_because_in_full",
        "other_reactions",
        "decided_by",
        "decided_at",
        "decision_reason",
    ]
    fieldsets = [
        (
            "What the reader wrote",
            {
                "fields": [
                    "story_link",
                    "display_name",
                    "message_text",
                    "emoji_shown",
                    "created_at",
                ]
            },
        ),
        (
            "Why it was held",
            {"fields": ["held_because_in_full", "other_reactions"]},
        ),
        (
            "Moderation",
            {
                "fields": [
                    "status",
                    "is_featured",
                    "decided_by",
                    "decided_at",
                    "decision_reason",
                    "decision",
                    "reason",
                    "note",
                ]
            },
        ),
    ]

    # ---- what moderators may do: decide, never add or rewrite

    def has_add_permission(self, request) -> bool:
        return False  # reactions come from readers only

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("flags", queryset=ReactionFlag.objects.all()))
        )

    def save_model(self, request, obj, form, change) -> None:
        """Never saves the reader's fields; a chosen decision goes to the service."""
        decision = form.cleaned_data.get("decision")
        if not decision:
            return
        try:
            moderation.moderate_reaction(
                reaction=obj,
                action=decision,
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:  # pragma: no cover - the form checks first
            self.message_user(request, "; ".join(error.messages), messages.ERROR)

    # ---- columns

    @admin.display(description="status", ordering="status")
    def state(self, obj: FanReaction) -> str:
        label = obj.get_status_display()
        label = f"{label}, featured" if obj.is_featured else label
        return format_html(
            '<span class="queue-state queue-state--{}" data-status="{}">{}</span>',
            obj.status,
            obj.status,
            label,
        )

    @admin.display(description="held because")
    def held_because(self, obj: FanReaction) -> str:
        flags = list(obj.flags.all())
        if not flags:
            return "—"
        return format_html_join(
            ", ",
            '<span class="reaction-flag" title="{}">{}</span>',
            ((flag.reason, flag.get_code_display()) for flag in flags),
        )

    # ---- change page

    @admin.display(description="story")
    def story_link(self, obj: FanReaction) -> str:
        return format_html(
            '<a href="{}">{}</a>', obj.article.get_absolute_url(), obj.article.headline
        )

    @admin.display(description="message")
    def message_text(self, obj: FanReaction) -> str:
        return format_html(
            '<div class="reaction-message">{}</div>',
            linebreaksbr(obj.message, autoescape=True),
        )

    @admin.display(description="emoji")
    def emoji_shown(self, obj: FanReaction) -> str:
        return obj.emoji_glyph or "—"

    @admin.display(description="automatic flags")
    def held_because_in_full(self, obj: FanReaction) -> str:
        flags = list(obj.flags.all())
        if not flags:
            return "None: held only because every reaction waits for a moderator."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong>: {}</li>",
                ((flag.get_code_display(), flag.reason) for flag in flags),
            ),
        )

    @admin.display(description="submitter's other reactions")
    def other_reactions(self, obj: FanReaction) -> str:
        others = list(
            FanReaction.objects.filter(fingerprint=obj.fingerprint)
            .exclude(pk=obj.pk)
            .select_related("article")
            .order_by("-created_at")[:OTHER_REACTIONS_SHOWN]
        )
        if not others:
            return "None: this is the submitter's first reaction."
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a> <em>({}, on “{}”, {})</em></li>',
            (
                (
                    other.get_admin_url(),
                    Truncator(other.message).chars(80),
                    other.get_status_display(),
                    Truncator(other.article.headline).chars(40),
                    timezone.localtime(other.created_at).strftime("%Y-%m-%d %H:%M"),
                )
                for other in others
            ),
        )
        all_url = (
            reverse("admin:articles_fanreaction_changelist") + f"?q={obj.fingerprint}"
        )
        return format_html(
            '<ul>{}</ul><p><a href="{}">All reactions from this submitter</a></p>',
            items,
            all_url,
        )

    # ---- actions (CONTRACT names): each loops and calls the service

    @admin.action(description="Approve selected reactions", permissions=["moderate"])
    def approve(self, request, queryset):
        _run_decision(self, request, queryset, verb="Approved", action="approve")

    @admin.action(description="Reject selected reactions…", permissions=["moderate"])
    def reject(self, request, queryset) -> HttpResponse | None:
        """Reject with a reason: from the action bar, or from a confirmation page."""
        reason = request.POST.get("reason", "")
        if "apply" in request.POST:
            form = RejectReactionsForm(request.POST)
            if form.is_valid():
                _run_decision(
                    self,
                    request,
                    queryset,
                    verb="Rejected",
                    action="reject",
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
                return None
        elif reason in FanReaction.RejectionReason.values:
            _run_decision(
                self,
                request,
                queryset,
                verb="Rejected",
                action="reject",
                reason=reason,
            )
            return None
        else:
            form = RejectReactionsForm()
        context = {
            **self.admin_site.each_context(request),
            "title": "Reject fan reactions",
            "opts": self.model._meta,
            "form": form,
            "reactions": queryset.select_related("article"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "articles/_reactions_admin_reject.html", context
        )

    @admin.action(
        description="Mark selected reactions as spam", permissions=["moderate"]
    )
    def mark_spam(self, request, queryset):
        _run_decision(self, request, queryset, verb="Marked as spam", action="spam")

    @admin.action(
        description="Approve and feature selected reactions", permissions=["moderate"]
    )
    def feature(self, request, queryset):
        _run_decision(self, request, queryset, verb="Featured", action="feature")

    @admin.action(description="Unfeature selected reactions", permissions=["moderate"])
    def unfeature(self, request, queryset):
        _run_decision(self, request, queryset, verb="Unfeatured", action="unfeature")

    def has_moderate_permission(self, request) -> bool:
        return request.user.has_perm("articles.moderate_fanreaction")


@admin.register(BannedWord)
class BannedWordAdmin(admin.ModelAdmin):
    list_display = ["word", "is_spam", "created_at"]
    list_editable = ["is_spam"]
    list_filter = ["is_spam"]
    search_fields = ["word"]


@admin.register(ReactionSettings)
class ReactionSettingsAdmin(admin.ModelAdmin):
    """One row of site-wide rules (made by migration 0532): changed, never added."""

    fields = ["close_after_days"]

    def has_add_permission(self, request) -> bool:
        return False  # the one row comes with the migrations

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
