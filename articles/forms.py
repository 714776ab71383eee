"""The story edit form: stale-save refusal, slug rules, workflow input."""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db.models.functions import Lower
from django.utils.text import slugify
from taggit.models import Tag

from articles.models import Article, ArticleSlugHistory
from articles.models.article import sanitize_body
from core.dates import validate_plausible_date
from core.held_uploads import HeldFileInput, HoldsUploadsMixin

STALE_MESSAGE = (
    "Someone else saved this story while you were editing it (their version is "
    "newer than the one you opened). Nothing was overwritten, and your text is still "
    "in the form below: copy what you need, open the story again in a new tab to see "
    "their changes, and merge your edits there."
)


class ArticleAdminForm(HoldsUploadsMixin, forms.ModelForm):
    # The version the editor started from; a save from an older one is refused.
    version_token = forms.IntegerField(widget=forms.HiddenInput, required=False)
    workflow_note = forms.CharField(
        label="Note for the workflow step",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text="Required when requesting changes; the writer sees it.",
    )
    publish_at = forms.SplitDateTimeField(
        label="Publish at",
        required=False,
        widget=AdminSplitDateTime,
        validators=[validate_plausible_date],
        help_text="Leave empty to publish now; a future time schedules the story.",
    )

    class Meta:
        model = Article
        fields = [
            "headline",
            "slug",
            "dek",
            "body",
            "section",
            "tags",
            "is_featured",
            "hero_photo",
            "hero_image",
            "hero_alt",
            "hero_caption",
            "hero_credit",
            "artists",
            "releases",
            "tracks",
            "related_articles",
            "seo_title",
            "seo_description",
        ]
        help_texts = {
            "seo_title": "For search results and shares; empty uses the headline.",
            "seo_description": "For search results and shares; empty uses the dek.",
        }
        # Whole headlines and deks in view, with a count (static/js/story-editor.js).
        widgets = {
            "headline": forms.Textarea(
                attrs={"rows": 2, "cols": 80, "data-count-limit": 200}
            ),
            "dek": forms.Textarea(
                attrs={"rows": 3, "cols": 80, "data-count-limit": 300}
            ),
            # Search engines show about 60 and 155 characters of these.
            "seo_title": forms.TextInput(
                attrs={"size": 80, "data-count-limit": 120, "data-count-ideal": 60}
            ),
            "seo_description": forms.Textarea(
                attrs={
                    "rows": 3,
                    "cols": 80,
                    "data-count-limit": 300,
                    "data-count-ideal": 155,
                }
            ),
            # A save refused for another field keeps the chosen picture.
            "hero_image": HeldFileInput,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version_token"].initial = self.instance.version
            if "body" in self.initial:
                # The editor parses the body into the live admin page: a row that
                # holds unsanitized HTML (an import, a raw update) must not run there.
                self.initial["body"] = sanitize_body(self.initial["body"])
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or ""
        slug = slugify(slug, allow_unicode=True) if slug else ""
        if slug:
            taken = ArticleSlugHistory.objects.filter(slug=slug)
            if self.instance.pk:
                taken = taken.exclude(article=self.instance)
            if taken.exists():
                raise forms.ValidationError(
                    "Another story used this address before; choose a different slug."
                )
        return slug

    def clean_headline(self):
        # A textarea shows the whole headline; a headline is still one line.
        return " ".join((self.cleaned_data.get("headline") or "").split())

    def clean_dek(self):
        return " ".join((self.cleaned_data.get("dek") or "").split())

    def clean_seo_description(self):
        return " ".join((self.cleaned_data.get("seo_description") or "").split())

    def clean_tags(self):
        """Tags are case-insensitive: "iu" is the existing "IU", and "IU, iu" one
        tag (taggit reuses existing tags the same way, TAGGIT_CASE_INSENSITIVE)."""
        names = self.cleaned_data.get("tags") or []
        existing = dict(
            Tag.objects.annotate(key=Lower("name"))
            .filter(key__in=[name.lower() for name in names])
            .order_by("-pk")
            .values_list("key", "name")
        )
        unique = {}
        for name in names:
            key = name.lower()
            unique.setdefault(key, existing.get(key, name))
        return list(unique.values())

    def clean(self):
        cleaned = super().clean()
        hero = cleaned.get("hero_image")
        if hero and not (cleaned.get("hero_alt") or "").strip():
            self.add_error(
                "hero_alt", "Describe the image for readers who cannot see it."
            )
        if self.instance.pk:
            self._refuse_stale_save(cleaned.get("version_token"))
        return cleaned

    def _refuse_stale_save(self, token: int | None) -> None:
        # The admin wraps the whole change view in a transaction, so this row lock is
        # held until the save: nobody can slip in between the check and the write.
        current = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if token is None or current is None or int(token) != current:
            raise forms.ValidationError(STALE_MESSAGE, code="stale")
