"""The picture library: one row per picture, with its rights, focal point and tags.

Story heroes, artist photos, release covers, post stills and pictures in a story's body
all point here (see :mod:`photos.fields`); the file itself is a
:class:`core.images.RenditionImageField`, so uploads are checked, stripped of metadata
and given the same renditions as every picture of the site.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from taggit.managers import TaggableManager

from core.dates import PlausibleDateTimeField
from core.images import RenditionImageField, validate_image
from photos.crops import CropSet, schedule_crops

FOCAL_VALIDATORS = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class PhotoQuerySet(models.QuerySet):
    def newest_first(self) -> PhotoQuerySet:
        return self.order_by("-uploaded_at", "-pk")

    def matching(self, words: str) -> PhotoQuerySet:
        """Photos whose alt text, caption, credit, rights, source, tags or artists
        contain every word (case-insensitive); all words are in ``search_text``."""
        queryset = self
        for word in (words or "").lower().split()[:8]:
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def lacking_rights(self) -> PhotoQuerySet:
        """Photos that may not be published yet: no credit, or no usage terms."""
        return self.filter(Q(credit="") | Q(usage_kind=""))


class Photo(models.Model):
    class UsageKind(models.TextChoices):
        OWN = "own", "Our own"
        AGENCY_HANDOUT = "agency", "Agency handout"
        LICENSED = "licensed", "Licensed"
        SOCIAL_POST = "social", "Social post"

    file = RenditionImageField(
        upload_to="photos/%Y/%m/",
        validators=[validate_image],
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Made by the refresh_image_renditions task (core.renditions); [] until then.
    file_renditions = models.JSONField(default=list, blank=True, editable=False)
    alt_text = models.CharField(
        max_length=300,
        help_text="What the picture shows, for readers who cannot see it.",
    )
    caption = models.CharField(max_length=500, blank=True)
    credit = models.CharField(
        max_length=200, blank=True, help_text="Shown under the picture, e.g. EDAM."
    )
    copyright_holder = models.CharField(max_length=200, blank=True)
    usage_kind = models.CharField(
        "usage",
        max_length=16,
        choices=UsageKind.choices,
        blank=True,
        db_index=True,
        help_text="Where the picture comes from; a story cannot be published with a "
        "picture lacking it.",
    )
    usage_terms = models.TextField(
        blank=True, help_text="Any conditions: embargo, attribution, for news only…"
    )
    source_url = models.URLField("source URL", max_length=500, blank=True)
    focal_x = models.FloatField(default=0.5, validators=FOCAL_VALIDATORS)
    focal_y = models.FloatField(default=0.5, validators=FOCAL_VALIDATORS)
    tags = TaggableManager(blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="uploaded_photos",
    )
    uploaded_at = PlausibleDateTimeField(default=timezone.now, editable=False)
    # Focal-point crops for cards (photos.crops), made after a save; [] until then.
    crops = models.JSONField(default=list, blank=True, editable=False)
    # Every searchable word of the row in lower case, kept by save(); PostgreSQL
    # indexes it with trigrams (migration 0001), so a chooser search stays fast.
    search_text = models.TextField(default="", editable=False)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["-uploaded_at", "-id"], name="photo_newest")]

    def __str__(self) -> str:
        return self.alt_text or f"Photo {self.pk}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.searchable_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)  # photos.fields then updates the rows using it
        if self.file and not self.crop("1x1"):
            schedule_crops(self)  # a new file or focal point: new crops

    def searchable_text(self, extra: tuple[str, ...] = ()) -> str:
        """The row's words for ``search_text``, tag and artist names included."""
        words = [
            self.alt_text,
            self.caption,
            self.credit,
            self.copyright_holder,
            self.usage_terms,
            self.source_url,
            *extra,
        ]
        if self.pk:
            words += [tag.name for tag in self.tags.all()]
            words += [str(artist) for artist in self.shown_artists()]
        return " ".join(word for word in words if word).lower()

    def refresh_search_text(self) -> None:
        """Store ``search_text`` again after tags or artists changed (save_m2m runs
        after save(), so the admin calls this once the relations are written)."""
        self.search_text = self.searchable_text()
        type(self).objects.filter(pk=self.pk).update(search_text=self.search_text)

    def shown_artists(self) -> list:
        """The artists shown, through the relation the artists app declares
        (``Artist.photos``, related name ``artists_shown``); none when absent."""
        manager = getattr(self, "artists_shown", None)
        return list(manager.all()) if manager is not None else []

    @property
    def missing_rights(self) -> list[str]:
        """What stops this photo from being published: ['credit', 'usage terms']."""
        missing = []
        if not self.credit.strip():
            missing.append("credit")
        if not self.usage_kind:
            missing.append("usage terms")
        return missing

    def crop(self, ratio: str) -> CropSet:
        """This photo's crop for cards ("16x9", "1x1" or "4x5") around its focal
        point; empty until made, or when the file or focal point changed since."""
        focus = f"f{round(self.focal_x * 100)}x{round(self.focal_y * 100)}"
        return CropSet(
            tuple(
                entry
                for entry in self.crops or ()
                if entry.get("ratio") == ratio
                and entry.get("source") == self.file.name
                and entry.get("focus") == focus
            )
        )

    @property
    def focal_point_css(self) -> str:
        """``object-position`` keeping the focal point in frame in any CSS crop."""
        return f"{self.focal_x * 100:.0f}% {self.focal_y * 100:.0f}%"
