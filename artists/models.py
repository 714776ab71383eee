"""Artists (people and groups), their names, memberships, agencies and links.

Modelled on MusicBrainz: an artist has one display name plus any number of aliases of a
kind (birth name, romanisation, misspelling, epithet...), and a group's line-up is a set
of dated memberships rather than a text field.
"""

from __future__ import annotations

from typing import Self

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from artists.slugs import name_key, unique_names, unique_slug
from core.dates import PlausibleDateField, PlausibleDateTimeField
from core.images import RenditionImageField, validate_image
from core.rows import CarriedList
from core.sanitize import clean_html
from core.urlcache import cached_reverse
from photos.fields import LibraryPhotoField

__all__ = ["Agency", "Artist", "ArtistAlias", "ArtistLink", "Membership"]

http_url = URLValidator(schemes=["http", "https"])


class Agency(models.Model):
    """A company artists sign with: an agency, or a label inside a larger group."""

    name = models.CharField(max_length=200, unique=True)
    native_name = models.CharField(max_length=200, blank=True)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="labels",
        help_text="The company this one belongs to (a label within a group).",
    )
    website = models.URLField(blank=True, validators=[http_url])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="agency")
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.parent_id and self.pk:
            ancestor, seen = self.parent, {self.pk}
            while ancestor is not None:
                if ancestor.pk in seen:
                    raise ValidationError(
                        {
                            "parent": "A company cannot belong to itself or to its own label."
                        }
                    )
                seen.add(ancestor.pk)
                ancestor = ancestor.parent


class ArtistQuerySet(models.QuerySet):
    def matching_name(self, *texts: str) -> Self:
        """Artists any of whose names (stage, native, alias of any kind) is one of ``texts``.

        Case, spacing and punctuation are ignored ("kim tae-hyung" finds V), so search
        and the fan-reaction impersonation check agree on who a name means.
        """
        keys = {key for key in map(name_key, texts) if key}
        if not keys:
            return self.none()
        aliased = ArtistAlias.objects.filter(key__in=keys).values("artist_id")
        return self.filter(
            Q(name_key__in=keys) | Q(native_name_key__in=keys) | Q(pk__in=aliased)
        )

    def named_like(self, text: str) -> Self:
        """Artists with a name (stage, native or alias) containing ``text``.

        The partial-match twin of ``matching_name`` for search boxes: "taehy" finds V.
        """
        key = name_key(text)
        if not key:
            return self.none()
        aliased = ArtistAlias.objects.filter(key__contains=key).values("artist_id")
        return self.filter(
            Q(name_key__contains=key)
            | Q(native_name_key__contains=key)
            | Q(pk__in=aliased)
        )

    def for_index(self) -> Self:
        """A–Z as readers scan it: by sort name, then display name."""
        return self.order_by("sort_name", "name", "pk")

    def for_profile(self) -> Self:
        """Everything the profile page shows about the artist, in a fixed few queries
        (the official links ride in the artist's own query)."""
        return self.annotate(
            **CarriedList.annotations(Artist, "link_list", "alias_list", "agency_list")
        )


