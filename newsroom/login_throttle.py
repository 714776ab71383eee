"""The account-wide sign-in throttle: guessing spread over many addresses.

django-axes locks out one username at one address after a few failures, so that a
stranger cannot lock a colleague out. Alone, that lets a guesser with many addresses
go on for ever. Every failed staff sign-in is therefore also recorded here
(``LoginFailure``, from Django's ``user_login_failed`` signal, whichever handler
axes uses). Once an account has ``LOGIN_THROTTLE_FAILURES`` failures within
``LOGIN_THROTTLE_WINDOW``, from any addresses, its password alone is refused for
``LOGIN_THROTTLE_COOLOFF``; the login form (``newsroom.security.StaffLoginForm``)
still lets in the owner who adds a valid two-factor code. Someone who may manage
staff sees the last day's failures on the admin index and can clear a throttle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.utils import timezone

from core.clientaddress import request_address, valid_address
from newsroom.models import LoginFailure

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MANAGE_STAFF_PERMISSION = "auth.change_user"
DESK_WINDOW = timedelta(hours=24)
DESK_LIMIT = 20
USERNAME_MAX_LENGTH = LoginFailure._meta.get_field("username").max_length


def _counted(username: str):
    """Failures of ``username`` that still count towards the throttle."""
    return LoginFailure.objects.filter(username=username, cleared_at__isnull=True)


def record_failure(
    *, username: str, address: str | None, at: datetime | None = None
) -> LoginFailure:
    """Store one failed sign-in, marking it when it takes the account to the limit.

    Rows older than ``LOGIN_FAILURE_RETENTION`` are removed on the way, so the
    table holds weeks, not years, of a guessing campaign.
    """
    at = at or timezone.now()
    username = username[:USERNAME_MAX_LENGTH]
    earlier = _counted(username).filter(
        attempted_at__gt=at - settings.LOGIN_THROTTLE_WINDOW, attempted_at__lte=at
    )
    failure = LoginFailure.objects.create(
        username=username,
        address=valid_address(address or ""),
        attempted_at=at,
        is_over_limit=earlier.count() + 1 >= settings.LOGIN_THROTTLE_FAILURES,
    )
    LoginFailure.objects.filter(
        attempted_at__lt=at - settings.LOGIN_FAILURE_RETENTION
    ).delete()
    return failure


def is_throttled(username: str, *, at: datetime | None = None) -> bool:
    """Whether the account's password alone is refused right now."""
    if not username:
        return False
    at = at or timezone.now()
    return (
        _counted(username[:USERNAME_MAX_LENGTH])
        .filter(
            is_over_limit=True,
            attempted_at__gt=at - settings.LOGIN_THROTTLE_COOLOFF,
        )
        .exists()
    )


def on_login_failed(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """``user_login_failed``: count the failure against the account it named.

    The login form hands ``authenticate()`` a ``username`` whatever the user
    model's username field is called, so that is the key read here.
    """
    username = (credentials or {}).get("username")
    if not isinstance(username, str) or not username:
        return
    address = request_address(request) if request is not None else None
    record_failure(username=username, address=address)


def may_manage_staff(user: AbstractBaseUser) -> bool:
    """Superusers and whoever may change user accounts."""
    return bool(user.is_active and user.has_perm(MANAGE_STAFF_PERMISSION))


@transaction.atomic
def clear_throttle(*, username: str, by: AbstractBaseUser) -> int:
    """Let an account sign in with its password again; returns the failures cleared.

    Its failures stop counting (they stay listed for the day), and axes forgets the
    per-address lockouts they caused, for either handler (the cache handler finds
    its counters only by username and address together).
    """
    if not may_manage_staff(by):
        raise PermissionDenied
    now = timezone.now()
    pending = _counted(username)
    addresses = set(
        pending.filter(attempted_at__gt=now - settings.AXES_COOLOFF_TIME)
        .exclude(address=None)
        .values_list("address", flat=True)
    )
    cleared = pending.update(cleared_at=now)
    for address in sorted(addresses):
        AxesProxyHandler.reset_attempts(username=username, ip_address=address)
    account = (
        get_user_model()
        ._default_manager.filter(**{get_user_model().USERNAME_FIELD: username})
        .first()
    )
    if account is not None:
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[account],
            action_flag=CHANGE,
            change_message=(
                f"Cleared the sign-in throttle ({cleared} failed sign-ins) "
                "and the lockouts they caused."
            ),
            single_object=True,
        )
    return cleared


@dataclass(frozen=True)
class AccountFailures:
    """One account's failed sign-ins over the desk's window."""

    username: str
    user_id: int
    failures: int
    # Failures that still count (not cleared): the desk offers to clear them.
    pending: int
    addresses: int
    last_address: str | None
    last_attempt_at: datetime
    throttled_until: datetime | None


@dataclass(frozen=True)
class FailedSignIns:
    accounts: list[AccountFailures]
    has_more_accounts: bool
    unknown_failures: int
    unknown_names: int


def failed_sign_ins(*, at: datetime | None = None) -> FailedSignIns:
    """The desk's panel: accounts with failed sign-ins in the last 24 hours.

    Two queries whatever the numbers: one grouped row per account (throttled ones
    first, then the most recent), and one count of failures for names no account
    has (a spray over guessed usernames).
    """
    at = at or timezone.now()
    user_model = get_user_model()
    accounts = user_model._default_manager.filter(
        **{user_model.USERNAME_FIELD: OuterRef("username")}
    )
    recent = LoginFailure.objects.filter(attempted_at__gt=at - DESK_WINDOW)
    last = LoginFailure.objects.filter(username=OuterRef("username")).order_by(
        "-attempted_at", "-pk"
    )
    rows = list(
        recent.filter(Exists(accounts))
        .values("username")
        .annotate(
            failures=Count("pk"),
            pending=Count("pk", filter=Q(cleared_at__isnull=True)),
            addresses=Count("address", distinct=True),
            last_attempt_at=Max("attempted_at"),
            throttled_since=Max(
                "attempted_at",
                filter=Q(
                    is_over_limit=True,
                    cleared_at__isnull=True,
                    attempted_at__gt=at - settings.LOGIN_THROTTLE_COOLOFF,
                ),
            ),
            user_id=Subquery(accounts.values("pk")[:1]),
            last_address=Subquery(last.values("address")[:1]),
        )
        .order_by(
            F("throttled_since").desc(nulls_last=True),
            "-last_attempt_at",
            "username",
        )[: DESK_LIMIT + 1]
    )
    unknown = recent.exclude(Exists(accounts)).aggregate(
        failures=Count("pk"), names=Count("username", distinct=True)
    )
    return FailedSignIns(
        accounts=[
            AccountFailures(
                username=row["username"],
                user_id=row["user_id"],
                failures=row["failures"],
                pending=row["pending"],
                addresses=row["addresses"],
                last_address=row["last_address"],
                last_attempt_at=row["last_attempt_at"],
                throttled_until=(
                    row["throttled_since"] + settings.LOGIN_THROTTLE_COOLOFF
                    if row["throttled_since"]
                    else None
                ),
            )
            for row in rows[:DESK_LIMIT]
        ],
        has_more_accounts=len(rows) > DESK_LIMIT,
        unknown_failures=unknown["failures"],
        unknown_names=unknown["names"],
    )
