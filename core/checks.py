"""System checks of core's plumbing."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.cache import caches

# Cache backends whose entries live in one process: pages stored there would stay
# stale in every other worker after an edit.
PER_PROCESS_BACKENDS = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches, deploy=True)
def page_cache_is_shared(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if not getattr(settings, "PAGE_CACHE_ENABLED", True):
        return []
    alias = getattr(settings, "PAGE_CACHE_ALIAS", "default")
    backend = settings.CACHES.get(alias, {}).get("BACKEND", "")
    if alias in settings.CACHES and backend not in PER_PROCESS_BACKENDS:
        caches[alias]  # the alias must at least be usable
        return []
    return [
        checks.Warning(
            f"Pages would be cached per process (cache {alias!r}: {backend or 'none'}):"
            " an edit would not show in the other workers.",
            hint="Set REDIS_URL, or PAGE_CACHE_ALIAS to a cache every process shares"
            " (the file cache under var/), or PAGE_CACHE_ENABLED=0.",
            id="pagecache.W001",
        )
    ]
