"""Writes to a person's working copy of a story (articles.WorkingCopy).

Autosave is no edit of the story: it creates no revision and no transition, and
only someone who may edit the story (or add one) keeps a copy of it.
"""

from __future__ import annotations

import json

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, WorkingCopy
from articles.services import can_edit_article

# A story with a long body fits many times over; a bigger post is not a form.
MAX_COPY_BYTES = 2 * 1024 * 1024
# Posted alongside the fields but no part of what was written.
NOT_COPIED = frozenset(
    {
        "csrfmiddlewaretoken",
        "_save",
        "_continue",
        "_addanother",
        "_submit_for_review",
        "_publish",
        "_request_changes",
        "_archive",
        "_link_suggestions",
    }
)


def copy_of_form(fields: dict[str, list[str]]) -> dict[str, str | list[str]]:
    """The posted fields worth keeping: one value as a string, several as a list."""
    kept = {}
    for name, values in fields.items():
        if name in NOT_COPIED or not isinstance(name, str):
            continue
        values = [value for value in values if isinstance(value, str)]
        kept[name] = values[0] if len(values) == 1 else values
    if len(json.dumps(kept).encode()) > MAX_COPY_BYTES:
        raise ValidationError("This working copy is too large to keep.")
    return kept


@transaction.atomic
def save_working_copy(
    *, user: AbstractBaseUser, article: Article | None, fields: dict[str, list[str]]
) -> WorkingCopy:
    """Keep what ``user`` has in the story form now (one copy per user and story)."""
    if article is not None and not can_edit_article(user=user, article=article):
        raise PermissionDenied("You may not edit this story.")
    if article is None and not user.has_perm("articles.add_article"):
        raise PermissionDenied("You may not write stories.")
    copy, _ = WorkingCopy.objects.update_or_create(
        user=user,
        article=article,
        defaults={"data": copy_of_form(fields), "saved_at": timezone.now()},
    )
    return copy


def discard_working_copy(*, user: AbstractBaseUser, article: Article | None) -> int:
    """Forget ``user``'s copy of the story (after a save, or when they say so)."""
    deleted, _ = WorkingCopy.objects.filter(user=user, article=article).delete()
    return deleted


def working_copy_of(
    *, user: AbstractBaseUser, article: Article | None
) -> WorkingCopy | None:
    """The copy ``user`` has of the story (or of a new one), if any."""
    if not user.is_authenticated:
        return None
    return WorkingCopy.objects.filter(user=user, article=article).first()
