"""deploy/nginx/nginx.conf in front of two real gunicorn processes (where Debian's
nginx is installed): it balances over both, and Django sees the scheme it forwards."""

import re
import shutil
import time

import pytest

from tests.scale.conftest import http_request, nginx_in_front_of

pytestmark = pytest.mark.skipif(
    shutil.which("nginx") is None,
    reason="Debian's nginx is not installed (apt-get install nginx-light)",
)


@pytest.fixture
def nginx_in_front(tmp_path, web_processes, process_database):
    """nginx with the project's config, its upstreams pointed at two gunicorns."""
    first, second = web_processes(
        2, DATABASE_URL=process_database, SECURE_SSL_REDIRECT="1"
    )
    with nginx_in_front_of(tmp_path, first, second) as (url, nginx_log):
        yield url, first, second, nginx_log


def test_nginx_spreads_requests_over_both_replicas(nginx_in_front):
    url, first, second, nginx_log = nginx_in_front
    for _ in range(12):
        assert http_request(url + "/healthz")[0] == 200
    time.sleep(0.2)  # let nginx flush its access log
    # nginx's access log names the upstream that answered each request.
    upstreams = re.findall(
        r'"GET /healthz [^"]*" 200 \d+ upstream=(\S+)', nginx_log.read_text()
    )
    assert len(upstreams) == 12
    assert set(upstreams) == {
        f"127.0.0.1:{first.port}",
        f"127.0.0.1:{second.port}",
    }


def test_django_sees_the_scheme_nginx_forwards(nginx_in_front):
    url, _, _, _ = nginx_in_front
    # Plain HTTP through nginx: Django redirects to HTTPS (SECURE_SSL_REDIRECT=1) ...
    status, headers, _ = http_request(url + "/robots.txt")
    assert status == 301 and headers["location"].startswith("https://")
    # ... while a TLS proxy's X-Forwarded-Proto: https reaches Django intact.
    status, headers, _ = http_request(
        url + "/nonexistent-page/", headers={"X-Forwarded-Proto": "https"}
    )
    assert status == 404
    assert "strict-transport-security" in headers
    # Probes are never redirected.
    assert http_request(url + "/healthz")[0] == 200
