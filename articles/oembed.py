"""Ask a network's oEmbed endpoint for a post's author, text and date, carefully.

Only the plain fields we store are taken from the answer. The ``html`` an endpoint
returns is never stored or rendered: for X it is only read as text. Every request has
a strict timeout and size cap, and a failure is recorded on the post for editors
instead of being raised, so fetching never stands in the way of saving a story.

Saves enqueue ``fetch_social_post_details`` (a retrying task, run by the worker, or
inline after the commit without one): a transient failure (timeout, network error,
HTTP 5xx or 429) is recorded and tried again with backoff; a permanent one (404,
malformed answer, no endpoint) is recorded once.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import SocialPost
from articles.social_urls import Platform
from core.dates import is_plausible_date
from core.images import check_image, reencode_without_metadata
from core.tasks import Backoff, retrying_task

__all__ = [
    "OEmbedError",
    "PostDetails",
    "TransientOEmbedError",
    "fetch_post_details",
    "fetch_social_post_details",
    "request_details",
]

logger = logging.getLogger(__name__)

USER_AGENT = "newsroom-embeds/1.0 (+oEmbed)"
THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024
# Stills are copied only from YouTube's image host or the endpoint's own host, so a
# tampered answer cannot make the server fetch from an arbitrary (internal) address.
THUMBNAIL_HOST_SUFFIXES = (".ytimg.com",)
CHUNK = 16 * 1024
MAX_TEXT = 5000


class OEmbedError(Exception):
    """A short, editor-readable reason why the details could not be fetched."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        # Worth asking again later: the network or the endpoint had a bad moment.
        self.transient = transient


class TransientOEmbedError(OSError):
    """Raised inside the task so ``retrying_task`` tries again with backoff."""


@dataclass(frozen=True)
class PostDetails:
    author_name: str = ""
    author_handle: str = ""
    text: str = ""
    posted_at: datetime.datetime | None = None
    thumbnail_url: str = ""


class _HttpOnlyRedirects(HTTPRedirectHandler):
    """Follow a few redirects, and only to http(s) URLs."""

    max_redirections = 3

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme not in {"http", "https"}:
            raise OEmbedError("redirected to a non-http URL")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def read_capped(url: str, *, timeout: float, max_bytes: int, accept: str) -> bytes:
    """GET ``url`` within ``timeout`` seconds overall and at most ``max_bytes``."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise OEmbedError("only http(s) URLs are fetched")
    deadline = time.monotonic() + timeout
    request = Request(url, headers={"Accept": accept, "User-Agent": USER_AGENT})
    try:
        with build_opener(_HttpOnlyRedirects).open(
            request, timeout=timeout
        ) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > max_bytes:
                raise OEmbedError(f"response too large ({length} bytes)")
            body = io.BytesIO()
            while chunk := response.read1(CHUNK):
                body.write(chunk)
                if body.tell() > max_bytes:
                    raise OEmbedError(f"response larger than {max_bytes} bytes")
                if time.monotonic() > deadline:
                    raise OEmbedError(f"timed out after {timeout:g} s", transient=True)
            return body.getvalue()
    except HTTPError as error:
        raise OEmbedError(
            f"HTTP {error.code} from {urlsplit(url).netloc}",
            transient=error.code >= 500 or error.code == 429,
        ) from None
    except TimeoutError:
        raise OEmbedError(f"timed out after {timeout:g} s", transient=True) from None
    except URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise OEmbedError(
                f"timed out after {timeout:g} s", transient=True
            ) from None
        raise OEmbedError(f"network error: {error.reason}", transient=True) from None
    except (OSError, ValueError) as error:  # reset connections, broken status lines
        raise OEmbedError(f"network error: {error}", transient=True) from None


def request_details(platform: str, canonical_url: str) -> PostDetails:
    """The details one endpoint gives for one post; raises OEmbedError on failure."""
    endpoint = settings.EMBEDS_OEMBED_ENDPOINTS.get(platform, "")
    if not endpoint:
        raise OEmbedError(f"no oEmbed endpoint configured for {platform}")
    params = {"url": canonical_url, "format": "json"}
    if platform == Platform.X:
        params |= {"omit_script": "1", "dnt": "true"}
    separator = "&" if "?" in endpoint else "?"
    raw = read_capped(
        endpoint + separator + urlencode(params),
        timeout=settings.EMBEDS_OEMBED_TIMEOUT,
        max_bytes=settings.EMBEDS_OEMBED_MAX_BYTES,
        accept="application/json",
    )
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise OEmbedError("malformed JSON in the oEmbed answer") from None
    if not isinstance(data, dict):
        raise OEmbedError("the oEmbed answer is not a JSON object")
    return _details_from(platform, data)


def _text(data: dict, key: str, limit: int) -> str:
    value = data.get(key)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _handle_from(author_url: str) -> str:
    path = urlsplit(author_url).path.strip("/")
    return path.lstrip("@")[:100] if path and "/" not in path else ""


def _details_from(platform: str, data: dict) -> PostDetails:
    author_name = _text(data, "author_name", 200)
    handle = _handle_from(_text(data, "author_url", 500))
    if platform == Platform.X:
        text, posted_on = _XQuoteReader.read(_text(data, "html", 100_000))
        return PostDetails(
            author_name=author_name,
            author_handle=handle,
            text=text[:MAX_TEXT],
            posted_at=posted_on,
        )
    if platform == Platform.TIKTOK:
        handle = _text(data, "author_unique_id", 100) or handle
    thumbnail = _text(data, "thumbnail_url", 1000)
    return PostDetails(
        author_name=author_name,
        author_handle=handle,
        text=_text(data, "title", MAX_TEXT),
        thumbnail_url=thumbnail if platform == Platform.YOUTUBE else "",
    )


class _XQuoteReader(HTMLParser):
    """Plain text of the quoted post and its date from X's oEmbed blockquote."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []
        self.done = False
        self.last_link_text = ""
        self.in_link = False

    @classmethod
    def read(cls, html: str) -> tuple[str, datetime.datetime | None]:
        reader = cls()
        reader.feed(html)
        reader.close()
        text = "".join(reader.parts).strip()
        posted = None
        try:
            day = datetime.datetime.strptime(reader.last_link_text.strip(), "%B %d, %Y")
            # Only the day is given; noon UTC keeps the same date in every time zone.
            posted = day.replace(hour=12, tzinfo=datetime.UTC)
        except ValueError:
            pass
        # A network's answer is not checked by a form: a year-1 date would be stored.
        return text, posted if is_plausible_date(posted) else None

    def handle_starttag(self, tag, attrs):
        if tag == "p" and not self.done:
            self.depth += 1
        elif tag == "br" and self.depth:
            self.parts.append("\n")
        elif tag == "a":
            self.in_link, self.last_link_text = True, ""

    def handle_endtag(self, tag):
        if tag == "p" and self.depth:
            self.depth -= 1
            self.done = self.depth == 0
        elif tag == "a":
            self.in_link = False

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)
        if self.in_link:
            self.last_link_text += data


