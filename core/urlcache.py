"""``reverse()`` with a memory: the same name and arguments give the same address.

A story page links to about twenty addresses (the frame, bylines, artists, tags,
related stories); Django's ``reverse()`` checks every candidate pattern with a regular
expression on each call, which cost more than rendering the links. The answer depends
only on the URLconf in use, the script prefix and the arguments, so those are the key.
The cache is bounded and emptied whenever the URLconf setting changes (tests).

``reverse_or_none()`` and ``url_of()`` are for links to related rows on reader
pages: a row whose slug makes no address (empty, or holding "/") is shown without
a link and logged, instead of taking the whole page down for every reader.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

__all__ = ["cached_reverse", "reverse_or_none", "url_of"]

logger = logging.getLogger(__name__)


@functools.lru_cache(maxsize=8192)
def _reverse(
    urlconf: str, prefix: str, viewname: str, args: tuple, kwargs: tuple
) -> str:
    return reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs))


def cached_reverse(viewname: str, *args: Any, **kwargs: Any) -> str:
    """``reverse(viewname, args=args, kwargs=kwargs)``, remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    return _reverse(
        urlconf, get_script_prefix(), viewname, args, tuple(sorted(kwargs.items()))
    )


def reverse_or_none(viewname: str, *args: Any, **kwargs: Any) -> str | None:
    """``cached_reverse()``, or None when these arguments make no address."""
    try:
        return cached_reverse(viewname, *args, **kwargs)
    except NoReverseMatch:
        logger.warning("No address for %s with %r %r", viewname, args, kwargs)
        return None


def url_of(obj: Any) -> str | None:
    """``obj.get_absolute_url()``, or None when the row's slug makes no address."""
    try:
        return obj.get_absolute_url()
    except NoReverseMatch:
        logger.warning("No address for %s %r", type(obj).__name__, obj.pk)
        return None


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
