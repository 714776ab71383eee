"""Fan-reaction services: the one path in (submission) and the one path to a decision.

Submission runs the automatic checks and stores every accepted reaction (pending, or
spam when it is clearly spam), with each flag and its reason. Decisions are keyword-only,
atomic and permission-checked, and each writes who decided, when and why, both on the
reaction (its current state) and in ``ReactionDecision`` (the history).
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, Value
from django.db.models.functions import Concat
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from articles.models import (
    Article,
    Author,
    BannedWord,
    FanReaction,
    ReactionDecision,
    ReactionFlag,
    ReactionSettings,
)
from articles.models.reactions import DISPLAY_NAME_MAX_LENGTH, MESSAGE_MAX_LENGTH
from artists.models import Artist

logger = logging.getLogger(__name__)

User = AbstractBaseUser | AnonymousUser
MODERATE_PERMISSION = "articles.moderate_fanreaction"

# Words that claim an authority a reader does not have, in a few languages.
AUTHORITY_WORDS = frozenset(
    {
        "official",
        "admin",
        "administrator",
        "moderator",
        "mod",
        "staff",
        "editor",
        "newsroom",
        "verified",
        "공식",
        "관리자",
        "운영자",
        "公式",
    }
)
LINK_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_INVISIBLE = dict.fromkeys(
    cp for cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)
)  # zero-width characters used to dodge filters
_WORDS_RE = re.compile(r"\w+")


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# ---------------------------------------------------------------- normalisation


def clean_text(text: str, *, multiline: bool) -> str:
    """Reader text as stored: NFC, no control characters, trimmed, tidy whitespace."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n")
    text = text.replace("\r", "\n")
    kept = []
    for char in text:
        if char == "\n" and multiline:
            kept.append(char)
        elif unicodedata.category(char) in {"Cc", "Cf"} and char not in "\u200d":
            kept.append(" " if char in "\t\n" else "")
        else:
            kept.append(char)
    text = "".join(kept)
    if multiline:
        lines = [" ".join(line.split()) for line in text.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
        return text.strip()
    return " ".join(text.split())


def comparable(text: str) -> str:
    """Text folded for comparisons: compatibility forms, case and zero-width removed."""
    text = unicodedata.normalize("NFKC", text or "").translate(_INVISIBLE)
    return " ".join(text.casefold().split())


def message_digest(message: str) -> str:
    """Stable hash of a message, so exact repeats are found with one index lookup."""
    return hashlib.sha256(comparable(message).encode()).hexdigest()


def count_links(text: str) -> int:
    return len(LINK_RE.findall(text or ""))


# ---------------------------------------------------------------- submitters


def client_address(request: HttpRequest) -> str:
    """The reader's address, as the project's middleware decided it.

    Behind nginx the connecting peer is nginx for everyone; the middleware
    (``core.clientaddress``, from ``TRUSTED_PROXY_COUNT``) has already put the
    reader's own address in REMOTE_ADDR. X-Forwarded-For is never read here: its
    left-hand entries are whatever the client sent.
    """
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def reader_fingerprint(request: HttpRequest) -> str:
    """Salted HMAC of address and user agent: groups a reader's posts, stores no IP."""
    agent = request.headers.get("User-Agent", "")[:512]
    value = f"{client_address(request)}\n{agent}"
    return salted_hmac(
        "newsroom.reactions.fingerprint", value, algorithm="sha256"
    ).hexdigest()


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: int


def reserve_submission(*, fingerprint: str, address: str = "") -> RateDecision:
    """Count one submission against the fingerprint's limit, in the shared cache.

    A fixed window keyed by fingerprint; ``incr`` is atomic in Redis and in the local
    cache, so parallel processes share one count. Called only for valid submissions,
    just before saving; when the cache is down the reaction is still accepted (the
    limiter may never lose a reader's reaction, only refuse one up front).

    With ``address``, a second, larger allowance per address caps a robot that sends
    a new User-Agent (so a new fingerprint) with every post.
    """
    window = max(_setting("REACTIONS_RATE_WINDOW", 600), 1)
    now = int(time.time())
    bucket = now // window
    retry_after = window - (now % window)
    limits = [(f"reactions:rate:{fingerprint}:{bucket}", "REACTIONS_RATE_LIMIT", 5)]
    if address:
        hashed = salted_hmac(
            "newsroom.reactions.address", address, algorithm="sha256"
        ).hexdigest()
        limits.append(
            (
                f"reactions:rate-address:{hashed}:{bucket}",
                "REACTIONS_RATE_LIMIT_PER_ADDRESS",
                30,
            )
        )
    for key, setting, default in limits:
        try:
            cache.add(key, 0, timeout=window + 5)
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=window + 5)
                count = 1
        except Exception:  # noqa: BLE001 - a cache outage must not block readers
            logger.warning("reactions: rate-limit cache unavailable", exc_info=True)
            return RateDecision(allowed=True, retry_after=0)
        if count > _setting(setting, default):
            return RateDecision(allowed=False, retry_after=retry_after)
    return RateDecision(allowed=True, retry_after=retry_after)


