"""Tags in the admin: taggit's own admin, with its "merge tags" tool behind rights.

taggit's merge view checks no permission at all, so any staff account (a writer, a
moderator) could retag every story, published ones included. Merging rewrites and
deletes tags, so it needs both the change and the delete permission on tags.
"""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag


class TagAdmin(TaggitTagAdmin):
    actions = ["render_tag_form"]

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return self.has_change_permission(request) and self.has_delete_permission(
            request
        )

    @admin.action(description="Merge selected tags", permissions=["merge"])
    def render_tag_form(self, request: HttpRequest, queryset) -> HttpResponse:
        return super().render_tag_form(request, queryset)

    def merge_tags_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_merge_permission(request):
            raise PermissionDenied
        return super().merge_tags_view(request)


admin.site.unregister(Tag)
admin.site.register(Tag, TagAdmin)
