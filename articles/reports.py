"""Readers report approved reactions; moderators remove the reaction or dismiss.

A report needs no account: it is tied to the reader's fingerprint (one report per
reader and reaction) and counted by the same rate limiter as reactions. Settling
goes through ``articles.moderation`` when the reaction comes down, so the removal is
audited like every other decision.
"""

from __future__ import annotations

from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from articles import moderation
from articles.models import FanReaction, ReactionReport

# The rejection reason a removal records, from what readers said most.
_REJECTION_FOR_REPORT = {
    ReactionReport.Reason.SPAM: FanReaction.RejectionReason.SPAM,
    ReactionReport.Reason.ABUSIVE: FanReaction.RejectionReason.ABUSIVE,
    ReactionReport.Reason.PERSONAL_INFORMATION: (
        FanReaction.RejectionReason.PERSONAL_INFORMATION
    ),
    ReactionReport.Reason.SPOILER: FanReaction.RejectionReason.OTHER,
    ReactionReport.Reason.OTHER: FanReaction.RejectionReason.OTHER,
}


def report_reaction(*, reaction: FanReaction, reason: str, fingerprint: str) -> bool:
    """Record a reader's report; False when this reader had reported it already."""
    if reaction.status != FanReaction.Status.APPROVED:
        raise ValidationError("Only reactions shown on the site can be reported.")
    if reason not in ReactionReport.Reason.values:
        raise ValidationError({"reason": "Choose what is wrong with the reaction."})
    try:
        with transaction.atomic():
            ReactionReport.objects.create(
                reaction=reaction, reason=reason, fingerprint=fingerprint
            )
    except IntegrityError:
        return False
    return True


@transaction.atomic
def settle_reports(*, reaction: FanReaction, by, remove: bool) -> int:
    """Remove the reported reaction (a rejection) or dismiss its open reports."""
    if not (by and by.is_active and by.has_perm(moderation.MODERATE_PERMISSION)):
        raise PermissionDenied("Only moderators settle reports.")
    open_reports = ReactionReport.objects.select_for_update().filter(
        reaction=reaction, settled_at__isnull=True
    )
    reasons = Counter(open_reports.values_list("reason", flat=True))
    if not reasons:
        raise ValidationError("This reaction has no open reports.")
    if remove:
        most_said = reasons.most_common(1)[0][0]
        moderation.moderate_reaction(
            reaction=reaction,
            action="reject",
            by=by,
            reason=_REJECTION_FOR_REPORT[most_said],
            note=f"Removed after {sum(reasons.values())} reader report(s)",
        )
    outcome = (
        ReactionReport.Outcome.REMOVED if remove else ReactionReport.Outcome.DISMISSED
    )
    return open_reports.update(
        settled_at=timezone.now(), settled_by=by, outcome=outcome
    )


def report_counts() -> dict[str, int]:
    """The moderators' desk: reactions with open reports."""
    return FanReaction.objects.reported().aggregate(
        reported=Count("pk"),
    )


def open_report_summary(reaction_ids: list[int]) -> dict[int, Counter]:
    """Open report reasons per reaction, for the queue's column (one query)."""
    rows = (
        ReactionReport.objects.filter(
            Q(reaction_id__in=reaction_ids) & Q(settled_at__isnull=True)
        )
        .values_list("reaction_id", "reason")
        .order_by()
    )
    summary: dict[int, Counter] = {}
    for reaction_id, reason in rows:
        summary.setdefault(reaction_id, Counter())[reason] += 1
    return summary
