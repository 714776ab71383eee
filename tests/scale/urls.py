"""Test-only URLs: a public list and a form post that writes then reads, with the admin.

They read and write ``auth.Group`` because every install has it; the domain pages are
checked through the project's own URLconf as well.
"""

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


def group_names() -> list[str]:
    return list(Group.objects.order_by("name").values_list("name", flat=True))


@csrf_exempt
def groups(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        Group.objects.create(name=request.POST["name"])
    return JsonResponse({"names": group_names()})


def groups_after_write_on_get(request: HttpRequest) -> JsonResponse:
    """A GET that writes (a view counter, say): its later reads must see the write."""
    before = group_names()
    Group.objects.create(name=request.GET["name"])
    return JsonResponse({"before": before, "after": group_names()})


urlpatterns = [
    path("groups/", groups),
    path("groups/write-then-read/", groups_after_write_on_get),
    path("admin/", admin.site.urls),
]
