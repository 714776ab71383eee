from typing import Self

from django.db import models
from django.urls import reverse


class ReleaseQuerySet(models.QuerySet):
    def newest_first(self) -> Self:
        """Releases as readers browse them: the latest first."""
        return self.order_by(models.F("released_on").desc(nulls_last=True), "-pk")


class Release(models.Model):
    """An album, mini album (EP), single, OST or compilation."""

    class Kind(models.TextChoices):
        ALBUM = "album", "Album"
        EP = "ep", "Mini album (EP)"
        SINGLE = "single", "Single"
        OST = "ost", "OST"
        COMPILATION = "compilation", "Compilation"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ALBUM)
    released_on = models.DateField(null=True, blank=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-released_on", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discography:release", kwargs={"slug": self.slug})


class Track(models.Model):
    """A song on a release, at a position on a disc."""

    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="tracks"
    )
    disc = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["release", "disc", "position"]

    def __str__(self) -> str:
        return self.title
