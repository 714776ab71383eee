"""The read beacon's WSGI front door: counted like the view counts, without Django's
stack, and anything unusual handed on to the view."""

from __future__ import annotations

import io

import pytest

from articles import reads
from articles.beacon import ReadBeaconWSGI
from articles.models import StoryReads
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537"


class Inner:
    """Stands for Django: records that the request was handed on."""

    def __init__(self) -> None:
        self.called = 0

    def __call__(self, environ, start_response):
        self.called += 1
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"django"]


def post(door, body: bytes = b"", **environ):
    answer = {}
    base = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/reads/",
        "SCRIPT_NAME": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "wsgi.url_scheme": "http",
        "CONTENT_TYPE": "application/x-www-form-urlencoded;charset=UTF-8",
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_USER_AGENT": BROWSER,
        "HTTP_SEC_FETCH_SITE": "same-origin",
        "wsgi.input": io.BytesIO(body),
    }

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    answer["body"] = b"".join(door({**base, **environ}, start_response))
    return answer


def total_reads(story) -> int:
    reads.flush_reads()
    return sum(StoryReads.objects.filter(article=story).values_list("reads", flat=True))


def test_a_readers_beacon_is_counted_at_the_door_with_an_empty_204():
    inner = Inner()
    door = ReadBeaconWSGI(inner)
    story = ArticleFactory(published=True)
    answer = post(door, f"story={story.pk}".encode())
    assert answer["status"] == "204 No Content" and answer["body"] == b""
    assert "no-store" in answer["headers"]["Cache-Control"]
    assert "Set-Cookie" not in answer["headers"]
    assert inner.called == 0
    post(door, f"story={story.pk}".encode())  # the same reader again: once a day
    assert total_reads(story) == 1


def test_bots_prefetches_and_other_sites_are_answered_but_not_counted():
    door = ReadBeaconWSGI(Inner())
    story = ArticleFactory(published=True)
    body = f"story={story.pk}".encode()
    for environ in (
        {"HTTP_USER_AGENT": "Googlebot/2.1 (+http://www.google.com/bot.html)"},
        {"HTTP_USER_AGENT": ""},
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
    ):
        assert post(door, body, **environ)["status"] == "204 No Content"
    for junk in (b"story=abc", b"story=-1", b"story=", b"s=1&t=2&u=3&v=4&w=5&x=6"):
        assert post(door, junk)["status"] == "204 No Content"
    assert total_reads(story) == 0


def test_readers_behind_the_proxy_are_told_apart_by_the_trusted_hop(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    door = ReadBeaconWSGI(Inner())
    story = ArticleFactory(published=True)
    body = f"story={story.pk}".encode()
    for client in ("198.51.100.1", "198.51.100.2", "198.51.100.2"):
        # Every connection comes from nginx; the client is the hop nginx added,
        # whatever the client wrote before it.
        post(
            door,
            body,
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR=f"6.6.6.6, {client}",
        )
    assert total_reads(story) == 2


@pytest.mark.parametrize(
    "environ",
    [
        {"HTTP_COOKIE": "sessionid=abc"},  # staff are not counted: the view checks
        {"CONTENT_TYPE": "multipart/form-data; boundary=x"},
        {"CONTENT_LENGTH": "5000"},
        {"SCRIPT_NAME": "/newsroom"},
        {"PATH_INFO": "/news/a-story/"},
        {"REQUEST_METHOD": "GET"},
    ],
)
def test_anything_unusual_goes_to_django(environ):
    inner = Inner()
    answer = post(ReadBeaconWSGI(inner), b"story=1", **environ)
    assert answer["status"] == "200 OK" and inner.called == 1


def test_the_site_application_counts_beacons_at_the_door():
    from newsroom.wsgi import application

    story = ArticleFactory(published=True)
    answer = post(application, f"story={story.pk}".encode())
    assert answer["status"] == "204 No Content"
    assert total_reads(story) == 1
