"""Behind the shipped nginx, every limit sees the client's own address.

Debian's nginx runs deploy/nginx/nginx.conf in front of two gunicorns that share a
database and Redis, with TRUSTED_PROXY_COUNT=1 as in docker-compose.prod.yml.
Clients connect to nginx from different loopback addresses (127.0.0.2, .3, .4: the
client socket is bound to its source address), so nginx sees each one as it would
see readers on the internet. Before the fix every request reached Django from
nginx's address: one stranger's five wrong passwords locked every colleague out,
and all readers shared one reactions allowance.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest

from tests.scale.conftest import manage, nginx_in_front_of, project_environment

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None,
    reason="Debian's nginx is not installed (apt-get install nginx-light)",
)

PASSWORD = "a-long-passw0rd-for-the-proxy-test"
LIMIT = 3
STORY = "/news/reactions-welcome/"


@dataclass
class Visitor:
    """A browser on one source address: its cookies, one User-Agent."""

    url: str
    source: str
    agent: str = "Mozilla/5.0 (X11; Linux x86_64) proxy-test/1.0"
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self,
        method: str,
        path: str,
        fields: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, str]:
        parts = urlsplit(self.url)
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=15, source_address=(self.source, 0)
        )
        sent = {"User-Agent": self.agent, "Host": "127.0.0.1"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.update(headers or {})
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            for line in response.headers.get_all("Set-Cookie") or []:
                name, value = line.split(";", 1)[0].split("=", 1)
                self.cookies[name.strip()] = value.strip()
            return response.status, response.read().decode(errors="replace")
        finally:
            connection.close()

    def react(self, n: int, headers: dict[str, str] | None = None) -> int:
        status, body = self.request("GET", "/reactions/token/")
        assert status == 200, body
        token = json.loads(body)["token"]
        status, body = self.request(
            "POST",
            STORY + "reactions/",
            {"display_name": "Lilac fan", "message": f"Reaction {n}: 정말 좋아요"},
            {"X-CSRFToken": token, "Accept": "application/json"} | (headers or {}),
        )
        return status

    def log_in(
        self, username: str, password: str, headers: dict[str, str] | None = None
    ) -> int:
        status, page = self.request("GET", "/admin/login/", headers=headers)
        assert status == 200, page
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        status, _ = self.request(
            "POST",
            "/admin/login/?next=/admin/",
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1),
                "next": "/admin/",
            },
            headers,
        )
        return status


@pytest.fixture
def site_behind_nginx(tmp_path, web_processes, process_database, shared_redis):
    """nginx -> two gunicorns (one database, one Redis), as the prod compose runs."""
    env = project_environment(DATABASE_URL=process_database)
    manage(
        "createsuperuser",
        "--noinput",
        "--username",
        "mod-min",
        "--email",
        "mod@example.com",
        env=env | {"DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )
    manage(
        "shell",
        "--no-imports",
        "-c",
        "import datetime\n"
        "from django.utils import timezone\n"
        "from articles.models import Article\n"
        "Article.objects.create(headline='Reactions welcome',"
        " slug='reactions-welcome', body='<p>Tell us.</p>', status='published',"
        " published_at=timezone.now() - datetime.timedelta(hours=1))",
        env=env,
    )
    first, second = web_processes(
        2,
        DATABASE_URL=process_database,
        TRUSTED_PROXY_COUNT="1",
        REACTIONS_RATE_LIMIT=str(LIMIT),
        REACTIONS_RATE_LIMIT_PER_ADDRESS=str(LIMIT),
        **shared_redis,
    )
    with nginx_in_front_of(tmp_path, first, second) as (url, _):
        yield url, first, second


def test_two_readers_on_two_addresses_get_two_allowances(site_behind_nginx):
    url, first, second = site_behind_nginx
    one, two = Visitor(url, "127.0.0.2"), Visitor(url, "127.0.0.3")
    # The same browser on both: only the address tells them apart.
    assert [one.react(n) for n in range(LIMIT + 1)] == [201] * LIMIT + [429], (
        first.log() + second.log()
    )
    assert [two.react(10 + n) for n in range(LIMIT + 1)] == [201] * LIMIT + [429]

    # A forged X-Forwarded-For (and a new browser) buys the first reader nothing:
    # nginx appends the real address, and only that last entry is trusted.
    for n, forged in enumerate(["198.51.100.1", "127.0.0.9", "10.0.0.1, 127.0.0.5"]):
        robot = Visitor(url, "127.0.0.2", agent=f"Robot/{n}")
        assert robot.react(20 + n, {"X-Forwarded-For": forged}) == 429


def test_a_stranger_cannot_lock_a_staff_member_out(site_behind_nginx):
    url, first, second = site_behind_nginx
    stranger = Visitor(url, "127.0.0.4")
    # Five wrong passwords, each claiming to come from the moderator's address.
    statuses = [
        stranger.log_in("mod-min", f"guess-{n}", {"X-Forwarded-For": "127.0.0.3"})
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429], first.log() + second.log()
    # The stranger's own address is locked out, even with the right password ...
    assert stranger.log_in("mod-min", PASSWORD) == 429
    # ... while the moderator, at 127.0.0.3, signs in.
    moderator = Visitor(url, "127.0.0.3")
    assert moderator.log_in("mod-min", PASSWORD) == 302
    status, page = moderator.request("GET", "/admin/")
    assert status == 200 and "Failed sign-ins, last 24 hours" in page
    # The desk names the stranger's address, not nginx's nor the forged one.
    assert "from 127.0.0.4" in page
