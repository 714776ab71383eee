"""The version of the name index every process agrees on (search.names).

Apart from search.names so that the app can connect its receiver before models load.
"""

from __future__ import annotations

import time

from django.core.cache import cache

NAMES_VERSION_KEY = "search:names:version"
# The models whose rows are names (search.names.name_rows reads them).
NAME_MODELS = (
    "artists.Artist",
    "artists.ArtistAlias",
    "search.Synonym",
    "discography.Release",
    "discography.Track",
)


def names_version() -> int | None:
    """The current version; None when the shared cache cannot be reached (then
    nothing a process holds can be proven current)."""
    try:
        version = cache.get(NAMES_VERSION_KEY)
        if version is None:
            # Start from the clock: after a flush, versions never repeat.
            version = int(time.time() * 1000)
            if not cache.add(NAMES_VERSION_KEY, version, timeout=None):
                version = cache.get(NAMES_VERSION_KEY, version)
        return version
    except Exception:  # noqa: BLE001 - a cache outage must not break search
        return None


def names_changed(**kwargs) -> None:
    """A name row changed: every process renews its index on its next search."""
    try:
        cache.incr(NAMES_VERSION_KEY)
    except ValueError:  # no version yet (or evicted): the next one is new anyway
        names_version()
    except Exception:  # noqa: BLE001 - unreachable: versions read as None meanwhile
        pass
