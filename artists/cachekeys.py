"""What artist pages show and what changes to artists reach (core.pagedeps keys)."""

from __future__ import annotations

from artists.models import Agency, Artist, ArtistAlias, ArtistLink, Membership
from core.pagedeps import register_keys, register_page


def register() -> None:
    register_keys(
        Artist,
        shows=lambda a: [f"artist:{a.pk}"],
        touches=lambda a: [f"artist:{a.pk}", "list:artists", "sitemap"],
    )
    register_keys(
        Agency,
        shows=lambda a: [f"agency:{a.pk}"],
        touches=lambda a: [f"agency:{a.pk}", "list:artists"],
    )
    for model in (ArtistAlias, ArtistLink):
        register_keys(model, touches=lambda row: [f"artist:{row.artist_id}"])
    register_keys(
        Membership,
        touches=lambda m: [f"artist:{m.member_id}", f"artist:{m.group_id}"],
    )
    register_keys(
        Artist.agencies.through, touches=lambda row: [f"artist:{row.artist_id}"]
    )

    def artist_lists(kwargs: dict, shown: list) -> list[str]:
        # The profile lists the stories about the artist: a story linked later
        # touches list:artist:<id> (articles.cachekeys).
        slug = kwargs.get("slug")
        return [
            f"list:artist:{row.pk}"
            for row in shown
            if isinstance(row, Artist) and row.slug == slug
        ]

    register_page("artists:detail", artist_lists)
    register_page("artists:feed", lambda kw, shown: ["feed", *artist_lists(kw, shown)])
    register_page("artists:index", lambda kw, shown: ["list:artists"])