# ---------------------------------------------------------------- automatic flags


@dataclass(frozen=True)
class Flag:
    code: str
    reason: str
    is_spam: bool = False


def impersonation_reason(display_name: str) -> str | None:
    """Why a display name pretends to be someone, or None.

    The single place for this check: it compares against every name of every
    artist (stage, native, aliases, through ``Artist.objects.matching_name``), the
    names on staff bylines, staff usernames and names, and words that claim authority.
    """
    folded = comparable(display_name)
    if not folded:
        return None
    words = set(_WORDS_RE.findall(folded))
    # "IU_official" is one \w token; look inside underscores and digits too.
    words |= {part for word in words for part in re.split(r"[_\d]+", word) if part}
    authority = sorted(words & AUTHORITY_WORDS)
    if authority:
        return f"Name claims authority: “{authority[0]}”"
    bare = " ".join(_WORDS_RE.findall(folded.replace("_", " ")))
    candidates = {display_name.strip(), folded, bare} - {""}
    artist = Artist.objects.matching_name(*candidates).only("name").first()
    if artist:
        return f"Name matches the artist “{artist.name}”"
    byline_match = Q()
    for candidate in candidates:
        byline_match |= Q(display_name__iexact=candidate)
    if Author.objects.filter(byline_match).exists():
        return "Name matches a byline of the newsroom"
    staff_match = Q()
    for candidate in candidates:
        staff_match |= Q(username__iexact=candidate) | Q(full_name__iexact=candidate)
    staff = (
        get_user_model()
        .objects.filter(is_staff=True)
        .annotate(full_name=Concat("first_name", Value(" "), "last_name"))
        .filter(staff_match)
        .exists()
    )
    if staff:
        return "Name matches a staff member"
    return None


def _banned_word_flags(*texts: str) -> list[Flag]:
    folded = "\n".join(comparable(text) for text in texts)
    flags = []
    for banned in BannedWord.objects.all():
        word = comparable(banned.word)
        if not word:
            continue
        if word.isascii():
            found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", folded)
        else:  # scripts without spaces between words (or with particles): substring
            found = word in folded
        if found:
            action = "spam" if banned.is_spam else "hold"
            flags.append(
                Flag(
                    ReactionFlag.Code.BANNED_WORD,
                    f"Contains the banned word “{banned.word}” ({action})",
                    is_spam=banned.is_spam,
                )
            )
    return flags


def automatic_flags(
    *, display_name: str, message: str, fingerprint: str, digest: str
) -> list[Flag]:
    """Every automatic check that fires, each with a reason a moderator can read."""
    flags: list[Flag] = []
    max_links = _setting("REACTIONS_MAX_LINKS", 1)
    links = count_links(message) + count_links(display_name)
    if links > max_links:
        flags.append(
            Flag(
                ReactionFlag.Code.LINKS,
                f"{links} links (more than {max_links} allowed)",
            )
        )
    flags.extend(_banned_word_flags(display_name, message))
    now = timezone.now()
    repeat_since = now - timedelta(seconds=_setting("REACTIONS_REPEAT_WINDOW", 86400))
    if FanReaction.objects.filter(
        message_digest=digest, created_at__gte=repeat_since
    ).exists():
        flags.append(Flag(ReactionFlag.Code.REPEAT, "Exact repeat of a recent message"))
    burst_count = _setting("REACTIONS_BURST_COUNT", 3)
    burst_window = _setting("REACTIONS_BURST_WINDOW", 120)
    recent = FanReaction.objects.filter(
        fingerprint=fingerprint, created_at__gte=now - timedelta(seconds=burst_window)
    ).count()
    if recent + 1 >= burst_count:
        flags.append(
            Flag(
                ReactionFlag.Code.BURST,
                f"{recent + 1} reactions from one submitter within "
                f"{burst_window} seconds",
            )
        )
    reason = impersonation_reason(display_name)
    if reason:
        flags.append(Flag(ReactionFlag.Code.IMPERSONATION, reason))
    return flags


