"""``LibraryPhotoField``: how a story, artist, release or post points at its picture.

The apps above declare, beside the picture fields their templates already read
(``hero_image`` with ``hero_alt``, ``hero_credit``...), a foreign key to the library::

    hero_photo = LibraryPhotoField(
        image_field="hero_image", alt_field="hero_alt", credit_field="hero_credit",
        caption_field="hero_caption",
    )

The library photo is the truth; the image field keeps a copy of its file *name* (the
same stored file, never a second one), its size and renditions list, so reader pages
show the picture without a join or a query, exactly as before. Alt text and credit
follow the photo; the caption is the story's own unless left empty.

Two ways in, one library: choosing a photo copies it into the image field; a file
uploaded straight to the image field (the demo loader, scripts, an old form) becomes a
library photo after the save. Editing a photo updates every row that shows it.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Model, signals

from core import pagecache
from core.images import received_new_upload
from core.renditions import DERIVED_FROM
from core.tasks import schedule_image_renditions
from photos.widgets import PhotoChooserWidget

# Every LibraryPhotoField of the project, for following a photo's edits.
_LIBRARY_FIELDS: list[LibraryPhotoField] = []


class LibraryPhotoField(models.ForeignKey):
    """A nullable, protected foreign key to ``photos.Photo`` mirrored into an image
    field; migrations see a plain ForeignKey (the mirroring is behaviour)."""

    def __init__(
        self,
        *args: Any,
        image_field: str = "",
        alt_field: str = "",
        credit_field: str = "",
        caption_field: str = "",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("to", "photos.Photo")
        kwargs.setdefault("on_delete", models.PROTECT)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        self.image_field = image_field
        self.alt_field = alt_field
        self.credit_field = credit_field
        self.caption_field = caption_field
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> Any:
        """The library chooser (photos.widgets), wherever a form offers the field."""
        if kwargs.get("widget") is None:
            kwargs["widget"] = PhotoChooserWidget(self.remote_field.model)
        return super().formfield(**kwargs)

    def deconstruct(self) -> tuple:
        name, _, args, kwargs = super().deconstruct()
        return name, "django.db.models.ForeignKey", args, kwargs

    def contribute_to_class(self, cls: type[Model], name: str, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract and self.image_field:
            signals.post_init.connect(self._remember, sender=cls, weak=False)
            signals.pre_save.connect(self._before_save, sender=cls, weak=False)
            signals.post_save.connect(self._after_save, sender=cls, weak=False)
            _LIBRARY_FIELDS.append(self)

    # --- the copy kept in the image field ---------------------------------------------

    def _image(self) -> models.ImageField:
        return self.model._meta.get_field(self.image_field)

    def mirrored_values(self, photo) -> dict[str, Any]:
        """The columns copied from ``photo`` (caption aside: it is per use)."""
        image = self._image()
        values: dict[str, Any] = {
            image.attname: photo.file.name,
            image.renditions_field: carried_renditions(photo),
        }
        if image.width_field:
            values[image.width_field] = photo.width
        if image.height_field:
            values[image.height_field] = photo.height
        if self.alt_field:
            values[self.alt_field] = photo.alt_text
        if self.credit_field:
            values[self.credit_field] = photo.credit
        return values

    def _loaded_key(self) -> str:
        return f"_library_loaded_{self.attname}"

    def _remember(self, sender, instance: Model, **kwargs) -> None:
        """What the row held when loaded (or last saved): a save then knows whether
        the photo or the image field itself was changed."""
        image = instance.__dict__.get(self._image().attname)
        instance.__dict__[self._loaded_key()] = (
            instance.__dict__.get(self.attname),
            getattr(image, "name", image) or "",
        )

    def _before_save(
        self, sender, instance: Model, raw: bool = False, update_fields=None, **kwargs
    ) -> None:
        if raw or (update_fields is not None and self.attname not in update_fields):
            return
        loaded_photo, loaded_name = instance.__dict__.get(
            self._loaded_key(), (None, "")
        )
        photo_id = getattr(instance, self.attname)
        image = getattr(instance, self.image_field)
        name = (image.name if image else "") or ""
        if received_new_upload(instance, self.image_field) or (
            name != loaded_name and photo_id == loaded_photo
        ):
            # The image field itself was given a file (becomes a new library photo
            # after the save) or was cleared.
            setattr(instance, self.attname, None)
            return
        if photo_id is None:
            if loaded_photo is not None:  # the chosen photo was removed
                setattr(instance, self.image_field, None)
                setattr(instance, self._image().renditions_field, [])
            return
        photo = getattr(instance, self.name)
        for column, value in self.mirrored_values(photo).items():
            setattr(instance, column, value)
        if self.caption_field and not getattr(instance, self.caption_field):
            setattr(instance, self.caption_field, photo.caption[:300])

    def _after_save(self, sender, instance: Model, raw: bool = False, **kwargs) -> None:
        if raw:
            return
        image = getattr(instance, self.image_field)
        if image and getattr(instance, self.attname) is None:
            self._adopt(instance, kwargs.get("using"))
        elif image and not getattr(instance, self._image().renditions_field):
            schedule_image_renditions(instance, self.image_field)
        self._remember(sender, instance)

    def _adopt(self, instance: Model, using: str | None) -> None:
        """Make the picture stored in the image field a library photo (same file)."""
        photo_model = self.remote_field.model
        image = getattr(instance, self.image_field)
        image_field = self._image()
        photo = photo_model(
            file=image.name,
            width=getattr(instance, image_field.width_field or "", None),
            height=getattr(instance, image_field.height_field or "", None),
            file_renditions=getattr(instance, image_field.renditions_field) or [],
            alt_text=getattr(instance, self.alt_field, "") if self.alt_field else "",
            credit=getattr(instance, self.credit_field, "")
            if self.credit_field
            else "",
            caption=getattr(instance, self.caption_field, "")
            if self.caption_field
            else "",
        )
        photo.save(using=using)
        # The crops made while saving the photo (inline, without a worker) found no
        # row pointing at it yet: this row takes them now.
        carried = carried_renditions(photo)
        type(instance)._base_manager.using(using).filter(pk=instance.pk).update(
            **{self.attname: photo.pk, image_field.renditions_field: carried}
        )
        setattr(instance, image_field.renditions_field, carried)
        setattr(instance, self.name, photo)


def _photo_saved(sender, instance, created: bool = False, raw: bool = False, **kwargs):
    if not (created or raw):
        follow_photo(instance, using=kwargs.get("using"))


signals.post_save.connect(_photo_saved, sender="photos.Photo", weak=False)


def follow_photo(photo, using: str | None = None) -> None:
    """Copy a photo's file, size, renditions, alt text and credit into every row
    that shows it (called after the photo is saved)."""
    changed = []
    for field in _LIBRARY_FIELDS:
        rows = field.model._base_manager.using(using).filter(
            **{field.attname: photo.pk}
        )
        if rows.update(**field.mirrored_values(photo)):
            changed.append(field.model)
            if not photo.file_renditions:
                for row in rows:
                    schedule_image_renditions(row, field.image_field)
    if changed:
        pagecache.content_changed(photo, using=using)


def carried_renditions(photo) -> list[dict[str, Any]]:
    """What a row showing the photo lists: the file's renditions, then the photo's
    focal-point crops (photos.crops) for cards. Crops only follow renditions: a row
    checks that its list belongs to its file by the first entry's source."""
    renditions = list(photo.file_renditions or [])
    if not (renditions and photo.file):
        return renditions
    focus = f"f{round(photo.focal_x * 100)}x{round(photo.focal_y * 100)}"
    return renditions + [
        {key: value for key, value in entry.items() if key != "source"}
        | {DERIVED_FROM: entry["source"]}
        for entry in photo.crops or ()
        if entry.get("source") == photo.file.name and entry.get("focus") == focus
    ]


def library_fields() -> list[LibraryPhotoField]:
    """Every field that points at a library photo (for where-used lists)."""
    return list(_LIBRARY_FIELDS)
