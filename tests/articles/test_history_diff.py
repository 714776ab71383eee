"""History: a rendered, field-by-field diff of any two versions of a story."""

from __future__ import annotations

import pytest
import reversion
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from articles.admin.history import body_text, word_diff
from tests.articles.factories import ArticleFactory, ArtistFactory, editor

pytestmark = pytest.mark.django_db


def save_version(story, **fields):
    tags = fields.pop("tags", None)
    artists = fields.pop("artists", None)
    with reversion.create_revision():
        for name, value in fields.items():
            setattr(story, name, value)
        story.save()
        if tags is not None:
            story.tags.set(tags)
        if artists is not None:
            story.artists.set(artists)


def history_url(story, **query) -> str:
    url = reverse("admin:articles_article_history", args=[story.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def test_latest_two_versions_are_compared_field_by_field(client):
    ive = ArtistFactory(name="IVE")
    story = ArticleFactory(headline="IVE announce a tour", dek="Dates soon")
    save_version(story, body="<p>Seoul first.</p>", tags=["tour"], artists=[])
    save_version(
        story,
        headline="IVE announce a world tour",
        body="<p>Seoul first, then <b>Tokyo</b>.</p>",
        tags=["tour", "ive"],
        artists=[ive],
    )
    client.force_login(editor(username="erin"))
    html = client.get(history_url(story)).content.decode()
    assert "IVE announce a <ins>world </ins>tour" in html or (
        "<ins>world" in html and "IVE announce a" in html
    )
    assert "<del>first.</del><ins>first," in html and "Tokyo" in html
    assert "<ins>ive</ins>" in html and '<span class="kept">tour</span>' in html
    assert "<ins>IVE</ins>" in html
    assert "Summary (dek) <small>(unchanged)</small>" in html


def test_any_two_versions_in_either_order(client):
    story = ArticleFactory(headline="One")
    for headline in ("One", "Two", "Three"):
        save_version(story, headline=headline)
    first, _, third = Version.objects.get_for_object(story).order_by("pk")
    client.force_login(editor(username="erin"))
    html = client.get(history_url(story, old=third.pk, new=first.pk)).content.decode()
    assert "<del>One</del><ins>Three</ins>" in html


def test_diff_escapes_hostile_text():
    diff = word_diff("<b>safe</b>", '<script>alert("x")</script>')
    assert "<script>" not in diff and "&lt;script&gt;" in diff
    assert body_text("<p>Tom &amp; Jerry</p><p>하나</p>") == "Tom & Jerry\n하나"


def test_history_query_count_does_not_grow_with_versions(client):
    story = ArticleFactory(headline="v0")
    save_version(story, headline="v1", tags=["a"])
    save_version(story, headline="v2", tags=["a", "b"])
    client.force_login(editor(username="erin"))
    client.get(history_url(story))
    with CaptureQueriesContext(connection) as few:
        client.get(history_url(story))
    for n in range(3, 13):
        save_version(story, headline=f"v{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(history_url(story))
    assert len(many) == len(few)
