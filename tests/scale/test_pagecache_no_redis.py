"""Coherent by default: two gunicorn processes, no Redis, one database file.

Pages are kept in the file store under var/ (here: this run's PAGE_CACHE_DIR, which
the processes inherit), so an edit saved through A shows on B's very next answer.
"""

from __future__ import annotations

import re

from tests.scale.conftest import http_request, manage, project_environment
from tests.scale.test_pages_across_processes import (
    BROWSER,
    PASSWORD,
    Browser,
    form_fields,
    log_in,
)

CREATE_STORY = """
import datetime
from django.utils import timezone
from articles.models import Article
Article.objects.create(
    headline="Original headline about 아이유",
    slug="iu-original",
    body="<p>First version.</p>",
    status=Article.Status.PUBLISHED,
    published_at=timezone.now() - datetime.timedelta(hours=1),
)
"""


def anonymous_get(web, path):
    return http_request(web.url + path, headers={"User-Agent": BROWSER})


def test_without_redis_an_edit_through_a_shows_on_bs_next_answer(
    web_processes, process_database
):
    environment = project_environment(
        DATABASE_URL=process_database, REDIS_URL="", DJANGO_SUPERUSER_PASSWORD=PASSWORD
    )
    manage(
        "createsuperuser",
        "--noinput",
        "--username",
        "desk-editor",
        "--email",
        "desk@example.com",
        env=environment,
    )
    manage("shell", "-c", CREATE_STORY, env=environment)
    a, b = web_processes(
        2, DATABASE_URL=process_database, REDIS_URL="", PAGE_CACHE_ENABLED="1"
    )
    path = "/news/iu-original/"
    for web in (a, b):
        status, headers, page = anonymous_get(web, path)
        assert status == 200, web.log()
        assert "Original headline about 아이유" in page
    # Both hold it now (B stored it or found A's copy), answering from the cache.
    assert anonymous_get(b, path)[1]["x-page-cache"] == "hit"
    assert anonymous_get(a, path)[1]["x-page-cache"] == "hit"

    editor = Browser()
    log_in(editor, a, "desk-editor")
    status, _, page = editor.get(a, "/admin/articles/article/")
    story_id = re.search(r"/admin/articles/article/(\d+)/change/", page).group(1)
    change_path = f"/admin/articles/article/{story_id}/change/"
    status, _, form_page = editor.get(a, change_path)
    assert status == 200, a.log()
    fields = [
        (name, "Corrected headline about 아이유" if name == "headline" else value)
        for name, value in form_fields(form_page, "article_form")
    ]
    status, _, _ = editor.post(a, change_path, fields)
    assert status == 302, a.log()

    status, headers, page = anonymous_get(b, path)
    assert "Corrected headline about 아이유" in page, b.log()
    assert "Original headline" not in page
    assert headers["x-page-cache"] == "miss"
    assert anonymous_get(b, path)[1]["x-page-cache"] == "hit"
    assert "Corrected headline about 아이유" in anonymous_get(a, path)[2]
