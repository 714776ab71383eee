"""The picture chooser on forms: a hidden id, a thumbnail of the chosen photo, and a
button opening the library (search, filter, newest first, upload in place)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse


def chooser_urls() -> dict[str, str]:
    """The endpoints ``photos/admin/chooser.js`` calls (PhotoAdmin.get_urls)."""
    return {
        "data-photo-chooser": reverse("admin:photos_photo_chooser"),
        "data-photo-upload": reverse("admin:photos_photo_chooser_upload"),
        "data-story-chooser": reverse("admin:photos_story_chooser"),
    }


CHOOSER_MEDIA = forms.Media(
    css={"all": ["photos/admin/chooser.css"]}, js=["photos/admin/chooser.js"]
)


class PhotoChooserWidget(forms.Widget):
    """A ``photos.Photo`` id chosen from the library (LibraryPhotoField's widget)."""

    # Not a HiddenInput: the admin hides the rows of hidden widgets.
    template_name = "photos/widgets/photo_chooser.html"

    def __init__(self, photo_model, attrs: dict | None = None) -> None:
        # The model comes from the field (photos.models imports this module).
        self.photo_model = photo_model
        super().__init__(attrs)

    @property
    def media(self) -> forms.Media:
        return CHOOSER_MEDIA

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        photo = None
        if value not in (None, "") and str(value).isdigit():
            photo = self.photo_model._default_manager.filter(pk=int(value)).first()
        context["photo"] = photo
        context["thumbnail"] = (
            (photo.file.renditions.smallest_url or photo.file.url) if photo else ""
        )
        context["urls"] = chooser_urls()
        return context
