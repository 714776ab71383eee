"""The moderation queue's row controls: decide one reaction without leaving the list.

Each row of the fan-reaction changelist carries Approve, Reject (with its reason),
Spam and Feature buttons. They are ordinary submit buttons of the changelist form
with a ``formaction`` naming the reaction's decide URL, so they work without a
script; ``static/js/moderation-queue.js`` sends the same post with ``fetch`` (the
form's CSRF token in the header), asks for JSON and updates the row in place. Either
way the decision goes through ``articles.moderation``, which audits it.
"""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from articles import moderation, reports
from articles.models import FanReaction, ReactionDecision, ReactionReport

# Pending reactions first (the queue's work), then the rest.
PENDING_FIRST = Case(
    When(status=FanReaction.Status.PENDING, then=Value(0)),
    default=Value(1),
    output_field=IntegerField(),
)


def _button(url: str, decision: str, label: str, key: str) -> str:
    return format_html(
        '<button type="submit" class="button queue-button queue-button--{0}" '
        'formaction="{1}" name="decision" value="{0}" aria-keyshortcuts="{2}">'
        "{3}</button>",
        decision,
        url,
        key,
        label,
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def row_state(reaction: FanReaction) -> dict:
    """What the row shows after a decision: its status label and the undo handle."""
    label = reaction.get_status_display()
    if reaction.is_featured:
        label += ", featured"
    decision = getattr(reaction, "recorded_decision", None)
    return {
        "id": reaction.pk,
        "status": reaction.status,
        "is_featured": reaction.is_featured,
        "label": label,
        "decision": decision.pk if decision else None,
        "decision_label": decision.get_action_display() if decision else "",
        "undo_seconds": moderation.undo_seconds(),
    }


class ReactionQueueMixin:
    """Row controls, the decide endpoint and the queue's order for FanReactionAdmin."""

    change_list_template = "admin/articles/fanreaction/change_list.html"

    class Media:
        css = {"all": ["css/moderation-queue.css"]}
        js = ["js/moderation-queue.js"]

    def get_ordering(self, request: HttpRequest) -> list:
        return [PENDING_FIRST.asc(), "created_at", "pk"]

    def get_queryset(self, request: HttpRequest):
        open_reports = ReactionReport.objects.filter(settled_at__isnull=True)
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("reports", queryset=open_reports, to_attr="open_reports")
            )
        )

    def get_list_display(self, request: HttpRequest):
        columns = list(super().get_list_display(request))
        if not request.user.has_perm(moderation.MODERATE_PERMISSION):
            columns.remove("row_controls")  # editors read the queue, never decide
        return columns

    def get_urls(self):
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        undo = self.admin_site.admin_view(require_POST(self.undo_view))
        settle = self.admin_site.admin_view(require_POST(self.settle_view))
        return [
            path("<int:pk>/decide/", decide, name="articles_fanreaction_decide"),
            path("<int:pk>/reports/", settle, name="articles_fanreaction_settle"),
            path("undo/", undo, name="articles_fanreaction_undo"),
            *super().get_urls(),
        ]

    # ---- columns

    def message_in_full(self, obj: FanReaction) -> str:
        return format_html(
            '<div class="queue-message">{}{}</div>'
            '<p class="queue-meta"><span class="queue-name">{}</span> on '
            '<a href="{}">{}</a> · <time datetime="{}" title="{}">{}</time> · '
            '<a href="{}">details and history</a></p>',
            f"{obj.emoji_glyph} " if obj.emoji_glyph else "",
            linebreaksbr(obj.message, autoescape=True),
            obj.display_name,
            obj.article.get_absolute_url(),
            obj.article.headline,
            obj.created_at.isoformat(),
            timezone.localtime(obj.created_at).strftime("%Y-%m-%d %H:%M"),
            naturaltime(obj.created_at),
            obj.get_admin_url(),
        )

    message_in_full.short_description = "reaction (oldest pending first)"

    def reader_reports(self, obj: FanReaction) -> str:
        found = getattr(obj, "open_reports", [])
        if not found:
            return "—"
        counts = Counter(report.get_reason_display() for report in found)
        return format_html(
            '<span class="queue-reports"><strong>Reported {}×</strong>: {}</span>',
            len(found),
            ", ".join(f"{label} ({n})" for label, n in counts.most_common()),
        )

    reader_reports.short_description = "reader reports"

    def row_controls(self, obj: FanReaction) -> str:
        url = reverse("admin:articles_fanreaction_decide", args=[obj.pk])
        if getattr(obj, "open_reports", None):
            settle = reverse("admin:articles_fanreaction_settle", args=[obj.pk])
            return format_html(
                '<div class="queue-controls">{}{}</div>',
                _button(settle, "remove", "Remove", "r"),
                _button(settle, "dismiss", "Dismiss reports", "d"),
            )
        reasons = format_html_join(
            "",
            '<option value="{}">{}</option>',
            FanReaction.RejectionReason.choices,
        )
        reject = format_html(
            '<span class="queue-reject"><label class="visually-hidden" '
            'for="reason-{pk}">Why reject</label>'
            '<select id="reason-{pk}" name="reason-{pk}" class="queue-reason">'
            '<option value="">Reject because…</option>{reasons}</select>{button}'
            "</span>",
            pk=obj.pk,
            reasons=reasons,
            button=_button(url, "reject", "Reject", "r"),
        )
        return format_html(
            '<div class="queue-controls">{}{}{}{}</div>',
            _button(url, "approve", "Approve", "a"),
            _button(url, "spam", "Spam", "s"),
            _button(url, "feature", "Feature", "f"),
            reject,
        )

    row_controls.short_description = "decide"

    # ---- endpoints

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        reaction = get_object_or_404(FanReaction, pk=pk)
        action = request.POST.get("decision", "")
        reason = request.POST.get(f"reason-{pk}") or request.POST.get("reason", "")
        try:
            if action not in ReactionDecision.Action.values:
                raise ValidationError("Choose a decision.")
            moderation.moderate_reaction(
                reaction=reaction, action=action, by=request.user, reason=reason
            )
        except PermissionDenied as error:
            return self._refused(request, str(error), status=403)
        except ValidationError as error:
            return self._refused(request, " ".join(error.messages), status=400)
        state = row_state(reaction)
        if _wants_json(request):
            return JsonResponse(state)
        self.message_user(
            request,
            f"{state['decision_label']}: “{reaction}”.",
            messages.SUCCESS,
        )
        return self._back_to_queue(request)

    def settle_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        reaction = get_object_or_404(FanReaction, pk=pk)
        outcome = request.POST.get("decision", "")
        try:
            if outcome not in ("remove", "dismiss"):
                raise ValidationError("Remove the reaction or dismiss its reports.")
            reports.settle_reports(
                reaction=reaction, by=request.user, remove=outcome == "remove"
            )
        except PermissionDenied as error:
            return self._refused(request, str(error), status=403)
        except ValidationError as error:
            return self._refused(request, " ".join(error.messages), status=400)
        state = row_state(reaction)
        if outcome == "dismiss":
            state["label"] += ", reports dismissed"
            state["decision_label"] = "Reports dismissed"
            state["decision"] = None
        if _wants_json(request):
            return JsonResponse(state)
        self.message_user(request, f"{state['decision_label']}: “{reaction}”.")
        return self._back_to_queue(request)

    def undo_view(self, request: HttpRequest) -> HttpResponse:
        try:
            decision_id = int(request.POST.get("decision", ""))
        except ValueError:
            return self._refused(request, "Nothing to undo.", status=400)
        try:
            reaction = moderation.undo_decision(
                decision_id=decision_id, by=request.user
            )
        except PermissionDenied as error:
            return self._refused(request, str(error), status=403)
        except ValidationError as error:
            return self._refused(request, " ".join(error.messages), status=400)
        if _wants_json(request):
            return JsonResponse(row_state(reaction))
        self.message_user(request, f"Undone: “{reaction}”.", messages.SUCCESS)
        return self._back_to_queue(request)

    def _refused(self, request: HttpRequest, message: str, *, status: int):
        message = message or "Not allowed."
        if _wants_json(request):
            return JsonResponse({"error": message}, status=status)
        self.message_user(request, message, messages.ERROR)
        return self._back_to_queue(request)

    def _back_to_queue(self, request: HttpRequest) -> HttpResponse:
        queue = reverse("admin:articles_fanreaction_changelist")
        referer = request.headers.get("Referer", "")
        # Keep the moderator's filters when the post came from the queue itself.
        if referer.startswith(request.build_absolute_uri(queue)):
            return HttpResponseRedirect(referer)
        return HttpResponseRedirect(queue)
