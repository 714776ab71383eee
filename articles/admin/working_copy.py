"""The story form's working copy in the admin: background saves, the offer to
restore on the next visit, discarding, and forgetting it after a real save."""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponseRedirect, JsonResponse
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from articles.models import Article, WorkingCopy
from articles.working_copies import (
    discard_working_copy,
    save_working_copy,
    working_copy_of,
)

# Never restored from a copy: the workflow step belongs to the moment of saving.
NOT_RESTORED = frozenset({"workflow_note", "publish_at_0", "publish_at_1"})
RESTORE_PARAMETER = "restore"


def autosave_seconds() -> int:
    """How often the form saves itself (10–15 s; tests set it lower)."""
    return int(getattr(settings, "STORY_AUTOSAVE_SECONDS", 12))


class WorkingCopyAdminMixin:
    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "editor/working-copy/",
                wrap(never_cache(require_POST(self.working_copy_view))),
                name="articles_article_working_copy_new",
            ),
            path(
                "<path:object_id>/working-copy/",
                wrap(never_cache(require_POST(self.working_copy_view))),
                name="articles_article_working_copy",
            ),
            *super().get_urls(),
        ]

    def _story_in_form(self, request: HttpRequest, object_id: str | None):
        """The saved story the form edits (None on the add page) when the user may
        edit it; else 403, or 404 for a story out of their sight."""
        if object_id is None:
            if not self.has_add_permission(request):
                raise PermissionDenied
            return None
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404("No such story.")
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def working_copy_view(self, request: HttpRequest, object_id: str | None = None):
        """POST the form's fields (``action=save``) to keep them; ``action=discard``
        forgets them (then back to the form)."""
        article = self._story_in_form(request, object_id)
        if request.POST.get("action") == "discard":
            discard_working_copy(user=request.user, article=article)
            self.message_user(request, "Discarded your unsaved changes.")
            return HttpResponseRedirect(_form_url(article))
        fields = {key: request.POST.getlist(key) for key in request.POST}
        fields.pop("action", None)
        try:
            copy = save_working_copy(user=request.user, article=article, fields=fields)
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=413)
        return JsonResponse({"saved_at": copy.saved_at.isoformat()})

    # --- the form ----------------------------------------------------------------

    def _restoring(self, request: HttpRequest, article) -> WorkingCopy | None:
        if request.method != "GET" or RESTORE_PARAMETER not in request.GET:
            return None
        return working_copy_of(user=request.user, article=article)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        initial.pop(RESTORE_PARAMETER, None)
        copy = self._restoring(request, None)
        return {**initial, **_restorable(copy)} if copy else initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        copy = self._restoring(request, obj) if obj is not None else None
        if copy is None:
            return form
        restored = _restorable(copy)

        class RestoredForm(form):
            def __init__(self, *args, **kwargs):
                if not args and "data" not in kwargs:
                    kwargs["initial"] = {**restored, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return RestoredForm

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Saved for real: the copy of this story (or of the new one) is spent.
        discard_working_copy(user=request.user, article=obj if change else None)

    def working_copy_context(self, request: HttpRequest, article) -> dict:
        """What the form's banner and autosave script need."""
        copy = working_copy_of(user=request.user, article=article)
        if article is None:
            url = reverse("admin:articles_article_working_copy_new")
        else:
            url = reverse("admin:articles_article_working_copy", args=[article.pk])
        return {
            "working_copy": copy,
            "working_copy_restored": copy is not None
            and RESTORE_PARAMETER in request.GET,
            "working_copy_url": url,
            "autosave_seconds": autosave_seconds(),
        }


def _restorable(copy: WorkingCopy) -> dict:
    return {
        name: value
        for name, value in copy.data.items()
        if name not in NOT_RESTORED and "-" not in name
    }


def _form_url(article: Article | None) -> str:
    if article is None:
        return reverse("admin:articles_article_add")
    return reverse("admin:articles_article_change", args=[article.pk])
