"""oEmbed against a real HTTP server on 127.0.0.1: good answers and every bad one."""

import datetime
import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from PIL import Image

from articles.models import Article, SocialPost
from articles.oembed import (
    OEmbedError,
    fetch_post_details,
    fetch_social_post_details,
    read_capped,
    request_details,
)
from articles.social_urls import Platform
from core import tasks

X_URL = "https://x.com/lilac_notes_fan/status/1750091641508766131"
YT_URL = "https://www.youtube.com/watch?v=JleoAppaxi0"

X_ANSWER = {
    "url": X_URL,
    "author_name": "Lilac Notes",
    "author_url": "https://twitter.com/lilac_notes_fan",
    "html": (
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Watched it four '
        "times &amp; counting.<br>Still <b>not</b> over it "
        '<a href="https://t.co/abc">pic.twitter.com/abc</a></p>&mdash; Lilac Notes '
        '(@lilac_notes_fan) <a href="https://twitter.com/lilac_notes_fan/status/'
        '1750091641508766131">January 24, 2024</a></blockquote>\n'
        '<script async src="https://platform.twitter.com/widgets.js"></script>'
    ),
    "type": "rich",
    "version": "1.0",
}


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 18), (200, 16, 46)).save(buffer, "PNG")
    return buffer.getvalue()


class OEmbedHandler(BaseHTTPRequestHandler):
    """Answers by path, the way real and broken endpoints do."""

    requests: list[str] = []
    busy = 0

    def log_message(self, *args):  # keep test output quiet
        pass

    def send(
        self, status: int, body: bytes, content_type="application/json", **headers
    ):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if headers.get("length", True):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = urlsplit(self.path)
        type(self).requests.append(self.path)
        query = parse_qs(parts.query)
        route = parts.path
        if route == "/x/oembed":
            assert query["url"] == [X_URL] and query["format"] == ["json"]
            self.send(200, json.dumps(X_ANSWER).encode())
        elif route == "/youtube/oembed":
            host = f"http://{self.headers['Host']}"
            thumb = query.get("thumb", ["/thumb.png"])[0]
            answer = {
                "title": "IU 'Love wins all' MV",
                "author_name": "IU",
                "author_url": "https://www.youtube.com/@dlwlrma",
                "thumbnail_url": thumb if "://" in thumb else f"{host}{thumb}",
                "html": '<iframe src="https://www.youtube.com/embed/JleoAppaxi0"></iframe>',
            }
            self.send(200, json.dumps(answer).encode())
        elif route == "/thumb.png":
            self.send(200, png_bytes(), "image/png")
        elif route == "/not-an-image":
            self.send(200, b"<html>nope</html>", "text/html")
        elif route == "/slow":
            time.sleep(1.5)
            self.send(200, b"{}")
        elif route == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            for _ in range(30):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.1)
        elif route in {"/redirect", "/redirect-ftp"}:
            target = "ftp://127.0.0.1/oembed" if route.endswith("ftp") else "/x/oembed"
            self.send_response(302)
            self.send_header("Location", target + "?" + parts.query)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif route == "/error":
            self.send(500, b'{"error": "boom"}')
        elif route == "/busy-then-x":  # fails twice, then answers
            type(self).busy += 1
            if type(self).busy <= 2:
                self.send(503, b'{"error": "busy"}')
            else:
                self.send(200, json.dumps(X_ANSWER).encode())
        elif route == "/malformed":
            self.send(200, b'{"author_name": "Lilac", ')
        elif route == "/array":
            self.send(200, b'["not", "an", "object"]')
        elif route == "/huge":
            self.send(200, b'{"title": "' + b"a" * 1_000_000 + b'"}')
        elif route == "/huge-unannounced":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b"a" * 10_000)
        else:
            self.send(404, b"{}")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """The client hanging up on a huge or slow answer is the point of the test."""


