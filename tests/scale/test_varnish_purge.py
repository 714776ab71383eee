"""A real varnishd with deploy/varnish/default.vcl in front of gunicorn: cached
pages are purged by dependency key (vmod xkey) when content changes, and nothing
else is."""

from __future__ import annotations

import pytest

from tests.scale.conftest import free_port, http_request, manage, project_environment
from tests.scale.varnish import varnish_available, varnish_in_front_of

pytestmark = pytest.mark.skipif(
    not varnish_available(), reason="needs Debian's varnish and varnish-modules"
)

CREATE = """
import datetime
from django.utils import timezone
from articles.models import Article
for slug in ("story-a", "story-b"):
    Article.objects.create(
        headline=f"Headline of {slug}",
        slug=slug,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
"""
APPROVE_REACTION_ON_A = """
from articles.models import Article, FanReaction
FanReaction.objects.create(
    article=Article.objects.get(slug="story-a"),
    display_name="Reader",
    message="Approved reaction on A",
    status=FanReaction.Status.APPROVED,
)
"""
EDIT_A = """
from articles.models import Article
story = Article.objects.get(slug="story-a")
story.headline = "Corrected headline of A"
story.save()
"""


def get(url: str):
    status, headers, body = http_request(url, headers={"User-Agent": "varnish-test"})
    assert status == 200, (url, status)
    return headers, body


def test_varnish_keeps_pages_and_purges_only_those_showing_a_change(
    tmp_path, web_processes, process_database
):
    environment = project_environment(DATABASE_URL=process_database, REDIS_URL="")
    manage("shell", "-c", CREATE, env=environment)
    varnish_port = free_port()
    purge = {"VARNISH_PURGE_URLS": f"http://127.0.0.1:{varnish_port}/"}
    (web,) = web_processes(1, DATABASE_URL=process_database, REDIS_URL="", **purge)
    with varnish_in_front_of(tmp_path / "varnish", web.port, port=varnish_port) as url:
        pages = {"a": "/news/story-a/", "b": "/news/story-b/", "home": "/"}
        for path in pages.values():
            headers, _ = get(url + path)
            assert headers["x-cache"] == "MISS"
            assert "site" in headers["surrogate-key"].split()
            assert "xkey" not in headers
            assert get(url + path)[0]["x-cache"] == "HIT"

        manage("shell", "-c", APPROVE_REACTION_ON_A, env=environment | purge)
        headers, body = get(url + pages["a"])
        assert headers["x-cache"] == "MISS" and "Approved reaction on A" in body
        assert get(url + pages["b"])[0]["x-cache"] == "HIT"
        assert get(url + pages["home"])[0]["x-cache"] == "HIT"

        manage("shell", "-c", EDIT_A, env=environment | purge)
        for name in ("a", "home"):
            headers, body = get(url + pages[name])
            assert headers["x-cache"] == "MISS", name
            assert "Corrected headline of A" in body, name
        assert get(url + pages["b"])[0]["x-cache"] == "HIT"

        # Sessions, the admin and other methods go past the cache.
        status, headers, _ = http_request(
            url + pages["b"], headers={"Cookie": "sessionid=abc"}
        )
        assert headers["x-cache"] == "MISS"
        status, headers, _ = http_request(url + "/admin/login/")
        assert headers["x-cache"] == "MISS"
