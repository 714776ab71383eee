"""The story change form's helpers: tag suggestions, the working copy, the live
preview and post cards. ArticleAdmin mixes this in; the changelist, workflow
buttons and history stay in articles/admin/article.py."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from taggit.models import Tag

from articles.admin.tracks import track_choices, track_field
from articles.admin.working_copy import WorkingCopyAdminMixin
from articles.embeds import find_post_refs, render_body_with_embeds, render_card
from articles.live_preview import render_preview, unsaved_story
from articles.models import Article, SocialPost
from articles.post_details import FILLABLE, fill_in_post_details, may_fill_in

TAG_SUGGESTIONS = 10
EDITOR_FIELDSETS = [
    (None, {"fields": ["headline", "slug", "dek", "body", "version_token"]}),
    (
        "Place",
        {
            "fields": ["section", "tags", "is_featured", "planned_for"],
            "description": "Planned for: the day the desk means to run it "
            "(the planning calendar); never a publish time.",
        },
    ),
    (
        "Hero image",
        # A library photo (its alt text and credit come with it) and this
        # story's caption; photos.fields keeps hero_image in step.
        {"fields": ["hero_photo", "hero_caption"]},
    ),
    (
        "Related",
        {
            "fields": ["artists", "releases", "tracks", "related_articles"],
            "description": "Artists, releases and tracks the text mentions are "
            "suggested at the top of the page; link them all with one click.",
        },
    ),
    ("Calendar event", {"fields": ["event", "is_published_with_event"]}),
    (
        "Search and sharing",
        {
            "fields": ["seo_title", "seo_description"],
            "classes": ["seo-fieldset"],
            "description": "Optional. How the story looks in search results and "
            "when shared; the previews follow what you type.",
        },
    ),
]


def tag_suggestions(text: str, *, limit: int = TAG_SUGGESTIONS) -> list[dict]:
    """Existing tags whose name contains ``text`` (any case), most used first, each
    with the number of stories carrying it: one query."""
    text = " ".join(text.split())[:100]
    if not text:
        return []
    on_stories = Q(
        taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Article)
    )
    rows = (
        Tag.objects.filter(name__icontains=text)
        .annotate(stories=Count("taggit_taggeditem_items", filter=on_stories))
        .order_by("-stories", "name")
        .values("name", "stories")[:limit]
    )
    return list(rows)


def _swap(fields) -> list:
    return ["rendered_body" if name == "body" else name for name in fields]


def seo_preview_context(request: HttpRequest, article) -> dict:
    """The address and picture the search and share previews show."""
    if article is not None and article.slug:
        address = request.build_absolute_uri(article.get_absolute_url())
    else:
        address = request.build_absolute_uri("/news/")
    image = ""
    if article is not None and article.hero_image:
        largest = article.hero_image.largest
        image = largest["url"] if largest else article.hero_image.url
    return {
        "seo_preview_url": address,
        "seo_preview_host": request.get_host(),
        "seo_preview_image": image,
    }


class StoryEditorMixin(WorkingCopyAdminMixin):
    """The extra endpoints and context the story change form uses."""

    fieldsets = EDITOR_FIELDSETS

    class Media:
        css = {"all": ["css/admin-desk.css", "css/story-editor.css"]}
        js = [
            "js/story-editor.js",
            "js/story-autosave.js",
            "js/story-preview.js",
            "js/story-posts.js",
        ]

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "editor/tags/",
                wrap(never_cache(self.tag_suggestions_view)),
                name="articles_article_tag_suggestions",
            ),
            path(
                "editor/preview/",
                wrap(never_cache(require_POST(self.live_preview_view))),
                name="articles_article_live_preview_new",
            ),
            path(
                "<path:object_id>/live-preview/",
                wrap(never_cache(require_POST(self.live_preview_view))),
                name="articles_article_live_preview",
            ),
            path(
                "editor/tracks/",
                wrap(never_cache(self.track_choices_view)),
                name="articles_article_track_choices",
            ),
            path(
                "editor/post-cards/",
                wrap(never_cache(require_POST(self.post_cards_view))),
                name="articles_article_post_cards_new",
            ),
            path(
                "<path:object_id>/post-cards/",
                wrap(never_cache(require_POST(self.post_cards_view))),
                name="articles_article_post_cards",
            ),
            path(
                "<path:object_id>/posts/<int:post_id>/",
                wrap(never_cache(require_POST(self.fill_in_post_view))),
                name="articles_article_fill_in_post",
            ),
            *super().get_urls(),
        ]

    def _require_editor(self, request: HttpRequest) -> None:
        if not (
            self.has_change_permission(request) or self.has_add_permission(request)
        ):
            raise PermissionDenied

    def tag_suggestions_view(self, request: HttpRequest) -> JsonResponse:
        """Autocomplete for the tag input: names and story counts, staff only."""
        self._require_editor(request)
        return JsonResponse({"tags": tag_suggestions(request.GET.get("q", ""))})

    def live_preview_view(self, request: HttpRequest, object_id: str | None = None):
        """The form as posted, in the reader's template: nothing saved, no revision."""
        saved = self._story_in_form(request, object_id)
        story = unsaved_story(data=request.POST, saved=saved, user=request.user)
        response = HttpResponse(render_preview(request, story))
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only (a writer's story in review): the body as readers get it.
        return [
            (name, {**options, "fields": _swap(options["fields"])})
            for name, options in fieldsets
        ]

    @admin.display(description="Body")
    def rendered_body(self, obj: Article) -> str:
        body = render_body_with_embeds(obj.body, obj.social_posts.all())
        return format_html('<div class="story-body-readonly">{}</div>', body)

    def track_choices_view(self, request: HttpRequest) -> JsonResponse:
        allowed = self.has_change_permission(request) or self.has_add_permission(
            request
        )
        return track_choices(request, allowed=allowed)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "tracks":
            return track_field(self.admin_site, db_field)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def render_change_form(self, request, context, *args, **kwargs):
        original = context.get("original")
        context.update(self.working_copy_context(request, original))
        context.update(seo_preview_context(request, original))
        if original:
            context["live_preview_url"] = reverse(
                "admin:articles_article_live_preview", args=[original.pk]
            )
            context["post_cards_url"] = reverse(
                "admin:articles_article_post_cards", args=[original.pk]
            )
            if self.has_change_permission(request, original):
                context["post_cards_html"] = mark_safe(  # noqa: S308 - our template
                    self._post_cards_html(request, original)
                )
        else:
            context["live_preview_url"] = reverse(
                "admin:articles_article_live_preview_new"
            )
            context["post_cards_url"] = reverse("admin:articles_article_post_cards_new")
        return super().render_change_form(request, context, *args, **kwargs)

    # --- post cards ----------------------------------------------------------------

    def post_cards_view(self, request: HttpRequest, object_id: str | None = None):
        """The cards of the posts the typed body embeds, at once (no network)."""
        article = self._story_in_form(request, object_id)
        return JsonResponse(
            {"html": self._post_cards_html(request, article, request.POST.get("body"))}
        )

    def fill_in_post_view(self, request: HttpRequest, object_id: str, post_id: int):
        """A writer fills in a post's missing author, handle and text."""
        article = self._story_in_form(request, object_id)
        post = get_object_or_404(article.social_posts.all(), pk=post_id)
        try:
            changed = fill_in_post_details(
                post=post,
                article=article,
                by=request.user,
                **{name: request.POST.get(name, "") for name in FILLABLE},
            )
        except PermissionDenied as error:
            return JsonResponse({"error": str(error)}, status=403)
        return JsonResponse(
            {"changed": changed, "html": self._post_cards_html(request, article)}
        )

    def _post_cards_html(self, request, article, body: str | None = None) -> str:
        refs = find_post_refs(
            body if body is not None else getattr(article, "body", "")
        )
        stored = {
            (post.platform, post.post_id): post
            for post in SocialPost.objects.filter(
                post_id__in=[ref.post_id for ref in refs]
            )
        }
        linked = set(
            article.social_posts.values_list("pk", flat=True) if article else ()
        )
        may_fill = article is not None and may_fill_in(
            user=request.user, article=article
        )
        may_replace = request.user.has_perm("articles.change_socialpost")
        cards = []
        for ref in refs:
            post = stored.get((ref.platform, ref.post_id))
            post = post or SocialPost.from_url_alone(ref)
            fillable = (
                may_fill
                and post.pk in linked
                and not post.is_video
                and not (post.text and post.author_name and post.author_handle)
            )
            cards.append(
                {
                    "post": post,
                    # The card template escapes every field (articles.embeds).
                    "html": mark_safe(render_card(post)),  # noqa: S308
                    "may_replace": may_replace,
                    "fill_url": reverse(
                        "admin:articles_article_fill_in_post",
                        args=[article.pk, post.pk],
                    )
                    if fillable
                    else "",
                }
            )
        missing = sum(1 for card in cards if card["post"].is_missing_text)
        return render_to_string(
            "admin/articles/article/_post_cards.html",
            {"cards": cards, "missing": missing},
            request=request,
        )