@pytest.fixture
def oembed_server():
    OEmbedHandler.requests = []
    OEmbedHandler.busy = 0
    server = QuietServer(("127.0.0.1", 0), OEmbedHandler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def delays(monkeypatch) -> list[float]:
    """The task's backoff sleeps, recorded instead of waited out."""
    recorded: list[float] = []
    monkeypatch.setattr(tasks, "sleep", recorded.append)
    return recorded


@pytest.fixture
def endpoints(settings, oembed_server):
    """Point every platform at the local server; a test may re-point one."""
    settings.EMBEDS_OEMBED_TIMEOUT = 0.5
    settings.EMBEDS_OEMBED_MAX_BYTES = 64 * 1024
    settings.EMBEDS_OEMBED_ENDPOINTS = {
        "x": f"{oembed_server}/x/oembed",
        "youtube": f"{oembed_server}/youtube/oembed",
        "tiktok": f"{oembed_server}/error",
        "instagram": "",
    }
    return settings.EMBEDS_OEMBED_ENDPOINTS


def make_post(platform=Platform.X, post_id="1750091641508766131", url=X_URL, **kw):
    return SocialPost.objects.create(platform=platform, post_id=post_id, url=url, **kw)


# -- request_details: the answer, reduced to what we store ----------------------------


def test_x_answer_becomes_plain_text_author_handle_and_date(endpoints):
    details = request_details("x", X_URL)
    assert details.author_name == "Lilac Notes"
    assert details.author_handle == "lilac_notes_fan"
    assert (
        details.text
        == "Watched it four times & counting.\nStill not over it pic.twitter.com/abc"
    )
    assert details.posted_at.date() == datetime.date(2024, 1, 24)
    assert "<" not in details.text


def test_youtube_answer_gives_title_author_and_thumbnail(endpoints, oembed_server):
    details = request_details("youtube", YT_URL)
    assert details.text == "IU 'Love wins all' MV"
    assert details.author_handle == "dlwlrma"
    assert details.thumbnail_url == f"{oembed_server}/thumb.png"


def test_a_platform_without_an_endpoint_is_an_error_not_a_request(endpoints):
    with pytest.raises(OEmbedError, match="no oEmbed endpoint"):
        request_details("instagram", "https://www.instagram.com/p/C2abcDEF_12/")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/slow", "timed out"),
        ("/trickle", "timed out"),
        ("/error", "HTTP 500"),
        ("/malformed", "malformed JSON"),
        ("/array", "not a JSON object"),
        ("/huge", "too large"),
        ("/huge-unannounced", "larger than"),
    ],
)
def test_bad_answers_raise_a_short_reason(
    endpoints, oembed_server, settings, path, reason
):
    settings.EMBEDS_OEMBED_ENDPOINTS = {**endpoints, "x": oembed_server + path}
    started = time.monotonic()
    with pytest.raises(OEmbedError, match=reason):
        request_details("x", X_URL)
    assert time.monotonic() - started < 1.4  # bounded by the timeout, not the server


def test_a_refused_connection_is_a_network_error(settings, endpoints):
    settings.EMBEDS_OEMBED_ENDPOINTS = {**endpoints, "x": "http://127.0.0.1:9/oembed"}
    with pytest.raises(OEmbedError, match="network error"):
        request_details("x", X_URL)


def test_a_redirect_to_http_is_followed(settings, endpoints, oembed_server):
    settings.EMBEDS_OEMBED_ENDPOINTS = {**endpoints, "x": oembed_server + "/redirect"}
    assert request_details("x", X_URL).author_name == "Lilac Notes"


def test_a_redirect_to_another_scheme_is_refused(settings, endpoints, oembed_server):
    settings.EMBEDS_OEMBED_ENDPOINTS = {
        **endpoints,
        "x": oembed_server + "/redirect-ftp",
    }
    with pytest.raises(OEmbedError, match="non-http"):
        request_details("x", X_URL)


def test_only_http_urls_are_fetched():
    with pytest.raises(OEmbedError, match="only http"):
        read_capped("file:///etc/passwd", timeout=1, max_bytes=10, accept="*/*")


