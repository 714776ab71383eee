"""Page-level sharing across processes: two gunicorn processes on different ports, one
Redis and one PostgreSQL database, the page cache on.

* A story cached by B changes the moment an editor saves it through A's admin.
* The fan-reaction rate limit counts submissions made through both processes.
"""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from tests.scale.conftest import (
    WebProcess,
    http_request,
    is_postgresql,
    manage,
    project_environment,
)

pytestmark = pytest.mark.skipif(
    not is_postgresql(),
    reason="gunicorn processes share the test database only on PostgreSQL "
    "(set DATABASE_URL=postgres://...); the SQLite test database lives in memory",
)

PASSWORD = "a-long-passw0rd-for-scale"
RATE_LIMIT = 3
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) scale-test/1.0"


# --- a tiny browser: cookies, CSRF tokens and the values of an HTML form --------------


class FormReader(HTMLParser):
    """Every successful control of one form, as a browser would submit it."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: list | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name and "disabled" not in attributes:
            kind = attributes.get("type", "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attributes:
                return
            self.fields.append((name, attributes.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.fields.append((self._select, attributes.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self.inside:
            self.inside = False


def form_fields(page: str, form_id: str) -> list[tuple[str, str]]:
    reader = FormReader(form_id)
    reader.feed(page)
    assert reader.fields, f"no form #{form_id} on the page"
    return reader.fields


class Browser:
    """Cookies kept per browser, the same user agent on every request."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"User-Agent": BROWSER}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers | (extra or {})

    def _keep(self, headers: dict[str, str]) -> None:
        for line in headers.get("set-cookie", "").split("\n"):
            if "=" in line:
                name, value = line.split(";", 1)[0].split("=", 1)
                self.cookies[name.strip()] = value.strip()

    def get(self, web: WebProcess, path: str) -> tuple[int, dict[str, str], str]:
        status, headers, body = http_request(web.url + path, headers=self._headers())
        self._keep(headers)
        return status, headers, body

    def post(
        self,
        web: WebProcess,
        path: str,
        fields: list[tuple[str, str]] | dict[str, str],
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        status, response_headers, body = http_request(
            web.url + path,
            data=urlencode(fields).encode(),
            headers=self._headers(
                {"Content-Type": "application/x-www-form-urlencoded"} | (headers or {})
            ),
        )
        self._keep(response_headers)
        return status, response_headers, body


def anonymous_get(web: WebProcess, path: str) -> tuple[int, dict[str, str], str]:
    """A reader without cookies: the page cache answers."""
    return http_request(web.url + path, headers={"User-Agent": BROWSER})


def log_in(browser: Browser, web: WebProcess, username: str) -> None:
    status, _, page = browser.get(web, "/admin/login/")
    assert status == 200, web.log()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, headers, _ = browser.post(
        web,
        "/admin/login/?next=/admin/",
        {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token,
            "next": "/admin/",
        },
    )
    assert status == 302 and headers["location"] == "/admin/", web.log()


@pytest.fixture
def two_processes(web_processes, shared_redis, shared_database_url):
    """A and B: one database, one Redis, the page cache on, a small reaction limit."""
    return web_processes(
        2,
        DATABASE_URL=shared_database_url,
        PAGE_CACHE_ENABLED="1",
        REACTIONS_RATE_LIMIT=str(RATE_LIMIT),
        REACTIONS_RATE_WINDOW="600",
        TASK_BACKEND="immediate",
        **shared_redis,
    )


def test_an_edit_through_a_shows_at_once_on_bs_cached_page(
    two_processes, shared_database_url
):
    from tests.articles.factories import ArticleFactory

    # Through manage.py: the tests' fast hasher is not one the servers accept.
    manage(
        "createsuperuser",
        "--noinput",
        "--username",
        "desk-editor",
        "--email",
        "desk@example.com",
        env=project_environment(
            DATABASE_URL=shared_database_url, DJANGO_SUPERUSER_PASSWORD=PASSWORD
        ),
    )
    story = ArticleFactory(
        published=True,
        headline="Original headline about 아이유",
        slug="iu-original",
        body="<p>First version.</p>",
    )
    a, b = two_processes
    path = story.get_absolute_url()

    status, headers, page = anonymous_get(b, path)
    assert status == 200, b.log()
    assert headers["x-page-cache"] == "miss"
    assert "Original headline about 아이유" in page
    status, headers, page = anonymous_get(b, path)
    assert headers["x-page-cache"] == "hit"  # B now answers from the shared cache
    assert "Original headline about 아이유" in page

    # An editor logs in on A and saves the story's change form, as a browser would.
    editor = Browser()
    log_in(editor, a, "desk-editor")
    change_path = f"/admin/articles/article/{story.pk}/change/"
    status, _, form_page = editor.get(a, change_path)
    assert status == 200, a.log()
    fields = [
        (name, "Corrected headline about 아이유" if name == "headline" else value)
        for name, value in form_fields(form_page, "article_form")
    ]
    status, headers, answer = editor.post(a, change_path, fields)
    assert status == 302, _errors(answer) or a.log()

    # B's next answer for the same URL is the new page, with no waiting.
    status, headers, page = anonymous_get(b, path)
    assert status == 200
    assert "Corrected headline about 아이유" in page
    assert "Original headline" not in page
    assert headers["x-page-cache"] == "miss"  # rendered afresh, then cached again
    assert anonymous_get(b, path)[1]["x-page-cache"] == "hit"
    # And A agrees.
    assert "Corrected headline about 아이유" in anonymous_get(a, path)[2]


def _errors(page: str) -> str:
    found = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page, re.S)
    return " | ".join(re.sub(r"<[^>]+>", "", item).strip() for item in found)


def test_the_reaction_rate_limit_counts_across_both_processes(two_processes):
    from articles.models import FanReaction
    from tests.articles.factories import ArticleFactory

    story = ArticleFactory(published=True, headline="Reactions welcome")
    a, b = two_processes
    reader = Browser()
    status, _, body = reader.get(a, "/reactions/token/")
    assert status == 200, a.log()
    token = json.loads(body)["token"]

    answers = []
    for n in range(RATE_LIMIT * 2):
        web = (a, b)[n % 2]  # alternating: A, B, A, B, ...
        status, _, body = reader.post(
            web,
            story.get_absolute_url() + "reactions/",
            {
                "display_name": "Lilac fan",
                "message": f"Reaction number {n + 1}: 정말 좋아요",
                "emoji": "",
            },
            headers={"X-CSRFToken": token, "Accept": "application/json"},
        )
        answers.append((web.port, status, json.loads(body)["status"]))
        time.sleep(0.05)

    accepted = [answer for answer in answers if answer[1] == 201]
    assert len(accepted) == RATE_LIMIT, answers
    assert {port for port, _, _ in accepted} == {a.port, b.port}  # both counted
    assert [status for _, status, _ in answers[RATE_LIMIT:]] == [429] * RATE_LIMIT
    assert FanReaction.objects.filter(article=story).count() == RATE_LIMIT
