"""HEAD works wherever GET does (RFC 9110): same status, same headers, no body.

Load balancers and link checkers probe with HEAD; a 405 on an uncached page told
them the site was broken. Every public route the URL resolver knows is covered (a
route added later fails ``test_every_public_route_is_probed`` until it is listed
here), with the page cache off (Django renders), on (a stored page is replayed) and
through the WSGI front door that answers cached pages before Django runs.
"""

from __future__ import annotations

import re

import pytest
from django.core.wsgi import get_wsgi_application
from django.utils.timezone import now

from articles.admin.calendar import feed_token
from articles.models import LiveEntry
from articles.views.article import preview_token
from core.pagecache import CachedPagesWSGI
from tests.articles.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    UserFactory,
)
from tests.articles.reaction_factories import FanReactionFactory
from tests.artists.factories import ArtistFactory
from tests.discography.factories import ReleaseFactory
from tests.security.test_hostile_input import ROUTES

pytestmark = pytest.mark.django_db

# Routes that only take a POST: GET is a 405 there, and so is HEAD.
POST_ONLY = {"/news/<str:slug>/reactions/", "/reactions/<int:pk>/report/", "/reads/"}
# Staff pages outside admin.site.urls: a reader is sent to the login page.
STAFF_ONLY = {"/admin/calendar/", "/admin/calendar/<int:pk>/move/"}
# Headers whose value is new on every response.
VOLATILE = {"date", "last-modified", "x-page-cache", "set-cookie"}
_NONCE = re.compile(r"'nonce-[^']+'")


@pytest.fixture
def urls(db) -> dict[str, str]:
    """One real address for every public route (the route template is the key)."""
    section = SectionFactory(name="Interviews", slug="interviews")
    author = AuthorFactory(display_name="Mina Seo", slug="mina-seo")
    iu = ArtistFactory(name="IU", slug="iu")
    release = ReleaseFactory(title="The Winning", slug="the-winning", artists=[iu])
    story = ArticleFactory(
        headline="IU talks", slug="iu-talks", published=True, section=section
    )
    story.artists.add(iu)
    story.tags.add("K-pop")
    story.bylines.create(author=author, position=0)
    draft = ArticleFactory(headline="Secret draft")
    coverage = ArticleFactory(
        slug="live-night", published=True, is_live_blog=True, coverage_started_at=now()
    )
    entry = LiveEntry.objects.create(article=coverage, body="<p>Doors open</p>")
    reaction = FanReactionFactory(article=story, approved=True)
    staff = UserFactory(username="feed-owner", is_staff=True)
    return {
        "/reactions/<int:pk>/report/": f"/reactions/{reaction.pk}/report/",
        "/admin/calendar/": "/admin/calendar/",
        "/admin/calendar/<int:pk>/move/": f"/admin/calendar/{story.pk}/move/",
        "/calendar/<str:token>.ics": f"/calendar/{feed_token(staff)}.ics",
        "/": "/",
        "/healthz": "/healthz",
        "/readyz": "/readyz",
        "/search/": "/search/?q=iu",
        "/search/suggest/": "/search/suggest/?q=iu",
        "/feeds/latest/": "/feeds/latest/",
        "/feeds/latest/atom/": "/feeds/latest/atom/",
        "/sitemap.xml": "/sitemap.xml",
        "/sitemap-<slug:section>.xml": "/sitemap-stories.xml",
        "/robots.txt": "/robots.txt",
        "/news/preview/<str:token>/": f"/news/preview/{preview_token(draft)}/",
        "/news/<str:slug>/": story.get_absolute_url(),
        "/news/<str:slug>/reactions/": story.get_absolute_url() + "reactions/",
        "/drafts/<int:pk>/preview/": f"/drafts/{draft.pk}/preview/",
        "/drafts/<int:pk>/reads/": f"/drafts/{draft.pk}/reads/",
        "/reads/": "/reads/",
        "/tags/<str:slug>/": "/tags/k-pop/",
        "/tags/<str:slug>/feed/": "/tags/k-pop/feed/",
        "/sections/<str:slug>/": section.get_absolute_url(),
        "/authors/<str:slug>/": author.get_absolute_url(),
        "/reactions/token/": "/reactions/token/",
        "/artists/": "/artists/",
        "/artists/<str:slug>/": iu.get_absolute_url(),
        "/artists/<str:slug>/feed/": "/artists/iu/feed/",
        "/albums/<str:slug>/": release.get_absolute_url(),
        "/news/<str:slug>/live/": f"/news/live-night/live/?before={entry.pk}",
        "/news/<str:slug>/live/updates/": f"/news/live-night/live/updates/?after={entry.pk}",
        "/calendar/": "/calendar/",
        "/calendar.ics": "/calendar.ics",
        "/artists/<str:slug>/calendar.ics": "/artists/iu/calendar.ics",
    }