class Artist(models.Model):
    """A person or a group that makes music."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        GROUP = "group", "Group"

    name = models.CharField(
        "stage name",
        max_length=200,
        help_text="The name readers know: a stage name or the group's name.",
    )
    native_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="The name in its own script, for example Hangul.",
    )
    sort_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="How the A–Z index files this artist; the stage name when empty.",
    )
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=True,
        blank=True,
        help_text="Made from the name when left empty (Hangul is romanised).",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PERSON)
    disambiguation = models.CharField(
        max_length=200,
        blank=True,
        help_text='Tells same-named artists apart, e.g. "member of BTS".',
    )
    began_on = PlausibleDateField(
        "born or formed on", null=True, blank=True, help_text="Birth or formation date."
    )
    debuted_on = PlausibleDateField(null=True, blank=True)
    country = models.CharField(max_length=100, blank=True)
    fandom_name = models.CharField(
        max_length=100,
        blank=True,
        help_text="What the fans call themselves, for example ARMY or Bunnies.",
    )
    bio = models.TextField(blank=True, help_text="A short biography (rich text).")
    photo = RenditionImageField(
        upload_to="artists/%Y/",
        blank=True,
        validators=[validate_image],
        width_field="photo_width",
        height_field="photo_height",
    )
    photo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    photo_alt = models.CharField(
        "photo alt text",
        max_length=300,
        blank=True,
        help_text="Describe the photo for readers who cannot see it.",
    )
    photo_credit = models.CharField(max_length=200, blank=True)
    # Made by the refresh_image_renditions task (core.renditions); [] until then.
    photo_renditions = models.JSONField(default=list, blank=True, editable=False)
    # The library photo the profile picture is (photos.fields keeps ``photo`` its copy).
    library_photo = LibraryPhotoField(
        image_field="photo",
        alt_field="photo_alt",
        credit_field="photo_credit",
        related_name="portrait_of_artists",
        verbose_name="profile picture",
    )
    # "Artists shown" in a library photo. It is declared here, not on photos.Photo,
    # because photos stands below artists and may not name it (tests/test_house.py).
    photos = models.ManyToManyField(
        "photos.Photo",
        blank=True,
        related_name="artists_shown",
        help_text="Library photos this artist appears in.",
    )
    agencies = models.ManyToManyField(Agency, blank=True, related_name="artists")
    # Matching keys (see artists.slugs.name_key), kept in step by save().
    name_key = models.CharField(
        max_length=200, editable=False, default="", db_index=True
    )
    native_name_key = models.CharField(
        max_length=200, editable=False, default="", db_index=True
    )
    created_at = PlausibleDateTimeField(default=timezone.now, editable=False)
    updated_at = PlausibleDateTimeField(auto_now=True)
    # Names (A), aliases (B) and disambiguation (D) for search; kept current by
    # PostgreSQL triggers on artists and aliases (migration 0010); empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArtistQuerySet.as_manager()

    # The official links, in position order, carried by for_profile() (core.rows).
    link_list = CarriedList(
        "artists.ArtistLink",
        parent="artist",
        fields=("id", "kind", "url", "position"),
        order_by=("position", "id"),
    )
    alias_list = CarriedList(
        "artists.ArtistAlias",
        parent="artist",
        fields=("id", "artist_id", "name", "kind"),
        order_by=("kind", "name"),
    )
    agency_list = CarriedList(
        Agency,
        parent="artists",
        fields=("id", "name", "slug", "parent__id", "parent__name"),
        order_by=("name", "id"),
    )

    class Meta:
        ordering = ["sort_name", "name"]
        indexes = [models.Index(fields=["sort_name", "name"], name="artist_az_idx")]

    def __str__(self) -> str:
        if self.disambiguation:
            return f"{self.name} ({self.disambiguation})"
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = self.name.strip()
        self.sort_name = (self.sort_name or "").strip() or self.name
        self.name_key = name_key(self.name)
        self.native_name_key = name_key(self.native_name)
        self.bio = clean_html(self.bio)
        if not self.slug:
            self.slug = unique_slug(
                self, self.name or self.native_name, fallback="artist"
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return cached_reverse("artists:detail", slug=self.slug)

    def clean(self) -> None:
        if self.photo and not self.photo_alt.strip():
            raise ValidationError(
                {"photo_alt": "Describe the photo for screen readers."}
            )
        if self.began_on and self.debuted_on and self.debuted_on < self.began_on:
            raise ValidationError(
                {"debuted_on": "The debut cannot come before the birth or formation."}
            )

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP

    @property
    def birth_names(self) -> list[str]:
        """Birth (legal) names, from the aliases (carried on profile pages)."""
        return [
            alias.name
            for alias in self.alias_list
            if alias.kind == ArtistAlias.Kind.BIRTH_NAME
        ]

    def all_names(self) -> list[str]:
        """Every name of the artist, display name first, without repeats.

        Search indexes and the impersonation check use this list, so a new alias kind
        is covered without touching them.
        """
        return unique_names(
            [self.name, self.native_name, self.sort_name]
            + [alias.name for alias in self.alias_list]
        )


class ArtistAlias(models.Model):
    """Another name of an artist that readers use: searchable, rarely displayed."""

    class Kind(models.TextChoices):
        BIRTH_NAME = "birth_name", "Birth (legal) name"
        ROMANISATION = "romanisation", "Romanisation"
        NATIVE = "native", "Name in another script"
        NICKNAME = "nickname", "Nickname"
        EPITHET = "epithet", "Epithet"
        MISSPELLING = "misspelling", "Common misspelling"
        FORMER_NAME = "former_name", "Former name"

    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name_plural = "artist aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["artist", "name"],
                name="unique_alias_per_artist",
                violation_error_message="This artist already has this alias.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = self.name.strip()
        self.key = name_key(self.name)
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        """Misspellings help search but are never shown as the artist's names."""
        return self.kind != self.Kind.MISSPELLING


