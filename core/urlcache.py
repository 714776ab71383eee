"""``reverse()`` with a memory: the same name and arguments give the same address.

A story page links to about twenty addresses (the frame, bylines, artists, tags,
related stories); Django's ``reverse()`` checks every candidate pattern with a regular
expression on each call, which cost more than rendering the links. The answer depends
only on the URLconf in use, the script prefix and the arguments, so those are the key.
The cache is bounded and emptied whenever the URLconf setting changes (tests).
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

__all__ = ["cached_reverse"]


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


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