# ---------------------------------------------------------------- services


@transaction.atomic
def submit_reaction(
    *,
    article: Article,
    display_name: str,
    message: str,
    fingerprint: str,
    emoji: str = "",
    is_honeypot_filled: bool = False,
) -> FanReaction:
    """Store a reader's reaction with its flags; it always waits for a moderator."""
    if not ReactionSettings.current().takes_reactions(article):
        raise PermissionDenied("Reactions are closed on this story.")
    display_name = clean_text(display_name, multiline=False)
    message = clean_text(message, multiline=True)
    errors = {}
    if not display_name or len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        errors["display_name"] = "A name of 1 to 40 characters is required."
    if not message or len(message) > MESSAGE_MAX_LENGTH:
        errors["message"] = "A message of 1 to 500 characters is required."
    if emoji and emoji not in FanReaction.Emoji.values:
        errors["emoji"] = "Choose one of the offered emoji."
    if errors:
        raise ValidationError(errors)

    digest = message_digest(message)
    flags = automatic_flags(
        display_name=display_name,
        message=message,
        fingerprint=fingerprint,
        digest=digest,
    )
    if is_honeypot_filled:
        flags.append(
            Flag(
                ReactionFlag.Code.HONEYPOT,
                "Filled the hidden field only robots see",
                is_spam=True,
            )
        )
    is_spam = any(flag.is_spam for flag in flags)
    now = timezone.now()
    reaction = FanReaction.objects.create(
        article=article,
        display_name=display_name,
        message=message,
        emoji=emoji,
        fingerprint=fingerprint,
        message_digest=digest,
        status=FanReaction.Status.SPAM if is_spam else FanReaction.Status.PENDING,
        created_at=now,
        decided_at=now if is_spam else None,
        decision_reason=FanReaction.RejectionReason.SPAM if is_spam else "",
    )
    ReactionFlag.objects.bulk_create(
        ReactionFlag(reaction=reaction, code=flag.code, reason=flag.reason[:255])
        for flag in flags
    )
    if is_spam:
        ReactionDecision.objects.create(
            reaction=reaction,
            action=ReactionDecision.Action.SPAM,
            reason=FanReaction.RejectionReason.SPAM,
            note="Automatic: " + "; ".join(f.reason for f in flags if f.is_spam),
            decided_by=None,
            decided_at=now,
        )
    return reaction


_STATUS_FOR_ACTION = {
    ReactionDecision.Action.APPROVE: FanReaction.Status.APPROVED,
    ReactionDecision.Action.REJECT: FanReaction.Status.REJECTED,
    ReactionDecision.Action.SPAM: FanReaction.Status.SPAM,
    ReactionDecision.Action.FEATURE: FanReaction.Status.APPROVED,
}


@transaction.atomic
def moderate_reaction(
    *,
    reaction: FanReaction,
    action: str,
    by: User,
    reason: str = "",
    note: str = "",
) -> FanReaction:
    """The one path to a new status, so the audit record is never skipped.

    The decision it writes is left on the instance as ``recorded_decision`` (the
    queue offers to undo it)."""
    _check_moderator(by)
    action = ReactionDecision.Action(action)
    if action == ReactionDecision.Action.UNDO:
        raise ValidationError("Undo a decision with undo_decision.")
    if action == ReactionDecision.Action.REJECT:
        if reason not in FanReaction.RejectionReason.values:
            raise ValidationError({"reason": "Choose why the reaction is rejected."})
    elif action == ReactionDecision.Action.SPAM:
        reason = FanReaction.RejectionReason.SPAM
    else:
        reason = ""
    # Lock the row, so two moderators deciding at once leave one consistent record.
    locked = FanReaction.objects.select_for_update().get(pk=reaction.pk)
    # Unfeaturing keeps the status; every other decision sets it.
    status = _STATUS_FOR_ACTION.get(action, locked.status)
    if action == ReactionDecision.Action.FEATURE:
        is_featured = True
    elif action == ReactionDecision.Action.APPROVE:
        is_featured = locked.is_featured
    else:
        is_featured = False
    decision = _record(
        locked,
        action=action,
        by=by,
        status=status,
        is_featured=is_featured,
        reason=reason,
        note=note,
    )
    # Keep the caller's instance in step with the database.
    for field in ("status", "is_featured", "decided_by", "decided_at"):
        setattr(reaction, field, getattr(locked, field))
    reaction.decision_reason = reason
    reaction.recorded_decision = decision
    return reaction


