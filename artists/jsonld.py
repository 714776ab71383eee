"""schema.org JSON-LD for artist pages (MusicGroup / Person), built as plain dicts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from artists.models import Artist, Membership
from core.urlcache import url_of


def _person_or_group(artist: Artist, request: HttpRequest) -> dict[str, Any]:
    data = {"@type": "MusicGroup" if artist.is_group else "Person", "name": artist.name}
    path = url_of(artist)  # None for a slug that makes no address: named only
    if path is not None:
        data["url"] = request.build_absolute_uri(path)
    return data


def _role(membership: Membership, key: str, other: Artist, request: HttpRequest):
    role: dict[str, Any] = {
        "@type": "OrganizationRole" if key == "memberOf" else "Role",
        key: _person_or_group(other, request),
    }
    if membership.role:
        role["roleName"] = membership.role
    if membership.began_on:
        role["startDate"] = membership.began_on.isoformat()
    if membership.ended_on:
        role["endDate"] = membership.ended_on.isoformat()
    return role


def artist_jsonld(
    artist: Artist,
    *,
    members: list[Membership],
    groups: list[Membership],
    request: HttpRequest,
) -> dict[str, Any]:
    """The artist as schema.org data, so search engines read names, dates and line-ups."""
    data: dict[str, Any] = {"@context": "https://schema.org"}
    data.update(_person_or_group(artist, request))
    alternate = [name for name in artist.all_names() if name != artist.name]
    # Misspellings help readers' searches but are not the artist's names.
    hidden = {a.name for a in artist.alias_list if not a.is_public}
    alternate = [name for name in alternate if name not in hidden]
    if alternate:
        data["alternateName"] = alternate
    if artist.disambiguation:
        data["description"] = artist.disambiguation
    if artist.began_on:
        data["birthDate" if not artist.is_group else "foundingDate"] = (
            artist.began_on.isoformat()
        )
    if artist.is_group and artist.debuted_on and "foundingDate" not in data:
        data["foundingDate"] = artist.debuted_on.isoformat()
    if artist.photo:
        data["image"] = request.build_absolute_uri(artist.photo.url)
    links = [link.url for link in artist.link_list]
    if links:
        data["sameAs"] = links
    agencies = artist.agency_list
    if agencies:
        data["affiliation" if not artist.is_group else "recordLabel"] = [
            {"@type": "Organization", "name": agency.name} for agency in agencies
        ]
    if artist.is_group and members:
        data["member"] = [_role(m, "member", m.member, request) for m in members]
    if not artist.is_group and groups:
        data["memberOf"] = [_role(m, "memberOf", m.group, request) for m in groups]
    return data