class ArtistLink(models.Model):
    """An official page of an artist: website or channel."""

    class Kind(models.TextChoices):
        WEBSITE = "website", "Official website"
        YOUTUBE = "youtube", "YouTube"
        INSTAGRAM = "instagram", "Instagram"
        X = "x", "X (Twitter)"
        TIKTOK = "tiktok", "TikTok"
        WEVERSE = "weverse", "Weverse"
        OTHER = "other", "Other"

    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.WEBSITE)
    url = models.URLField("URL", max_length=500, validators=[http_url])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["artist", "url"],
                name="unique_link_per_artist",
                violation_error_message="This link is already listed.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.url}"


class MembershipQuerySet(models.QuerySet):
    def involving(self, artist: Artist) -> Self:
        """One query for both sides of a profile: the groups of a person, the members
        of a group; earliest first, current before former within a date."""
        return (
            self.filter(Q(member=artist) | Q(group=artist))
            .select_related("member", "group")
            .order_by(
                models.F("ended_on").asc(nulls_first=True),
                models.F("began_on").asc(nulls_last=True),
                "member__sort_name",
                "pk",
            )
        )


class Membership(models.Model):
    """A person's time in a group, with a role; open-ended while they are a member."""

    member = models.ForeignKey(
        Artist, on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(
        Artist, on_delete=models.CASCADE, related_name="member_memberships"
    )
    role = models.CharField(max_length=200, blank=True)
    began_on = PlausibleDateField(null=True, blank=True)
    ended_on = PlausibleDateField(
        null=True, blank=True, help_text="Leave empty while the person is a member."
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["began_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(began_on__isnull=True)
                | Q(ended_on__gte=models.F("began_on")),
                name="membership_ends_after_it_begins",
                violation_error_message="A membership cannot end before it begins.",
            ),
            models.CheckConstraint(
                condition=~Q(member=models.F("group")),
                name="membership_not_self",
                violation_error_message="An artist cannot be a member of itself.",
            ),
            models.UniqueConstraint(
                fields=["member", "group", "began_on"],
                name="unique_membership_start",
                violation_error_message="This membership is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.group}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        member, group = self._side("member"), self._side("group")
        if member is not None and member.kind != Artist.Kind.PERSON:
            errors["member"] = "Only a person can be a member of a group."
        if group is not None and group.kind != Artist.Kind.GROUP:
            errors["group"] = "Members can only join an artist that is a group."
        if member is not None and group is not None and member.pk == group.pk:
            errors["group"] = "An artist cannot be a member of itself."
        if self.began_on and self.ended_on and self.ended_on < self.began_on:
            errors["ended_on"] = "A membership cannot end before it begins."
        if errors:
            raise ValidationError(errors)

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def _side(self, field: str) -> Artist | None:
        # An admin inline sets the (possibly unsaved) parent object, not its id.
        try:
            return getattr(self, field)
        except Artist.DoesNotExist:
            return None
