"""deploy/nginx/nginx.conf in front of two real gunicorn processes (where Debian's
nginx is installed): it balances over both, and Django sees the scheme it forwards."""

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.scale.conftest import free_port, http_request

NGINX_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "nginx.conf"

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
    port = free_port()
    conf = NGINX_CONF.read_text()
    conf = conf.replace("server web-1:8000", f"server 127.0.0.1:{first.port}")
    conf = conf.replace("server web-2:8000", f"server 127.0.0.1:{second.port}")
    conf = conf.replace("server minio:9000", "server 127.0.0.1:9")
    conf = conf.replace("listen 80 default_server", f"listen 127.0.0.1:{port}")
    conf = conf.replace("pid /tmp/nginx.pid", f"pid {tmp_path / 'nginx.pid'}")
    conf = "daemon off;\n" + conf
    (tmp_path / "nginx.conf").write_text(conf)
    log = (tmp_path / "nginx.log").open("wb")
    process = subprocess.Popen(
        ["nginx", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if http_request(url + "/nginx-health", timeout=1)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError((tmp_path / "nginx.log").read_text())
        yield url, first, second, tmp_path / "nginx.log"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


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