def _check_moderator(by: User) -> None:
    if not (by and by.is_active and by.has_perm(MODERATE_PERMISSION)):
        raise PermissionDenied("Only moderators decide on fan reactions.")


def _record(
    locked: FanReaction,
    *,
    action: str,
    by: User,
    status: str,
    is_featured: bool,
    reason: str,
    note: str,
) -> ReactionDecision:
    """Set the locked reaction's state and write the decision that explains it."""
    now = timezone.now()
    decision = ReactionDecision(
        reaction=locked,
        action=action,
        reason=reason,
        note=clean_text(note, multiline=False)[:500],
        decided_by=by,
        decided_at=now,
        previous_status=locked.status,
        previous_featured=locked.is_featured,
        previous_reason=locked.decision_reason,
    )
    locked.status = status
    locked.is_featured = is_featured
    locked.decided_by = by
    locked.decided_at = now
    locked.decision_reason = reason
    locked.save(
        update_fields=[
            "status",
            "is_featured",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]
    )
    decision.save()
    return decision


def undo_seconds() -> int:
    """How long a moderator may take back a decision from the queue."""
    return _setting("REACTION_UNDO_SECONDS", 15)


@transaction.atomic
def undo_decision(*, decision_id: int, by: User) -> FanReaction:
    """Put a reaction back as it was before the moderator's own latest decision.

    Only the latest decision on the reaction, made by the same moderator within
    ``undo_seconds()``, can be undone; the undo is itself recorded as a decision."""
    _check_moderator(by)
    decision = (
        ReactionDecision.objects.select_related("reaction")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None or decision.decided_by_id != by.pk:
        raise PermissionDenied("Only your own decisions can be undone.")
    locked = FanReaction.objects.select_for_update().get(pk=decision.reaction_id)
    latest = locked.decisions.order_by("-decided_at", "-pk").first()
    too_late = timezone.now() - decision.decided_at > timedelta(seconds=undo_seconds())
    if (
        latest != decision
        or decision.action == ReactionDecision.Action.UNDO
        or too_late
    ):
        raise ValidationError(
            "Too late to undo: another decision came after it, or time ran out."
        )
    _record(
        locked,
        action=ReactionDecision.Action.UNDO,
        by=by,
        status=decision.previous_status or FanReaction.Status.PENDING,
        is_featured=decision.previous_featured,
        reason=decision.previous_reason,
        note=f"Undid “{decision.get_action_display()}”",
    )
    return locked


def approve_reaction(*, reaction: FanReaction, by: User) -> FanReaction:
    """Show the reaction under its story."""
    return moderate_reaction(
        reaction=reaction, action=ReactionDecision.Action.APPROVE, by=by
    )


def reject_reaction(
    *, reaction: FanReaction, by: User, reason: str, note: str = ""
) -> FanReaction:
    """Keep the reaction off the site, saying why."""
    return moderate_reaction(
        reaction=reaction,
        action=ReactionDecision.Action.REJECT,
        by=by,
        reason=reason,
        note=note,
    )


def mark_reaction_spam(*, reaction: FanReaction, by: User) -> FanReaction:
    """File the reaction as spam (kept for the record, never shown)."""
    return moderate_reaction(
        reaction=reaction, action=ReactionDecision.Action.SPAM, by=by
    )


def feature_reaction(
    *, reaction: FanReaction, by: User, is_featured: bool = True
) -> FanReaction:
    """Approve and pin the reaction first under its story (or unpin it)."""
    action = (
        ReactionDecision.Action.FEATURE
        if is_featured
        else ReactionDecision.Action.UNFEATURE
    )
    return moderate_reaction(reaction=reaction, action=action, by=by)


def pending_counts() -> dict[str, int]:
    """The desk's numbers: reactions waiting, and how many of those carry flags."""
    return FanReaction.objects.pending().aggregate(
        pending=Count("pk", distinct=True),
        flagged=Count("pk", filter=Q(flags__isnull=False), distinct=True),
    )
