"""The story as the form holds it now, in the reader's own template, unsaved.

The editor's live preview posts the form here while the writer types. Nothing is
written: no story row, no revision, no tag, no social post. The story's small lists
are filled in memory (``CarriedList`` attributes are plain attributes once set), so
the page renders exactly as ``articles/article_detail.html`` shows readers.
"""

from __future__ import annotations

import copy

from django import forms
from django.db.models.functions import Lower
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.text import slugify
from taggit.models import Tag
from taggit.utils import parse_tags

from articles.embeds import find_post_refs
from articles.models import Article, Author, Byline, SocialPost
from articles.models.article import sanitize_body
from artists.models import Artist
from discography.models import Release

# The fields a preview shows; anything else keeps its saved value.
PREVIEW_FIELDS = [
    "headline",
    "dek",
    "body",
    "section",
    "is_featured",
    "seo_title",
    "seo_description",
]
MAX_TAGS = 50
MAX_LINKS = 200


class PreviewForm(forms.ModelForm):
    """Reads the change form's posted fields; none is required in a preview."""

    tags = forms.CharField(required=False)
    artists = forms.CharField(required=False)
    releases = forms.CharField(required=False)

    class Meta:
        model = Article
        fields = PREVIEW_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values[:MAX_LINKS] if v.isdigit() and len(v) < 19]


def unsaved_story(*, data, saved: Article | None, user) -> Article:
    """A story built from posted form ``data`` over the ``saved`` one (or a new one),
    with its lists in memory; never saved."""
    form = PreviewForm(data, instance=copy.copy(saved) if saved else Article())
    form.is_valid()  # a half-typed form still previews: keep what cleaned
    story = form.instance
    for name in PREVIEW_FIELDS:
        if name in form.cleaned_data and name not in form.errors:
            setattr(story, name, form.cleaned_data[name])
    story.body = sanitize_body(story.body)
    story.headline = " ".join((story.headline or "").split()) or "Untitled story"
    if saved is None:
        story.status = Article.Status.DRAFT
    story.__dict__["tag_list"] = _tags(data.get("tags", ""))
    story.__dict__["artist_list"] = list(
        Artist.objects.filter(pk__in=_ids(data.getlist("artists"))).order_by(
            "sort_name", "name"
        )
    )
    story.__dict__["release_list"] = list(
        Release.objects.filter(pk__in=_ids(data.getlist("releases"))).order_by(
            "-released_on", "title"
        )
    )
    story.__dict__["social_post_list"] = _posts(story.body)
    if saved is None:
        story.__dict__["byline_list"] = _own_byline(user)
        story.__dict__["source_list"] = []
        story.__dict__["correction_list"] = []
    return story


def _tags(text: str) -> list[Tag]:
    """The typed tags, as the existing ones (any case) or unsaved new ones."""
    names = parse_tags(text)[:MAX_TAGS]
    existing = {
        tag.name.lower(): tag
        for tag in Tag.objects.annotate(key=Lower("name")).filter(
            key__in=[name.lower() for name in names]
        )
    }
    found = {}
    for name in names:
        key = name.lower()
        found.setdefault(
            key,
            existing.get(key) or Tag(name=name, slug=slugify(name, allow_unicode=True)),
        )
    return list(found.values())


def _posts(body: str) -> list[SocialPost]:
    """The posts the body embeds: stored ones, else what their URL tells."""
    refs = find_post_refs(body)
    stored = {
        (post.platform, post.post_id): post
        for post in SocialPost.objects.filter(post_id__in=[ref.post_id for ref in refs])
    }
    return [
        stored.get((ref.platform, ref.post_id)) or SocialPost.from_url_alone(ref)
        for ref in refs
    ]


def _own_byline(user) -> list[Byline]:
    name = user.get_full_name().strip() or user.get_username()
    author = Author.objects.filter(user=user).first() or Author(
        display_name=name, slug=slugify(name, allow_unicode=True) or "staff"
    )
    return [Byline(author=author)]


def render_preview(request: HttpRequest, story: Article) -> str:
    """The reader's story page for ``story`` with the preview banner."""
    return render_to_string(
        "articles/article_detail.html",
        {"article": story, "related": [], "is_preview": True},
        request=request,
    )
