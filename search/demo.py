"""Demo synonyms: the fandom and group nicknames readers search by (see domain.md).

Keyed by (name, artist), so running ``load_demo`` again changes nothing.
"""

from __future__ import annotations

from artists.models import Artist
from search.models import Synonym

SYNONYMS = [
    # (name, artist slug, kind)
    ("ARMY", "bts", Synonym.Kind.FANDOM),
    ("Bangtan", "bts", Synonym.Kind.NICKNAME),
    ("방탄", "bts", Synonym.Kind.NICKNAME),
    ("Uaena", "iu", Synonym.Kind.FANDOM),
    ("유애나", "iu", Synonym.Kind.FANDOM),
    ("Bunnies", "newjeans", Synonym.Kind.FANDOM),
    ("Tae", "v", Synonym.Kind.NICKNAME),
]


def load() -> str:
    artists = {
        a.slug: a for a in Artist.objects.filter(slug__in={s for _, s, _ in SYNONYMS})
    }
    created = 0
    for name, slug, kind in SYNONYMS:
        if slug in artists:
            _, was_created = Synonym.objects.update_or_create(
                name=name, artist=artists[slug], defaults={"kind": kind}
            )
            created += was_created
    return f"{len(SYNONYMS)} search synonyms ({created} new)"
