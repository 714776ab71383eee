"""Demo artists from shared/domain.md, written in our own words."""

from artists.models import Artist

ARTISTS = [
    {"slug": "iu", "name": "IU", "kind": Artist.Kind.PERSON},
    {"slug": "v", "name": "V", "kind": Artist.Kind.PERSON},
    {"slug": "bts", "name": "BTS", "kind": Artist.Kind.GROUP},
    {"slug": "newjeans", "name": "NewJeans", "kind": Artist.Kind.GROUP},
    {"slug": "hyein", "name": "Hyein", "kind": Artist.Kind.PERSON},
    {"slug": "dpr-ian", "name": "DPR IAN", "kind": Artist.Kind.PERSON},
]


def load() -> str:
    """Create or update the demo artists by slug, so a second run changes nothing."""
    created = 0
    for data in ARTISTS:
        _, was_created = Artist.objects.update_or_create(
            slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"}
        )
        created += was_created
    return f"{len(ARTISTS)} artists ({created} new)"
