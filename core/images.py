"""Uploaded images (story heroes, artist photos, release covers, post stills): one path.

``validate_image`` (an ``ImageValidator``) decodes every new upload with Pillow under
explicit caps: bytes, then pixels read from the header before any pixel is decoded,
then a full decode, so a decompression bomb, a damaged file or a file that only claims
to be an image is refused with a clear message.

``RenditionImageField`` is the one field a picture with renditions uses. Before a
save it re-encodes a new upload from its pixels, so EXIF (GPS position, camera serial)
never reaches readers; after the save it hands the file to the
``refresh_image_renditions`` task (core.tasks), which lists the resized copies in a
JSON field beside it. Templates read them from the field itself:
``article.hero_image.src``, ``.srcset_webp``, ``.srcset_fallback``, ``.largest``.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Model, signals
from django.db.models.fields.files import FieldFile, ImageFieldFile
from django.utils.deconstruct import deconstructible
from PIL import Image, ImageOps, UnidentifiedImageError

from core.renditions import Renditions
from core.tasks import schedule_image_renditions

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # about 8000 x 5000: more than any page needs
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_STORED_EDGE = 2400  # pixels; the stored original is never larger than this
HERO_MIN_WIDTH = 320


@dataclass(frozen=True)
class CheckedImage:
    width: int
    height: int
    format: str


def _rewind(file: Any) -> None:
    if hasattr(file, "seek"):
        file.seek(0)


def check_image(file: Any, *, min_width: int = 0) -> CheckedImage:
    """Refuse anything that is not a sane JPEG, PNG or WebP image; say what it is."""
    size = getattr(file, "size", None)
    if size is not None and size > MAX_IMAGE_BYTES:
        raise ValidationError(
            "This image is %(size)s MB; the limit is %(limit)s MB.",
            code="image_too_large",
            params={
                "size": f"{size / 1024 / 1024:.1f}",
                "limit": MAX_IMAGE_BYTES // 1024 // 1024,
            },
        )
    _rewind(file)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice that; refuse both.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
                # From the header alone, before anything is decoded.
                _check_header(image_format, width, height)
                image.verify()
            _rewind(file)
            with Image.open(file) as image:
                image.load()  # verify() skips pixel data; decoding proves it is whole
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "This image has too many pixels to process safely.",
            code="image_too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            "Upload a valid image: this file is not an image or is damaged.",
            code="invalid_image",
        ) from None
    finally:
        _rewind(file)
    if width < min_width:
        raise ValidationError(
            "This image is %(width)s pixels wide; it needs at least %(min)s.",
            code="image_too_small",
            params={"width": width, "min": min_width},
        )
    return CheckedImage(width=width, height=height, format=image_format)


def _check_header(image_format: str | None, width: int, height: int) -> None:
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            "Upload a JPEG, PNG or WebP image (this one is %(format)s).",
            code="image_format",
            params={"format": image_format or "unknown"},
        )
    if width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            "This image is %(width)s × %(height)s pixels; the limit is %(limit)s "
            "million pixels.",
            code="image_too_many_pixels",
            params={
                "width": width,
                "height": height,
                "limit": MAX_IMAGE_PIXELS // 1_000_000,
            },
        )


@deconstructible(path="core.images.ImageValidator")
class ImageValidator:
    """Model-field validator: the same checks on every new file, whatever the path."""

    def __init__(self, min_width: int = 0) -> None:
        self.min_width = min_width

    def __call__(self, file: Any) -> None:
        if getattr(file, "_committed", False):
            # Already stored (and checked when it came in): editing other fields of
            # the row must not re-read, or fail on, the stored file.
            return
        check_image(file, min_width=self.min_width)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImageValidator) and other.min_width == self.min_width

    def __hash__(self) -> int:
        return hash(self.min_width)


validate_image = ImageValidator()
validate_hero_image = ImageValidator(min_width=HERO_MIN_WIDTH)


class CheckedImageFormField(forms.ImageField):
    """The admin's upload field: our check runs before Django's own Pillow check,
    which would call a decompression bomb merely "corrupted"."""

    def to_python(self, data: Any) -> Any:
        if data not in self.empty_values and hasattr(data, "read"):
            check_image(data)
        return super().to_python(data)


class CheckedImageField(models.ImageField):
    """An ImageField whose form field explains refusals (see CheckedImageFormField)."""

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": CheckedImageFormField, **kwargs})


def reencode_without_metadata(file: Any) -> tuple[bytes, str]:
    """The image's pixels, upright and at most MAX_STORED_EDGE wide or tall,
    re-encoded in its own format with no metadata (EXIF, XMP, text chunks)."""
    _rewind(file)
    with Image.open(file) as image:
        image_format = image.format if image.format in ALLOWED_FORMATS else "PNG"
        image.seek(0)  # the first frame of an animated WebP
        upright = ImageOps.exif_transpose(image)
        if max(upright.size) > MAX_STORED_EDGE:
            upright = upright.copy()
            upright.thumbnail((MAX_STORED_EDGE, MAX_STORED_EDGE))
        if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        clean = Image.new(upright.mode, upright.size)
        clean.paste(upright)
        if upright.mode == "P":
            clean.putpalette(upright.getpalette())
            if "transparency" in upright.info:
                clean.info["transparency"] = upright.info["transparency"]
        buffer = io.BytesIO()
        options: dict[str, Any] = (
            {"quality": 88, "optimize": True} if image_format == "JPEG" else {}
        )
        if upright.info.get("icc_profile"):
            # The colour profile is not personal data, and dropping it shifts colours.
            options["icc_profile"] = upright.info["icc_profile"]
        clean.save(buffer, format=image_format, **options)
    _rewind(file)
    return buffer.getvalue(), image_format


def strip_metadata(field_file: FieldFile | None) -> bool:
    """Store a new upload as a metadata-free copy; False when nothing was new."""
    if not field_file or getattr(field_file, "_committed", True):
        return False
    data, _ = reencode_without_metadata(field_file.file)
    name = os.path.basename(field_file.name)
    field_file.save(name, ContentFile(data), save=False)
    # ImageField keeps the in-memory content as the attribute after save(); point it
    # at the stored name so width/height fields are read from the stored file.
    setattr(field_file.instance, field_file.field.attname, field_file.name)
    return True


class RenditionFieldFile(ImageFieldFile):
    """A stored picture with what templates show of it: ``src``, ``srcset_webp``,
    ``srcset_fallback``, ``largest`` and ``smallest_url`` (the original until the
    renditions exist; nothing without a picture)."""

    @property
    def renditions(self) -> Renditions:
        listed = getattr(self.instance, self.field.renditions_field, None)
        return Renditions.of(self.name or "", listed, self.url if self else "")

    @property
    def src(self) -> str:
        return self.renditions.src

    @property
    def srcset_webp(self) -> str:
        return self.renditions.srcset_webp

    @property
    def srcset_fallback(self) -> str:
        return self.renditions.srcset_fallback

    @property
    def largest(self) -> dict[str, Any] | None:
        return self.renditions.largest

    @property
    def smallest_url(self) -> str:
        return self.renditions.smallest_url


@dataclass
class _PendingSave:
    """What the field decided before a save, for after it."""

    needs_renditions: bool
    list_to_write: list | None  # a cleared list the save's update_fields left out
    is_new_upload: bool = False


class RenditionImageField(CheckedImageField):
    """A checked image whose resized copies are listed in a JSON field beside it.

    ``hero_image = RenditionImageField(...)`` with
    ``hero_renditions = models.JSONField(default=list, editable=False)`` (the list's
    name is the field's without ``_image``, plus ``_renditions``; or say
    ``renditions_field="..."``). Saving a new upload stores a copy without metadata
    and (re)makes the renditions; clearing the image clears the list.

    With the usual list name, migrations see a plain ``CheckedImageField``:
    renditions are behaviour, not schema, and historical models must not schedule
    tasks.
    """

    attr_class = RenditionFieldFile

    def __init__(
        self, *args: Any, renditions_field: str | None = None, **kwargs: Any
    ) -> None:
        self.renditions_field = renditions_field
        super().__init__(*args, **kwargs)

    def set_attributes_from_name(self, name: str) -> None:
        super().set_attributes_from_name(name)
        self.renditions_field = self.renditions_field or _usual_list_name(name)

    def deconstruct(self) -> tuple:
        name, path, args, kwargs = super().deconstruct()
        if self.renditions_field in (None, _usual_list_name(name)):
            path = "core.images.CheckedImageField"
        else:
            kwargs["renditions_field"] = self.renditions_field
        return name, path, args, kwargs

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        try:
            listed = self.model._meta.get_field(self.renditions_field)
        except FieldDoesNotExist:
            listed = None
        if not isinstance(listed, models.JSONField):
            errors.append(
                checks.Error(
                    f"renditions_field {self.renditions_field!r} must name a "
                    "JSONField of the same model.",
                    obj=self,
                    id="core.E001",
                )
            )
        return errors

    def contribute_to_class(self, cls: type[Model], name: str, **kwargs: Any) -> None:
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            # No sender: a proxy or child model's saves are sent under its own name.
            signals.pre_save.connect(self._before_save)
            signals.post_save.connect(self._after_save)

    def _pending_key(self) -> str:
        return f"_renditions_pending_{self.attname}"

    def _before_save(
        self, sender, instance: Model, raw: bool = False, update_fields=None, **kwargs
    ) -> None:
        """Clean a new upload; decide whether the renditions must be (re)made.

        They must for a new upload, or when the stored list belongs to another file
        (or is missing). A cleared image, or a list of another file, is emptied at
        once: a page never shows another picture's renditions.
        """
        if not isinstance(instance, self.model) or raw:
            return
        if update_fields is not None and self.attname not in update_fields:
            return
        image = getattr(instance, self.attname)
        listed = getattr(instance, self.renditions_field) or []
        is_new = bool(image) and strip_metadata(image)
        is_current = (
            bool(image) and bool(listed) and listed[0].get("source") == image.name
        )
        cleared = bool(listed) and not is_current
        if cleared:
            setattr(instance, self.renditions_field, [])
        pending = _PendingSave(
            needs_renditions=bool(image) and (is_new or not is_current),
            list_to_write=[]
            if cleared
            and update_fields is not None
            and self.renditions_field not in update_fields
            else None,
            is_new_upload=is_new,
        )
        instance.__dict__[self._pending_key()] = pending

    def _after_save(self, sender, instance: Model, raw: bool = False, **kwargs) -> None:
        pending = instance.__dict__.pop(self._pending_key(), None)
        if pending is None:
            return
        if pending.list_to_write is not None:
            type(instance)._base_manager.using(kwargs.get("using")).filter(
                pk=instance.pk
            ).update(**{self.renditions_field: pending.list_to_write})
        if pending.needs_renditions:
            schedule_image_renditions(instance, self.name)


def received_new_upload(instance: Model, field_name: str) -> bool:
    """True while a save stores a file just uploaded to ``field_name`` (before or
    after the field's own pre_save handler has written it to storage)."""
    image = getattr(instance, field_name)
    if image and not getattr(image, "_committed", True):
        return True
    pending = instance.__dict__.get(f"_renditions_pending_{field_name}")
    return bool(pending and pending.is_new_upload)


def _usual_list_name(name: str) -> str:
    """hero_image -> hero_renditions, photo -> photo_renditions."""
    return f"{name.removesuffix('_image')}_renditions"


def rendition_fields() -> list[tuple[type[Model], RenditionImageField]]:
    """Every (model, field) of the project whose pictures get renditions."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, RenditionImageField)
    ]