def comparable(response) -> dict[str, str]:
    headers = {
        name.lower(): value
        for name, value in response.headers.items()
        if name.lower() not in VOLATILE
    }
    if "content-security-policy" in headers:
        headers["content-security-policy"] = _NONCE.sub(
            "'nonce-*'", headers["content-security-policy"]
        )
    headers["set-cookie (names)"] = ",".join(sorted(response.cookies))
    return headers


def assert_head_matches_get(client, url: str) -> None:
    got = client.get(url)
    head = client.head(url)
    assert head.status_code == got.status_code, url
    assert head.status_code != 405, url
    assert comparable(head) == comparable(got), url
    assert head.content == b"", url


def test_every_public_route_is_probed(urls):
    assert set(ROUTES) == set(urls), "list the new route's address in urls()"


def test_head_answers_like_get_on_every_public_url(client, urls):
    for route, url in urls.items():
        if route in POST_ONLY:
            assert client.head(url).status_code == client.get(url).status_code == 405
            continue
        assert_head_matches_get(client, url)
        # the pages that must answer, answer
        if route not in {
            "/drafts/<int:pk>/preview/",
            "/drafts/<int:pk>/reads/",
            *STAFF_ONLY,
        }:
            assert client.get(url).status_code == 200, url


def test_head_of_a_missing_page_is_the_same_404(client, urls):
    for url in ("/news/no-such-story/", "/artists/nobody/", "/tags/none/feed/"):
        assert client.head(url).status_code == 404
        assert_head_matches_get(client, url)


def test_head_probes_answer_without_a_session(client):
    for url in ("/healthz", "/readyz", "/robots.txt"):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b""
        assert int(response["Content-Length"]) > 0, url


def test_head_carries_the_etag_and_answers_304_like_get(client, urls):
    got = client.get("/robots.txt")
    head = client.head("/robots.txt")
    assert head["ETag"] == got["ETag"]
    again = client.head("/robots.txt", headers={"If-None-Match": got["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("first", ["GET", "HEAD"])
def test_with_the_page_cache_head_and_get_agree_whichever_came_first(
    client, urls, settings, first
):
    settings.PAGE_CACHE_ENABLED = True
    for route in ("/", "/news/<str:slug>/", "/search/", "/artists/<str:slug>/"):
        url = urls[route]
        if first == "HEAD":
            assert client.head(url).status_code == 200, url
        got = client.get(url)
        head = client.head(url)
        assert got.status_code == head.status_code == 200, url
        assert head.content == b"", url
        assert comparable(head) == comparable(got), url
        # A HEAD that rendered the page stored the whole page, not an empty one.
        assert b"</html>" in got.content, url


def test_the_wsgi_front_door_answers_a_cached_head_without_a_body(
    client, urls, settings, rf
):
    settings.PAGE_CACHE_ENABLED = True
    url = urls["/news/<str:slug>/"]
    got = client.get(url)
    started = {}

    def start_response(status, headers):
        started["status"], started["headers"] = status, dict(headers)

    application = CachedPagesWSGI(get_wsgi_application())
    body = b"".join(application(rf.head(url).environ, start_response))
    assert started["status"] == "200 OK"
    assert body == b""
    assert started["headers"]["ETag"] == got["ETag"]
    assert started["headers"]["Content-Length"] == str(len(got.content))
