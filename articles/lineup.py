"""Group lineups as they were on a story's publication day (issue 22).

A story from 2019 about a member who left in 2023 should still say the member
belonged to the group then ("then a member of …"), and a story about a group lists
the members it had that day, not today's. One query reads every membership of the
story's artists that was running on the day; the chips and the JSON-LD share it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from artists.models import Membership


@dataclass
class Lineup:
    """Who was in which group on ``day``, for the story's artists."""

    day: datetime.date
    # person id -> memberships of that day (groups they were in)
    groups_of: dict[int, list[Membership]] = field(default_factory=dict)
    # group id -> memberships of that day (its members then)
    members_of: dict[int, list[Membership]] = field(default_factory=dict)

    def note_for(self, artist_id: int) -> str:
        """ "then a member of BTS" (left since) or "member of BTS" (still is)."""
        parts = []
        for membership in self.groups_of.get(artist_id, []):
            left = membership.ended_on is not None
            parts.append(
                f"{'then a member' if left else 'member'} of {membership.group.name}"
            )
        return "; ".join(parts)

    def groups(self, artists) -> list[tuple[Any, list[Membership]]]:
        """(group, its members on the day) for each group among ``artists``."""
        return [
            (artist, self.members_of[artist.pk])
            for artist in artists
            if self.members_of.get(artist.pk)
        ]


# What a chip, a lineup line and the JSON-LD read of each artist.
SHOWN = ("name", "slug", "sort_name", "kind")


def running_on(day: datetime.date) -> Q:
    """Memberships that had begun and not yet ended on ``day`` (the end day counts)."""
    return (Q(began_on__isnull=True) | Q(began_on__lte=day)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=day)
    )


def story_lineup(article: Article) -> Lineup:
    """The lineup on the story's publication day (today for an unpublished preview).

    Kept on the story for the rest of the render: the chips and the structured data
    both ask, and the answer costs one query.
    """
    cached = getattr(article, "_lineup", None)
    if cached is not None:
        return cached
    moment = article.published_at or timezone.now()
    lineup = Lineup(day=timezone.localtime(moment).date())
    ids = [artist.pk for artist in article.artist_list]
    if ids:
        memberships = (
            Membership.objects.filter(Q(member_id__in=ids) | Q(group_id__in=ids))
            .filter(running_on(lineup.day))
            .select_related("member", "group")
            # Names and addresses only: an artist row also holds a biography and
            # a search vector no chip reads.
            .only(
                "member_id",
                "group_id",
                "role",
                "began_on",
                "ended_on",
                *(f"{side}__{name}" for side in ("member", "group") for name in SHOWN),
            )
            .order_by("member__sort_name", "member__name", "pk")
        )
        for membership in memberships:
            if membership.member_id in ids:
                lineup.groups_of.setdefault(membership.member_id, []).append(membership)
            if membership.group_id in ids:
                lineup.members_of.setdefault(membership.group_id, []).append(membership)
    article._lineup = lineup
    return lineup


def about_jsonld(article: Article) -> list[dict[str, Any]]:
    """schema.org ``about`` entries: people with the groups they were in on the day
    (an OrganizationRole with its dates), groups with their members of the day."""
    lineup = story_lineup(article)
    about = []
    for artist in article.artist_list:
        members = lineup.members_of.get(artist.pk)
        groups = lineup.groups_of.get(artist.pk)
        if members:
            about.append(
                {
                    "@type": "MusicGroup",
                    "name": artist.name,
                    "member": [
                        {"@type": "Person", "name": m.member.name} for m in members
                    ],
                }
            )
        elif groups:
            roles = []
            for membership in groups:
                role: dict[str, Any] = {
                    "@type": "OrganizationRole",
                    "memberOf": {"@type": "MusicGroup", "name": membership.group.name},
                }
                if membership.began_on:
                    role["startDate"] = membership.began_on.isoformat()
                if membership.ended_on:
                    role["endDate"] = membership.ended_on.isoformat()
                roles.append(role)
            about.append({"@type": "Person", "name": artist.name, "memberOf": roles})
        else:
            about.append({"@type": "Thing", "name": artist.name})
    return about
