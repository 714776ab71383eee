"""Admin for embedded social posts: editors correct what the network did not give."""

from __future__ import annotations

from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from articles.embeds import fetch_new_posts
from articles.models import Article, SocialPost
from articles.oembed import fetch_post_details
from articles.social_urls import PostRef, parse_post_url

EDITABLE = ["author_name", "author_handle", "text", "posted_at", "thumbnail"]


class SocialPostAddForm(forms.ModelForm):
    """Add a post by pasting its URL; platform, id and canonical URL follow from it."""

    pasted_url = forms.CharField(
        label="Post URL",
        max_length=2048,
        help_text="A link to one post on X, Instagram, YouTube or TikTok.",
        widget=forms.URLInput(attrs={"size": 80, "autofocus": True}),
    )

    class Meta:
        model = SocialPost
        fields = EDITABLE

    def clean_pasted_url(self) -> PostRef:
        ref = parse_post_url(self.cleaned_data["pasted_url"])
        if ref is None:
            raise forms.ValidationError(
                "This is not a link to a single post on X, Instagram, YouTube or "
                "TikTok (profiles, searches and channels cannot be embedded)."
            )
        if SocialPost.objects.filter(
            platform=ref.platform, post_id=ref.post_id
        ).exists():
            raise forms.ValidationError(
                "This post is already in the CMS; search for it in the list."
            )
        return ref

    def save(self, commit: bool = True) -> SocialPost:
        ref: PostRef = self.cleaned_data["pasted_url"]
        post = super().save(commit=False)
        post.platform, post.post_id, post.url = (
            ref.platform,
            ref.post_id,
            ref.canonical_url,
        )
        if post.posted_at is None:
            post.posted_at = post.posted_at_from_id()
        if commit:
            post.save()
            self.save_m2m()
        return post


class FetchStatusFilter(admin.SimpleListFilter):
    title = "details fetch"
    parameter_name = "fetch"

    def lookups(self, request, model_admin):
        return [("failed", "Failed"), ("ok", "Fetched"), ("never", "Never fetched")]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset.exclude(fetch_error="")
        if self.value() == "ok":
            return queryset.filter(fetched_at__isnull=False, fetch_error="")
        if self.value() == "never":
            return queryset.filter(fetched_at__isnull=True)
        return queryset


@admin.register(SocialPost)
class SocialPostAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "platform",
        "excerpt",
        "posted_at",
        "story_count",
        "fetch_status",
    ]
    list_filter = ["platform", FetchStatusFilter]
    search_fields = ["author_name", "author_handle", "text", "post_id", "url"]
    date_hierarchy = "posted_at"
    ordering = ["-created_at"]
    readonly_fields = [
        "platform",
        "post_id",
        "link",
        "fetch_status_detail",
        "fetched_at",
        "embedded_in",
        "created_at",
        "updated_at",
    ]
    actions = ["fetch_details"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = SocialPostAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["pasted_url", *EDITABLE]})]
        return [
            (None, {"fields": ["platform", "post_id", "link", "embedded_in"]}),
            (
                "What the card shows",
                {
                    "fields": EDITABLE,
                    "description": "Fill in or correct these when the network did "
                    "not answer; a later fetch only fills blank fields.",
                },
            ),
            (
                "Fetching details",
                {"fields": ["fetch_status_detail", "fetched_at"]},
            ),
            ("History", {"fields": ["created_at", "updated_at"]}),
        ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and settings.EMBEDS_OEMBED_ENABLED:
            # Like a post found in a story: details after commit, failures recorded.
            transaction.on_commit(partial(fetch_new_posts, [obj.pk]), robust=True)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[SocialPost]:
        return super().get_queryset(request).annotate(story_total=Count("articles"))

    def get_object(self, request: HttpRequest, object_id, from_field=None):
        post = super().get_object(request, object_id, from_field)
        if post is not None:
            # "Embedded in" names only the stories this user may see.
            post.stories_shown = list(
                Article.objects.visible_to(request.user)
                .filter(social_posts=post)
                .only("pk", "headline")
                .order_by("-pk")
            )
        return post

    @admin.display(description="text")
    def excerpt(self, post: SocialPost) -> str:
        return Truncator(post.text).chars(80)

    @admin.display(description="stories", ordering="story_total")
    def story_count(self, post: SocialPost) -> int:
        return post.story_total

    @admin.display(description="details", boolean=True)
    def fetch_status(self, post: SocialPost) -> bool | None:
        if post.fetch_error:
            return False
        return True if post.fetched_at else None

    @admin.display(description="details fetch")
    def fetch_status_detail(self, post: SocialPost) -> str:
        if post.fetch_error:
            return format_html(
                '<strong class="errornote">Failed: {}</strong>', post.fetch_error
            )
        if post.fetched_at:
            return "Fetched from the network."
        return "Not fetched (oEmbed is off, or the post was added by hand)."

    @admin.display(description="canonical URL")
    def link(self, post: SocialPost) -> str:
        return format_html(
            '<a href="{}" rel="noopener noreferrer nofollow">{}</a>', post.url, post.url
        )

    @admin.display(description="embedded in")
    def embedded_in(self, post: SocialPost) -> str:
        stories = getattr(post, "stories_shown", [])
        if not stories and getattr(post, "story_total", 0):
            return "Only in stories that are not yours to see yet."
        if not stories:
            return "No story yet: paste the URL alone in a paragraph of a story."
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:articles_article_change", args=[s.pk]), s.headline)
                for s in stories
            ),
        )

    @admin.action(
        description="Fill in missing details from the network", permissions=["change"]
    )
    def fetch_details(
        self, request: HttpRequest, queryset: QuerySet[SocialPost]
    ) -> None:
        ok = failed = 0
        for post in queryset[:50]:  # each fetch may take the full timeout
            if fetch_post_details(post):
                ok += 1
            else:
                failed += 1
        if ok:
            self.message_user(request, f"Fetched details for {ok} post(s).")
        if failed:
            self.message_user(
                request,
                f"{failed} post(s) could not be fetched; the reason is on each post.",
                messages.WARNING,
            )
