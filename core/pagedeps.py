"""What a cached page shows, and what a change touches: dependency keys.

A key is a short string naming one thing readers see: ``story:12``,
``story-reactions:12``, ``artist:3``, ``tag:7``, ``section:2``, ``release:5``,
``photo:9``, or a list such as ``list:home``, ``list:tag:7``, ``feed``, ``sitemap``.
A cached page records the keys of what it shows; a change names the keys it touches;
the page cache (core.pagecache) and the CDN in front purge exactly the pages sharing
a key. ``site`` is on every page: touching it empties everything.

Core names no app. Each app declares, from its ``AppConfig.ready()`` (or a small
``cachekeys.py`` it calls from there):

* :func:`register_keys` for a model: ``shows(row)``, the keys a page that loaded the
  row shows (collected automatically while the page renders: every row instantiated
  from the database is seen), and ``touches(row)``, the keys a change to the row
  reaches (its own key, and the lists it appears in);
* :func:`register_page` for a URL name: ``keys(kwargs, shown)``, the list keys of
  that page (the home page shows ``list:home``: a story published later changes it
  though the page never loaded that story).

A public model (``register_public_models``) with no ``touches`` declared touches
``site``: coarse, but never stale.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable

from django.db.models import Model
from django.db.models.signals import post_init

SITE = "site"
# A page showing more rows than this records one key per model instead
# (``all:<app_label.model>``, which every change of that model touches): a sitemap
# of 50,000 stories needs no 50,000-key header.
MAX_ROW_KEYS = 200

KeysOf = Callable[[Model], Iterable[str]]
PageKeys = Callable[[dict, list[Model]], Iterable[str]]

_shows: dict[str, KeysOf] = {}
_touches: dict[str, KeysOf] = {}
_pages: dict[str, PageKeys] = {}
# Rows loaded while the current page renders (None: no page is being recorded).
_shown: contextvars.ContextVar[list[Model] | None] = contextvars.ContextVar(
    "pagecache_shown", default=None
)


def register_keys(
    model: type[Model],
    *,
    shows: KeysOf | None = None,
    touches: KeysOf | None = None,
) -> None:
    """Declare the keys rows of ``model`` show on a page and touch when they change."""
    label = model._meta.label_lower
    if shows is not None:
        _shows[label] = shows
    if touches is not None:
        _touches[label] = touches


def register_page(url_name: str, keys: PageKeys) -> None:
    """``keys(kwargs, shown)``: the list keys of the page at ``url_name`` (namespaced,
    e.g. ``"app:page"``), given its URL kwargs and the rows it loaded."""
    _pages[url_name] = keys


def touched_by(instance: Model) -> set[str]:
    """The keys a change to ``instance`` reaches (``site`` when undeclared)."""
    label = instance._meta.label_lower
    touches = _touches.get(label)
    if touches is None:
        return {SITE}
    return {f"all:{label}", *(str(key) for key in touches(instance))}


def start_recording() -> contextvars.Token:
    """Collect the rows loaded from now on (the page cache calls it on a miss)."""
    return _shown.set([])


def stop_recording(
    token: contextvars.Token, *, url_name: str | None, kwargs: dict
) -> list[str]:
    """The keys of the page just rendered: ``site``, its list keys and what it showed."""
    shown = _shown.get() or []
    _shown.reset(token)
    keys = {SITE}
    page_keys = _pages.get(url_name or "")
    if page_keys is not None:
        keys.update(str(key) for key in page_keys(kwargs, shown))
    rows: set[str] = set()
    models: set[str] = set()
    for row in shown:
        if row.pk is None:  # built in memory (an empty form's row), not shown
            continue
        label = row._meta.label_lower
        models.add(f"all:{label}")
        rows.update(str(key) for key in _shows[label](row))
    keys.update(rows if len(rows) <= MAX_ROW_KEYS else models)
    return sorted(keys)


def _row_loaded(sender, instance=None, **kwargs) -> None:
    shown = _shown.get()
    if shown is not None and sender._meta.label_lower in _shows:
        # Kept, not read now: annotations (the lists a story carries) are set only
        # after __init__ returns.
        shown.append(instance)


def connect_recording() -> None:
    post_init.connect(_row_loaded, dispatch_uid="pagedeps-row-loaded")
