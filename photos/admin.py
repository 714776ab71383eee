"""The photo desk in the staff site: a searchable library, the focal point set by a
click on the picture, where each photo is used, and the chooser's endpoints."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import path
from django.utils.html import format_html, format_html_join

from photos import chooser
from photos.models import Photo
from photos.usage import uses_of


def photo_thumbnail(photo: Photo, size: int = 64) -> str:
    url = photo.file.renditions.smallest_url or (photo.file.url if photo.file else "")
    if not url:
        return "—"
    return format_html(
        '<img class="photo-thumb" src="{}" alt="{}" width="{}" height="{}" '
        'loading="lazy">',
        url,
        photo.alt_text,
        size,
        size,
    )


class PhotoForm(forms.ModelForm):
    """The photo's own fields plus the artists shown, a relation the artists app
    declares (``Artist.photos``): the library offers it when that app is there."""

    class Meta:
        model = Photo
        fields = [
            "file",
            "alt_text",
            "caption",
            "credit",
            "copyright_holder",
            "usage_kind",
            "usage_terms",
            "source_url",
            "focal_x",
            "focal_y",
            "tags",
        ]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1}),
            "caption": forms.Textarea(attrs={"rows": 2}),
            "usage_terms": forms.Textarea(attrs={"rows": 2}),
        }

    source_url = forms.URLField(
        label="source URL", max_length=500, required=False, assume_scheme="https"
    )
    artists_shown = forms.ModelMultipleChoiceField(
        queryset=Photo.objects.none(),  # the artists, set in __init__
        required=False,
        widget=admin.widgets.FilteredSelectMultiple("artists", is_stacked=False),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        relation = artists_relation()
        if relation is None:
            del self.fields["artists_shown"]
            return
        field = self.fields["artists_shown"]
        field.queryset = relation.related_model._default_manager.order_by("name")
        if self.instance.pk:
            field.initial = list(
                self.instance.artists_shown.values_list("pk", flat=True)
            )


def artists_relation():
    """The reverse relation ``artists_shown`` when an app declares it, else None."""
    for relation in Photo._meta.related_objects:
        if relation.get_accessor_name() == "artists_shown":
            return relation
    return None


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoForm
    list_display = [
        "thumbnail",
        "alt_text",
        "credit",
        "usage_kind",
        "uploaded_at",
        "uploaded_by",
    ]
    list_display_links = ["thumbnail", "alt_text"]
    list_select_related = ["uploaded_by"]
    list_filter = ["usage_kind", ("tags", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "uploaded_at"
    search_fields = ["search_text"]
    search_help_text = (
        "Any word of the alt text, caption, credit, copyright holder, usage terms, "
        "source, tags or artists shown."
    )
    ordering = ["-uploaded_at", "-pk"]
    readonly_fields = [
        "artists_list",
        "focal_picker",
        "where_used",
        "width",
        "height",
        "uploaded_by",
        "uploaded_at",
    ]
    list_per_page = 50

    class Media:
        css = {"all": ["photos/admin/photos.css"]}
        js = ["photos/admin/focal_point.js"]

    def get_list_filter(self, request: HttpRequest) -> list:
        filters = list(super().get_list_filter(request))
        if artists_relation() is not None:
            filters.insert(0, ("artists_shown", admin.RelatedOnlyFieldListFilter))
        return filters

    def get_fieldsets(self, request: HttpRequest, obj: Photo | None = None) -> list:
        picture = ["file", "focal_picker", "focal_x", "focal_y", "width", "height"]
        about = ["alt_text", "caption", "tags"]
        if artists_relation() is not None:
            may_edit = obj is None or self.has_change_permission(request, obj)
            about.append("artists_shown" if may_edit else "artists_list")
        return [
            (None, {"fields": picture}),
            ("What it shows", {"fields": about}),
            (
                "Rights",
                {
                    "fields": [
                        "credit",
                        "copyright_holder",
                        "usage_kind",
                        "usage_terms",
                        "source_url",
                    ]
                },
            ),
            ("Record", {"fields": ["uploaded_by", "uploaded_at", "where_used"]}),
        ]

    def get_urls(self) -> list:
        return [
            path(
                "chooser/",
                self.admin_site.admin_view(chooser.choose),
                name="photos_photo_chooser",
            ),
            path(
                "chooser/upload/",
                self.admin_site.admin_view(chooser.upload),
                name="photos_photo_chooser_upload",
            ),
            path(
                "chooser/stories/",
                self.admin_site.admin_view(chooser.choose_story),
                name="photos_story_chooser",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="picture")
    def thumbnail(self, photo: Photo) -> str:
        return photo_thumbnail(photo)

    @admin.display(description="focal point (click the picture)")
    def focal_picker(self, photo: Photo) -> str:
        if not photo.pk or not photo.file:
            return "Save the photo first, then click what must stay in frame."
        return format_html(
            '<div class="focal-picker" data-focal-x="{}" data-focal-y="{}">'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-marker" aria-hidden="true"></span></div>',
            photo.focal_x,
            photo.focal_y,
            photo.file.src,
            photo.alt_text,
            photo.width or "",
            photo.height or "",
        )

    @admin.display(description="artists shown")
    def artists_list(self, photo: Photo) -> str:
        return ", ".join(str(artist) for artist in photo.shown_artists()) or "—"

    @admin.display(description="where used")
    def where_used(self, photo: Photo) -> str:
        uses = uses_of(photo.pk) if photo.pk else []
        if not uses:
            return "Not used anywhere yet."
        return format_html(
            "<ul class='photo-uses'>{}</ul>",
            format_html_join(
                "",
                '<li>{}: <a href="{}">{}</a></li>',
                ((use.what, use.admin_url, use.label) for use in uses),
            ),
        )

    def save_model(self, request, obj: Photo, form, change: bool) -> None:
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if "artists_shown" in form.cleaned_data:
            form.instance.artists_shown.set(form.cleaned_data["artists_shown"])
        form.instance.refresh_search_text()

    def get_deleted_objects(self, objs, request: HttpRequest):
        """A photo still in use is never deleted: the page lists where it is used."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        in_use = [
            format_html(
                '{} “{}” is used by {}: <a href="{}">{}</a>',
                "Photo",
                photo,
                use.what,
                use.admin_url,
                use.label,
            )
            for photo in objs
            for use in uses_of(photo.pk)
        ]
        # The list names every use, foreign keys included (those Django lists too).
        return deleted, counts, perms_needed, in_use or protected

    def has_change_permission(self, request: HttpRequest, obj: Photo | None = None):
        """Writers edit the photos they uploaded; editors (change_photo) any."""
        if super().has_change_permission(request, obj):
            return True
        return bool(
            obj is not None
            and obj.uploaded_by_id == request.user.pk
            and request.user.has_perm("photos.add_photo")
        )