# -- fetch_post_details: recorded on the post, never raised ----------------------------


@pytest.mark.django_db
def test_a_successful_fetch_fills_blank_fields_and_records_the_time(endpoints):
    post = make_post()
    assert fetch_post_details(post) is True
    post.refresh_from_db()
    assert post.author_name == "Lilac Notes" and post.author_handle == "lilac_notes_fan"
    assert post.text.startswith("Watched it four times")
    assert post.fetch_error == "" and post.fetched_at is not None


@pytest.mark.django_db
def test_a_fetch_keeps_what_an_editor_wrote(endpoints):
    post = make_post(text="An editor's transcription", author_name="Set by hand")
    fetch_post_details(post)
    post.refresh_from_db()
    assert (
        post.text == "An editor's transcription" and post.author_name == "Set by hand"
    )
    assert post.author_handle == "lilac_notes_fan"  # blank, so filled


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/slow", "/error", "/malformed", "/huge"])
def test_a_failed_fetch_is_recorded_on_the_post(
    endpoints, oembed_server, settings, path
):
    settings.EMBEDS_OEMBED_ENDPOINTS = {**endpoints, "x": oembed_server + path}
    post = make_post(text="kept")
    assert fetch_post_details(post) is False
    post.refresh_from_db()
    assert post.fetch_error and post.fetched_at is not None
    assert post.text == "kept"


@pytest.mark.django_db
def test_a_video_thumbnail_is_copied_into_our_storage(endpoints):
    post = make_post(Platform.YOUTUBE, "JleoAppaxi0", YT_URL)
    assert fetch_post_details(post) is True
    post.refresh_from_db()
    assert post.thumbnail.name.endswith("youtube-JleoAppaxi0.png")
    with post.thumbnail.open("rb") as stored:
        assert stored.read() == png_bytes()


@pytest.mark.django_db
def test_a_thumbnail_that_is_not_an_image_is_refused_but_the_details_are_kept(
    endpoints, oembed_server, settings
):
    settings.EMBEDS_OEMBED_ENDPOINTS = {
        **endpoints,
        "youtube": f"{oembed_server}/youtube/oembed?thumb=/not-an-image",
    }
    post = make_post(Platform.YOUTUBE, "JleoAppaxi0", YT_URL)
    assert fetch_post_details(post) is False
    post.refresh_from_db()
    assert post.fetch_error == "thumbnail: the thumbnail is not an image"
    assert not post.thumbnail and post.author_name == "IU"


@pytest.mark.django_db
def test_a_thumbnail_from_an_unexpected_host_is_not_fetched(
    endpoints, oembed_server, settings
):
    port = oembed_server.rsplit(":", 1)[1]
    elsewhere = f"http://localhost:{port}/thumb.png"  # same server, other host name
    settings.EMBEDS_OEMBED_ENDPOINTS = {
        **endpoints,
        "youtube": f"{oembed_server}/youtube/oembed?thumb={elsewhere}",
    }
    post = make_post(Platform.YOUTUBE, "JleoAppaxi0", YT_URL)
    assert fetch_post_details(post) is False
    post.refresh_from_db()
    assert post.fetch_error == "thumbnail: thumbnail host localhost is not allowed"
    assert not any(path.startswith("/thumb") for path in OEmbedHandler.requests)


# -- on save ------------------------------------------------------------------------


def save_story(body: str) -> Article:
    return Article.objects.create(
        headline="Story",
        slug="story",
        body=body,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )


@pytest.mark.django_db
def test_saving_a_story_fetches_new_posts_after_commit(
    endpoints, settings, django_capture_on_commit_callbacks
):
    settings.EMBEDS_OEMBED_ENABLED = True
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        story = save_story(f"<p>{X_URL}</p>")
    assert len(callbacks) == 1
    post = story.social_posts.get()
    assert post.author_name == "Lilac Notes" and post.fetched_at is not None


