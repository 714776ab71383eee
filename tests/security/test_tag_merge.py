"""taggit's "merge tags" admin tool: only for those who may change and delete tags.

taggit's own view checks no permission, so before the fix any staff account (a
writer, a moderator) could retag every story, published ones included.
"""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from taggit.models import Tag

from newsroom.groups import EDITORS, MODERATORS, WRITERS

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:taggit_tag_changelist"


def test_writers_cannot_merge_tags_on_published_stories(client, people, things):
    """taggit's "merge tags" admin view checks no permission of its own."""
    live = things["live"]
    other = Tag.objects.create(name="Kpop", slug="kpop")
    client.force_login(people[WRITERS])
    client.post(
        reverse(CHANGELIST),
        {"action": "render_tag_form", ACTION_CHECKBOX_NAME: [other.pk], "index": 0},
    )
    session = client.session
    session["selected_tag_ids"] = str(Tag.objects.get(slug="k-pop").pk)
    session.save()
    response = client.post(
        reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "hijacked"}
    )
    assert response.status_code == 403
    assert set(live.tags.names()) == {"K-pop"}


@pytest.mark.parametrize("role", [MODERATORS, WRITERS])
def test_merge_tags_page_is_closed_without_tag_rights(client, people, role):
    client.force_login(people[role])
    response = client.get(reverse("admin:taggit_tag_merge_tags"))
    assert response.status_code == 403
    response = client.post(
        reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "x"}
    )
    assert response.status_code == 403


def test_editors_merge_tags(client, people, things):
    live = things["live"]
    other = Tag.objects.create(name="Kpop", slug="kpop")
    client.force_login(people[EDITORS])
    response = client.post(
        reverse(CHANGELIST),
        {
            "action": "render_tag_form",
            ACTION_CHECKBOX_NAME: [other.pk, live.tags.get().pk],
            "index": 0,
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("admin:taggit_tag_merge_tags"), {"new_tag_name": "K-pop news"}
    )
    assert response.status_code == 302
    assert set(live.tags.names()) == {"K-pop news"}
