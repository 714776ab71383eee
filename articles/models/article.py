from __future__ import annotations

from typing import Self

from django.db import models
from django.urls import reverse
from django.utils import timezone

__all__ = ["Article", "ArticleQuerySet"]


class ArticleQuerySet(models.QuerySet):
    def published(self) -> Self:
        """What anonymous readers may see; drafts, scheduled and archived stories 404."""
        return self.filter(
            status=Article.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def for_listing(self) -> Self:
        """Newest first, in the order every public list shows stories."""
        return self.order_by("-published_at", "-pk")


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    headline = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True)
    dek = models.CharField("summary (dek)", max_length=300, blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    is_featured = models.BooleanField("featured", default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["status", "-published_at"], name="article_status_published"
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug})
