"""The parts around a story: sections, authors and bylines, sources, corrections,
the workflow's audit trail and the slugs a story used to have."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.text import slugify

from core.dates import PlausibleDateTimeField
from core.urlcache import cached_reverse

__all__ = [
    "ArticleSlugHistory",
    "Author",
    "Byline",
    "Correction",
    "Section",
    "Source",
    "Transition",
]


class Section(models.Model):
    """An editable desk list (News, Features, Interviews, Reviews...)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True, allow_unicode=True)
    description = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cached_reverse("articles:section", slug=self.slug)


class Author(models.Model):
    """Whoever a byline names: a staff user, or a guest contributor without an account."""

    display_name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="author_profile",
        help_text="Leave empty for a guest contributor.",
    )
    role = models.CharField(
        max_length=120, blank=True, help_text="For example “Staff writer”."
    )
    bio = models.TextField(blank=True)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            base = slugify(self.display_name, allow_unicode=True)[:110] or "author"
            slug, n = base, 2
            while Author.objects.filter(slug=slug).exclude(pk=self.pk).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return cached_reverse("articles:author", slug=self.slug)

    @property
    def is_guest(self) -> bool:
        return self.user_id is None


class Byline(models.Model):
    """One author on one story, in the order the byline reads."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="bylines"
    )
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="byline_author_once_per_article"
            )
        ]

    def __str__(self) -> str:
        return self.author.display_name


class Source(models.Model):
    """Where a story's facts come from, credited under the story."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="sources"
    )
    name = models.CharField(max_length=200)
    url = models.URLField("link", max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Correction(models.Model):
    """A dated note under the story: a correction of a mistake, or an update."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.UPDATE)
    note = models.TextField()
    noted_at = PlausibleDateTimeField()

    class Meta:
        ordering = ["noted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.noted_at:%Y-%m-%d})"


class Transition(models.Model):
    """One step of the editorial workflow: who moved a story, when, from and to what."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=16)
    to_status = models.CharField(max_length=16)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="article_transitions",
    )
    at = PlausibleDateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    scheduled_for = PlausibleDateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["article", "-at"], name="transition_article_at")
        ]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ArticleSlugHistory(models.Model):
    """A slug a published story used to have, so old links answer with a 301."""

    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="old_slugs"
    )
    changed_at = PlausibleDateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "article slug history"

    def __str__(self) -> str:
        return self.slug
