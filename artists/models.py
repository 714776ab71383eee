from django.db import models
from django.urls import reverse


class Artist(models.Model):
    """A person or a group that makes music."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        GROUP = "group", "Group"

    name = models.CharField("stage name", max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PERSON)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("artists:detail", kwargs={"slug": self.slug})
