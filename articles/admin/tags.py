"""Tags in the admin: taggit's changelist, with a merge tool that keeps every link.

taggit's own merge view checks no permission (any staff account could retag every
story), drops all links of the kept tag when it is one of the selected tags, breaks
on a filtered changelist's address and forgets the form's errors. This one shows what
will be merged, checks rights on the server and merges with ``merge_tags``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from taggit.admin import TagAdmin as TaggitTagAdmin
from taggit.models import Tag

from articles.services import can_merge_tags, merge_tags, tag_name


class MergeTagsForm(forms.Form):
    into = forms.CharField(
        label="Keep as",
        max_length=100,
        help_text=(
            "The name of the tag that stays: one of the tags above, another existing "
            "tag, or a new name. The other tags are deleted."
        ),
    )

    def clean_into(self) -> str:
        return tag_name(self.cleaned_data["into"])


def _selected_ids(raw: str) -> list[int]:
    return sorted({int(part) for part in raw.split(",") if part.strip().isdigit()})


class TagAdmin(TaggitTagAdmin):
    actions = ["render_tag_form"]

    def has_merge_permission(self, request: HttpRequest) -> bool:
        return can_merge_tags(user=request.user)

    @admin.action(description="Merge selected tags", permissions=["merge"])
    def render_tag_form(self, request: HttpRequest, queryset) -> HttpResponse:
        ids = ",".join(str(pk) for pk in sorted(queryset.values_list("pk", flat=True)))
        return HttpResponseRedirect(
            f"{reverse('admin:taggit_tag_merge_tags')}?ids={ids}"
        )

    def merge_tags_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_merge_permission(request):
            raise PermissionDenied
        changelist = reverse("admin:taggit_tag_changelist")
        ids = _selected_ids(request.GET.get("ids", ""))
        tags = list(
            Tag.objects.filter(pk__in=ids)
            .annotate(links=Count("taggit_taggeditem_items"))
            .order_by("-links", "name")
        )
        if not tags:
            self.message_user(
                request, "Select the tags to merge first.", messages.WARNING
            )
            return redirect(changelist)
        if request.method == "POST":
            form = MergeTagsForm(request.POST)
            if form.is_valid():
                kept = merge_tags(
                    tags=tags, into=form.cleaned_data["into"], by=request.user
                )
                merged = [tag.name for tag in tags if tag.pk != kept.pk]
                self.message_user(
                    request,
                    f"Merged {len(merged)} tag{'s' if len(merged) != 1 else ''} "
                    f"into “{kept.name}”.",
                    messages.SUCCESS,
                )
                return redirect(changelist)
        else:
            form = MergeTagsForm(initial={"into": tags[0].name})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Merge tags",
            "tags": tags,
            "form": form,
            "changelist_url": changelist,
        }
        return TemplateResponse(request, "admin/taggit/merge_tags_form.html", context)


admin.site.unregister(Tag)
admin.site.register(Tag, TagAdmin)