def fetch_post_details(post: SocialPost, *, overwrite: bool = False) -> bool:
    """Fill a post's blank fields from oEmbed; record success or failure on it."""
    return _fetch(post, overwrite=overwrite) is None and not post.fetch_error


@retrying_task(
    max_attempts=3,
    backoff=Backoff(base=1.0, factor=4.0, cap=300.0, jitter=0.1),
    retry_on=(TransientOEmbedError,),
    queue_name="default",
)
def fetch_social_post_details(post_id: int) -> dict[str, object]:
    """Fetch one post's details in the background; transient failures are retried."""
    post = SocialPost.objects.filter(pk=post_id).first()
    if post is None:
        return {"post": None, "error": ""}
    error = _fetch(post)
    if error is not None and error.transient:
        raise TransientOEmbedError(str(error))
    return {"post": post.pk, "error": post.fetch_error}


def _fetch(post: SocialPost, *, overwrite: bool = False) -> OEmbedError | None:
    """One attempt; the details request's error (already recorded on the post)."""
    post.fetched_at = timezone.now()
    fields = ["fetched_at", "fetch_error", "updated_at"]
    try:
        details = request_details(post.platform, post.url)
    except OEmbedError as error:
        post.fetch_error = str(error)[:500]
        post.save(update_fields=fields)
        logger.info("oEmbed failed for %s: %s", post.url, error)
        return error
    post.fetch_error = ""
    for name in ("author_name", "author_handle", "text", "posted_at"):
        value = getattr(details, name)
        if value and (overwrite or not getattr(post, name)):
            setattr(post, name, value)
            fields.append(name)
    if details.thumbnail_url and (overwrite or not post.thumbnail):
        endpoint = settings.EMBEDS_OEMBED_ENDPOINTS.get(post.platform, "")
        try:
            _store_thumbnail(post, details.thumbnail_url, endpoint=endpoint)
            fields.append("thumbnail")
        except OEmbedError as error:
            post.fetch_error = f"thumbnail: {error}"[:500]
    post.save(update_fields=fields)
    return None


def _store_thumbnail(post: SocialPost, url: str, *, endpoint: str) -> None:
    """Copy a video still into our storage, so readers never load it from the network."""
    host = (urlsplit(url).hostname or "").lower()
    if host != urlsplit(endpoint).hostname and not host.endswith(
        THUMBNAIL_HOST_SUFFIXES
    ):
        raise OEmbedError(f"thumbnail host {host or '?'} is not allowed")

    raw = read_capped(
        url,
        timeout=settings.EMBEDS_OEMBED_TIMEOUT,
        max_bytes=THUMBNAIL_MAX_BYTES,
        accept="image/*",
    )
    # The one upload check every image passes (type, caps, decompression bombs).
    try:
        check_image(ContentFile(raw))
    except ValidationError as error:
        if error.code == "image_format":
            kind = str(error.params["format"]).lower()
            raise OEmbedError(f"unexpected thumbnail format {kind}") from None
        raise OEmbedError("the thumbnail is not an image") from None
    clean, image_format = reencode_without_metadata(io.BytesIO(raw))
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    post.thumbnail.save(
        f"{post.platform}-{post.post_id}.{extension}", ContentFile(clean), save=False
    )
