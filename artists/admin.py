"""Editors keep the artist knowledge base right quickly: search any name, pick artists
by autocomplete, edit aliases, links and line-ups on the artist's own page."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from artists.models import Agency, Artist, ArtistAlias, ArtistLink, Membership
from core.sanitize import SanitizeReportAdminMixin, clean_html

# Editors paste addresses without a scheme; assume HTTPS (Django 6's default).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class SortableInlineMixin:
    """Tabular inline whose rows editors drag to renumber their position field."""

    classes = ["sortable-inline"]

    class Media:
        js = ["artists/admin/sortable_inline.js"]
        css = {"all": ["artists/admin/sortable_inline.css"]}


def thumbnail(image, alt: str, size: int = 48) -> str:
    """A small preview for changelists and forms; a dash when there is no image."""
    if not image:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}">',
        image.url,
        alt,
        size,
        size,
    )


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["name", "native_name", "parent"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "native_name", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}


class ArtistAliasInline(admin.TabularInline):
    model = ArtistAlias
    extra = 0
    fields = ["name", "kind"]


class ArtistLinkInline(SortableInlineMixin, admin.TabularInline):
    formfield_overrides = URL_FIELD_OVERRIDES
    model = ArtistLink
    extra = 0
    fields = ["kind", "url", "position"]


class GroupMembersInline(admin.TabularInline):
    """On a group's page: its members, current and former."""

    model = Membership
    fk_name = "group"
    extra = 0
    verbose_name = "member"
    verbose_name_plural = "members (a group's line-up)"
    autocomplete_fields = ["member"]
    fields = ["member", "role", "began_on", "ended_on"]


class PersonGroupsInline(admin.TabularInline):
    """On a person's page: the groups they belong or belonged to."""

    model = Membership
    fk_name = "member"
    extra = 0
    verbose_name = "group membership"
    verbose_name_plural = "group memberships (a person's groups)"
    autocomplete_fields = ["group"]
    fields = ["group", "role", "began_on", "ended_on"]


@admin.register(Artist)
class ArtistAdmin(SanitizeReportAdminMixin, admin.ModelAdmin):
    sanitized_fields = {"bio": clean_html}
    list_display = [
        "photo_thumbnail",
        "name",
        "native_name",
        "kind",
        "agency_names",
        "debuted_on",
    ]
    list_display_links = ["photo_thumbnail", "name"]
    list_filter = ["kind", ("agencies", admin.RelatedOnlyFieldListFilter), "country"]
    search_help_text = (
        "Stage name, native name, alias (birth name, misspelling...) or slug."
    )
    search_fields = [
        "name",
        "native_name",
        "sort_name",
        "slug",
        "disambiguation",
        "aliases__name",
    ]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["agencies"]
    readonly_fields = ["photo_preview", "created_at", "updated_at"]
    inlines = [
        ArtistAliasInline,
        ArtistLinkInline,
        GroupMembersInline,
        PersonGroupsInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "native_name",
                    "sort_name",
                    "slug",
                    "kind",
                    "disambiguation",
                ]
            },
        ),
        ("Dates and place", {"fields": ["began_on", "debuted_on", "country"]}),
        ("Fans", {"fields": ["fandom_name"]}),
        ("Agencies", {"fields": ["agencies"]}),
        ("Biography", {"fields": ["bio"]}),
        (
            "Photo",
            {
                "fields": [
                    "library_photo",
                    "photo",
                    "photo_preview",
                    "photo_alt",
                    "photo_credit",
                ],
                "description": "Choose a picture from the photo library (its alt "
                "text and credit come with it), or upload one here: it joins the "
                "library.",
            },
        ),
        ("Record", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Artist]:
        return super().get_queryset(request).prefetch_related("agencies")

    @admin.display(description="photo")
    def photo_thumbnail(self, artist: Artist) -> str:
        return thumbnail(artist.photo, artist.photo_alt)

    @admin.display(description="current photo")
    def photo_preview(self, artist: Artist) -> str:
        return thumbnail(artist.photo, artist.photo_alt, size=160)

    @admin.display(description="agencies")
    def agency_names(self, artist: Artist) -> str:
        return ", ".join(agency.name for agency in artist.agencies.all()) or "—"

    def get_inlines(self, request: HttpRequest, obj: Artist | None):
        # A person has groups, a group has members; a new artist may be either.
        if obj is None:
            return self.inlines
        unwanted = PersonGroupsInline if obj.is_group else GroupMembersInline
        return [inline for inline in self.inlines if inline is not unwanted]
