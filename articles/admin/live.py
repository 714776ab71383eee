"""The live desk: post an entry in three actions, edit or remove entries, and start
or end a story's live coverage. Every change goes through articles.live's services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, strip_tags
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from js_asset import Media as JsMedia

from articles import live
from articles.models import Article, LiveEntry
from articles.models.article import sanitize_body

DESK_ENTRIES = 50


def plain_text_as_html(text: str) -> str:
    """The quick form's plain text as story HTML: blank lines part paragraphs, a
    line break stays one, and a post URL alone in a paragraph becomes an embed."""
    paragraphs = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    html = "".join(
        "<p>" + "<br>".join(escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )
    return sanitize_body(html)


class QuickEntryForm(forms.Form):
    """The compact form at the top of a live story's page (phone width too)."""

    text = forms.CharField(
        label="New update",
        required=False,
        max_length=20000,
        widget=forms.Textarea(
            attrs={
                "rows": 4,
                "class": "live-desk__text",
                "placeholder": "What just happened? A post URL on its own line "
                "becomes an embed.",
            }
        ),
    )
    is_key_event = forms.BooleanField(label="Key event", required=False)
    key_title = forms.CharField(
        label="Key event title",
        max_length=live.KEY_TITLE_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Album of the Year"}),
    )
    is_pinned = forms.BooleanField(label="Pin", required=False)
    photo = LiveEntry._meta.get_field("photo").formfield(required=False)
    photo_alt = forms.CharField(label="Photo alt text", max_length=250, required=False)
    photo_caption = forms.CharField(label="Caption", max_length=300, required=False)


class LiveEntryForm(forms.ModelForm):
    class Meta:
        model = LiveEntry
        fields = ["body", "photo", "photo_alt", "photo_caption"]
        fields += ["is_key_event", "key_title", "is_pinned"]


@admin.register(LiveEntry)
class LiveEntryAdmin(admin.ModelAdmin):
    form = LiveEntryForm
    list_display = ["excerpt", "article", "is_key_event", "is_pinned", "created_at"]
    list_filter = ["is_key_event", "is_pinned"]
    list_select_related = ["article"]
    search_fields = ["body", "key_title", "article__headline"]
    readonly_fields = ["article", "created_at", "updated_at", "deleted_at"]
    fields = ["article", *LiveEntryForm.Meta.fields]
    fields += ["created_at", "updated_at", "deleted_at"]

    class Media:
        css = {"all": ["css/admin-desk.css"]}

    @admin.display(description="update")
    def excerpt(self, obj: LiveEntry) -> str:
        text = obj.key_title or " ".join(strip_tags(obj.body).split())
        removed = " (removed)" if obj.deleted_at else ""
        return Truncator(text).chars(80) + removed

    # --- rights: the stories the user sees, entries of stories they may post on ---

    def get_queryset(self, request: HttpRequest):
        visible = Article.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(article__in=visible)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # entries are posted from the live desk (post_live_entry)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # removal is an event readers receive: remove_live_entry

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or live.can_post_live_entries(
            user=request.user, article=obj.article
        )

    def render_change_form(self, request, context, *args, **kwargs):
        # The rich-text editor's import map is an inline script allowed by nonce.
        nonce = getattr(request, "csp_nonce", "")
        context["media"] = JsMedia.from_media(context["media"], nonce=str(nonce))
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        live.edit_live_entry(
            entry=obj,
            by=request.user,
            body=form.cleaned_data["body"],
            is_key_event=form.cleaned_data["is_key_event"],
            key_title=form.cleaned_data["key_title"],
            is_pinned=form.cleaned_data["is_pinned"],
            photo=form.cleaned_data["photo"] if "photo" in form.changed_data else None,
            photo_alt=form.cleaned_data["photo_alt"],
            photo_caption=form.cleaned_data["photo_caption"],
        )

    def save_related(self, request, form, formsets, change):
        pass  # authors stay those the entry was posted with

    def response_change(self, request, obj):
        self.message_user(request, "Update saved; readers see it within seconds.")
        return HttpResponseRedirect(
            reverse("admin:articles_liveentry_desk", args=[obj.article_id])
        )

    # --- the desk -------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "story/<int:article_pk>/",
                wrap(self.desk_view),
                name="articles_liveentry_desk",
            ),
            path(
                "story/<int:article_pk>/post/",
                wrap(self.post_view),
                name="articles_liveentry_post",
            ),
            path(
                "story/<int:article_pk>/coverage/",
                wrap(self.coverage_view),
                name="articles_liveentry_coverage",
            ),
            path(
                "<int:pk>/remove/",
                wrap(self.remove_view),
                name="articles_liveentry_remove",
            ),
            *super().get_urls(),
        ]

    def _story(self, request: HttpRequest, article_pk: int) -> Article:
        story = get_object_or_404(
            Article.objects.visible_to(request.user), pk=article_pk
        )
        if not live.can_post_live_entries(user=request.user, article=story):
            raise PermissionDenied
        return story

    def _back(self, request: HttpRequest, story: Article) -> HttpResponseRedirect:
        target = request.POST.get("next", "")
        if not (
            target.startswith(reverse("admin:index"))
            and url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}
            )
        ):
            target = reverse("admin:articles_liveentry_desk", args=[story.pk])
        return HttpResponseRedirect(target)

    def desk_view(self, request: HttpRequest, article_pk: int) -> HttpResponse:
        story = self._story(request, article_pk)
        entries = LiveEntry.objects.filter(article=story).with_authors()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Live desk: {story.headline}",
            "story": story,
            "form": QuickEntryForm(),
            "entries": entries.order_by("-created_at", "-id")[:DESK_ENTRIES],
        }
        return TemplateResponse(request, "admin/articles/liveentry/desk.html", context)

    def post_view(self, request: HttpRequest, article_pk: int) -> HttpResponse:
        story = self._story(request, article_pk)
        if request.method != "POST":
            return HttpResponseRedirect(
                reverse("admin:articles_liveentry_desk", args=[story.pk])
            )
        form = QuickEntryForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                self.message_user(request, " ".join(errors), messages.ERROR)
            return self._back(request, story)
        data = form.cleaned_data
        try:
            entry = live.post_live_entry(
                article=story,
                by=request.user,
                body=plain_text_as_html(data["text"]),
                is_key_event=data["is_key_event"],
                key_title=data["key_title"],
                is_pinned=data["is_pinned"],
                photo=data["photo"],
                photo_alt=data["photo_alt"],
                photo_caption=data["photo_caption"],
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return self._back(request, story)
        self.message_user(
            request, f"Posted update {entry.pk}; readers see it within seconds."
        )
        return self._back(request, story)

    def coverage_view(self, request: HttpRequest, article_pk: int) -> HttpResponse:
        story = self._story(request, article_pk)
        if request.method == "POST":
            service = (
                live.end_live_coverage
                if request.POST.get("action") == "end"
                else live.start_live_coverage
            )
            try:
                service(article=story, by=request.user)
                self.message_user(request, "Live coverage updated.")
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
        return self._back(request, story)

    def remove_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = get_object_or_404(self.get_queryset(request), pk=pk)
        story = self._story(request, entry.article_id)
        if request.method == "POST":
            live.remove_live_entry(entry=entry, by=request.user)
            self.message_user(request, f"Removed update {entry.pk}.")
        return self._back(request, story)