@pytest.mark.django_db
def test_a_failing_endpoint_never_fails_the_save(
    endpoints, oembed_server, settings, django_capture_on_commit_callbacks
):
    settings.EMBEDS_OEMBED_ENABLED = True
    settings.EMBEDS_OEMBED_ENDPOINTS = {**endpoints, "x": oembed_server + "/error"}
    with django_capture_on_commit_callbacks(execute=True):
        story = save_story(f"<p>{X_URL}</p>")
    assert Article.objects.filter(pk=story.pk).exists()
    assert story.social_posts.get().fetch_error == "HTTP 500 from " + oembed_server[7:]
    assert len(OEmbedHandler.requests) == 3  # a 500 is worth two more tries


# -- the retrying task ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_busy_endpoint_is_retried_with_backoff_until_it_answers(
    endpoints, oembed_server, settings, delays
):
    settings.EMBEDS_OEMBED_ENDPOINTS = {
        **endpoints,
        "x": oembed_server + "/busy-then-x",
    }
    post = make_post()

    result = fetch_social_post_details.enqueue(post.pk)

    assert result.status == "SUCCESSFUL", result.errors
    assert len(OEmbedHandler.requests) == 3
    assert len(delays) == 2 and delays[1] > delays[0] * 3  # growing waits
    post.refresh_from_db()
    assert post.author_name == "Lilac Notes" and post.fetch_error == ""


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/missing", "/malformed"])
def test_a_permanent_failure_is_recorded_once_and_not_retried(
    endpoints, oembed_server, settings, delays, path
):
    settings.EMBEDS_OEMBED_ENDPOINTS = {**endpoints, "x": oembed_server + path}
    post = make_post()

    result = fetch_social_post_details.enqueue(post.pk)

    assert result.status == "SUCCESSFUL"  # nothing to retry; the post says why
    assert delays == [] and len(OEmbedHandler.requests) == 1
    post.refresh_from_db()
    assert post.fetch_error and post.fetched_at is not None


@pytest.mark.django_db
def test_after_the_last_attempt_the_failure_stays_on_the_post(
    endpoints, oembed_server, settings, delays
):
    settings.EMBEDS_OEMBED_ENDPOINTS = {**endpoints, "x": oembed_server + "/slow"}
    post = make_post()

    result = fetch_social_post_details.enqueue(post.pk)

    assert result.status == "FAILED"
    assert len(delays) == 2
    post.refresh_from_db()
    assert post.fetch_error == "timed out after 0.5 s"


@pytest.mark.django_db
def test_a_post_deleted_before_its_fetch_is_a_no_op(endpoints):
    result = fetch_social_post_details.enqueue(123456)
    assert result.return_value == {"post": None, "error": ""}
    assert OEmbedHandler.requests == []


@pytest.mark.django_db
def test_a_fetched_still_is_stored_clean_and_gets_renditions(endpoints):
    post = make_post(Platform.YOUTUBE, "JleoAppaxi0", YT_URL)
    fetch_social_post_details.enqueue(post.pk)
    post.refresh_from_db()
    assert post.thumbnail and post.thumbnail_renditions
    assert {e["format"] for e in post.thumbnail_renditions} == {"JPEG", "WEBP"}
    assert ".webp 32w" in post.thumbnail.srcset_webp


@pytest.mark.django_db
def test_known_posts_are_not_fetched_again_on_resave(
    endpoints, settings, django_capture_on_commit_callbacks
):
    settings.EMBEDS_OEMBED_ENABLED = True
    with django_capture_on_commit_callbacks(execute=True):
        story = save_story(f"<p>{X_URL}</p>")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        story.save()
    assert callbacks == []
    assert len(OEmbedHandler.requests) == 1


@pytest.mark.django_db
def test_with_oembed_off_no_request_is_made(
    endpoints, settings, django_capture_on_commit_callbacks
):
    settings.EMBEDS_OEMBED_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        save_story(f"<p>{X_URL}</p>")
    assert callbacks == [] and OEmbedHandler.requests == []


def test_oembed_is_off_by_default(settings):
    assert settings.EMBEDS_OEMBED_ENABLED is False
