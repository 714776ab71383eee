"""Purge-by-key backends for the CDN in front, against local stub servers."""

from __future__ import annotations

import importlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from articles.models import Article
from core import purge
from newsroom import settings as project_settings


class Recorder(BaseHTTPRequestHandler):
    """Answers every request 200 and records its method, path, headers and body."""

    def _record(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.server.seen.append(
            (
                self.command,
                self.path,
                dict(self.headers),
                self.rfile.read(length) if length else b"",
            )
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"success": true}')

    do_POST = do_PURGE = _record

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fastly_purges_by_surrogate_key_with_its_token(stub, settings):
    server, url = stub
    settings.PAGE_CACHE_PURGERS = [
        (
            "core.purge.FastlyPurge",
            {"service_id": "SU1Z0isxPaozGVKXdv0eY", "token": "t0ken", "api_url": url},
        )
    ]
    purge.purge_keys(["story:12", "list:home", "story:12"])
    ((method, path, headers, _),) = server.seen
    assert (method, path) == ("POST", "/service/SU1Z0isxPaozGVKXdv0eY/purge")
    assert headers["Fastly-Key"] == "t0ken"
    assert headers["Surrogate-Key"] == "list:home story:12"


def test_cloudflare_purges_by_cache_tag_thirty_at_a_time(stub, settings):
    server, url = stub
    settings.PAGE_CACHE_PURGERS = [
        (
            "core.purge.CloudflarePurge",
            {"zone_id": "zone9", "token": "cf", "api_url": url},
        )
    ]
    keys = [f"story:{n}" for n in range(45)]
    purge.purge_keys(keys)
    assert [path for _, path, _, _ in server.seen] == ["/zones/zone9/purge_cache"] * 2
    assert server.seen[0][2]["Authorization"] == "Bearer cf"
    tags = [json.loads(body)["tags"] for *_, body in server.seen]
    assert len(tags[0]) == 30 and sorted(tags[0] + tags[1]) == sorted(keys)


def test_a_failing_cdn_never_fails_the_save(settings, caplog):
    settings.PAGE_CACHE_PURGERS = [
        ("core.purge.VarnishXkeyPurge", {"urls": ["http://127.0.0.1:9/"]})
    ]
    purge.purge_keys(["story:1"])  # nothing listens on port 9: logged, not raised
    assert "CDN purge failed" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_saved_story_purges_its_keys_once_the_save_commits(stub, settings):
    server, url = stub
    settings.PAGE_CACHE_ENABLED = True
    settings.PAGE_CACHE_PURGERS = [
        ("core.purge.FastlyPurge", {"service_id": "svc", "token": "t", "api_url": url})
    ]
    story = Article.objects.create(
        headline="Purged at commit",
        slug="purged",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    keys = set(server.seen[-1][2]["Surrogate-Key"].split())
    assert {f"story:{story.pk}", "list:home", "feed", "sitemap"} <= keys


def test_the_environment_configures_the_backends(monkeypatch):
    monkeypatch.setenv("VARNISH_PURGE_URLS", "http://varnish:6081/, http://v2:6081/")
    monkeypatch.setenv("CLOUDFLARE_ZONE_ID", "z")
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "tok")
    try:
        configured = importlib.reload(project_settings).PAGE_CACHE_PURGERS
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
    assert configured[0] == (
        "core.purge.VarnishXkeyPurge",
        {"urls": ["http://varnish:6081/", "http://v2:6081/"]},
    )
    assert configured[1][0] == "core.purge.CloudflarePurge"
    assert configured[1][1]["zone_id"] == "z" and configured[1][1]["token"] == "tok"
