"""Editors enter a release on one page (credits and tracklist inline), a track's
featured artists on the track, and music videos with autocomplete pickers."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from artists.admin import URL_FIELD_OVERRIDES, SortableInlineMixin, thumbnail
from core.sanitize import SanitizeReportAdminMixin, clean_html
from discography import admin_events  # noqa: F401 - registers the events desk
from discography.event_services import sync_release_drop
from discography.forms import RunningTimeField
from discography.models import (
    MusicVideo,
    Release,
    ReleaseCredit,
    StreamingLink,
    Track,
    TrackFeature,
)


class ReleaseYearFilter(admin.SimpleListFilter):
    """Filter releases by the year they came out (years that have releases only)."""

    title = "release year"
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        years = Release.objects.dates("released_on", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(released_on__year=int(value))
        return queryset


# Positions far above any real tracklist, used only inside one save.
PARKING_POSITION = 30000


def park_moved_tracks(formset) -> None:
    """Move re-numbered or deleted tracks out of the way before the formset saves.

    Rows are saved one at a time, so swapping two positions would trip the unique
    (release, disc, position) constraint halfway through; the formset has already
    checked that the final numbering is free of duplicates.
    """
    moving = [
        form.instance.pk
        for form in formset.initial_forms
        if form.instance.pk
        and (
            formset._should_delete_form(form)
            or {"disc", "position"} & set(form.changed_data)
        )
    ]
    for offset, pk in enumerate(moving):
        Track.objects.filter(pk=pk).update(position=PARKING_POSITION + offset)


class ReleaseCreditInline(SortableInlineMixin, admin.TabularInline):
    model = ReleaseCredit
    extra = 0
    min_num = 1
    autocomplete_fields = ["artist"]
    fields = ["position", "join_phrase", "artist", "credited_as"]
    verbose_name = "credited artist"


RUNNING_TIME_OVERRIDES = {
    models.DurationField: {"form_class": RunningTimeField},
}


class TrackInline(SortableInlineMixin, admin.TabularInline):
    model = Track
    formfield_overrides = RUNNING_TIME_OVERRIDES
    extra = 0
    fields = [
        "disc",
        "position",
        "title",
        "duration",
        "is_title_track",
        "pre_released_on",
    ]
    show_change_link = True  # featured artists are edited on the track's page


class StreamingLinkInline(SortableInlineMixin, admin.TabularInline):
    """Melon, Spotify, Apple Music, YouTube Music: each link is checked against
    its service (StreamingLink.clean)."""

    model = StreamingLink
    extra = 0
    fields = ["service", "url", "position"]


@admin.register(Release)
class ReleaseAdmin(SanitizeReportAdminMixin, admin.ModelAdmin):
    sanitized_fields = {"description": clean_html}
    list_display = [
        "cover_thumbnail",
        "title",
        "credited_artists",
        "kind",
        "released_on",
        "label",
    ]
    list_display_links = ["cover_thumbnail", "title"]
    list_select_related = ["label"]
    list_filter = [
        "kind",
        ("label", admin.RelatedOnlyFieldListFilter),
        ReleaseYearFilter,
    ]
    search_fields = [
        "title",
        "slug",
        "credits__artist__name",
        "credits__artist__native_name",
        "credits__artist__aliases__name",
        "tracks__title",
    ]
    search_help_text = "Title, artist (any name or alias) or track title."
    date_hierarchy = "released_on"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["label"]
    readonly_fields = ["cover_preview"]
    inlines = [ReleaseCreditInline, TrackInline, StreamingLinkInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "released_on", "label"]}),
        (
            "Drop time (puts the release on the calendar)",
            {"fields": ["release_time", "release_time_zone"]},
        ),
        (
            "Cover",
            {
                "fields": ["cover_photo", "cover", "cover_preview", "cover_alt"],
                "description": "Choose the cover from the photo library, or upload "
                "it here: it joins the library.",
            },
        ),
        ("Description", {"fields": ["description"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Release]:
        return super().get_queryset(request).for_listing()

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # After the credits: the drop event takes the credited artists.
        sync_release_drop(release=form.instance, by=request.user)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is Track:
            park_moved_tracks(formset)
        super().save_formset(request, form, formset, change)

    @admin.display(description="cover")
    def cover_thumbnail(self, release: Release) -> str:
        return thumbnail(release.cover, release.cover_alt)

    @admin.display(description="current cover")
    def cover_preview(self, release: Release) -> str:
        return thumbnail(release.cover, release.cover_alt, size=200)

    @admin.display(description="artists")
    def credited_artists(self, release: Release) -> str:
        return release.artist_credit or "—"


class TrackFeatureInline(SortableInlineMixin, admin.TabularInline):
    model = TrackFeature
    extra = 0
    autocomplete_fields = ["artist"]
    fields = ["position", "join_phrase", "artist", "credited_as"]
    verbose_name = "featured artist"


class MusicVideoInline(admin.StackedInline):
    formfield_overrides = URL_FIELD_OVERRIDES
    model = MusicVideo
    extra = 0
    autocomplete_fields = ["director_artist", "cast"]


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    formfield_overrides = RUNNING_TIME_OVERRIDES
    list_display = [
        "title",
        "release",
        "disc",
        "position",
        "duration",
        "is_title_track",
    ]
    list_select_related = ["release"]
    list_filter = ["is_title_track", "release__kind"]
    search_fields = ["title", "release__title", "features__artist__name"]
    autocomplete_fields = ["release"]
    inlines = [TrackFeatureInline, MusicVideoInline]


@admin.register(MusicVideo)
class MusicVideoAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = ["__str__", "director", "released_on"]
    list_select_related = ["track"]
    search_fields = ["title", "track__title", "director", "cast__name"]
    autocomplete_fields = ["track", "director_artist", "cast"]
    date_hierarchy = "released_on"
