"""Hostile input on every reader-facing URL and parameter: never a 500.

The URL list is read from the URL resolver (admin excluded), so a public page added
later (search, feeds) is fuzzed too: every path argument is replaced by hostile text
and every page gets hostile query strings (search ``q``, filters, pagination, and
keys nobody expects). The reaction form and the preview token are fuzzed with
hypothesis; SQL-injection payloads go to every parameter with checks that they are
treated as plain text (no extra rows, no delay, no dropped table).
"""

from __future__ import annotations

import re
import time
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from articles.models import Article, FanReaction
from articles.views.article import preview_token
from artists.models import Agency, Artist
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db

# Query parameters the reader pages read today or are likely to read (search, feeds).
QUERY_KEYS = [
    "q",
    "page",
    "kind",
    "agency",
    "letter",
    "type",
    "section",
    "tag",
    "artist",
    "year",
    "from",
    "to",
    "sort",
    "order",
    "reaction",
    "format",
    "per_page",
    "reactions",
]
FUZZ = hypothesis_settings(
    max_examples=int(getattr(settings, "HOSTILE_INPUT_EXAMPLES", 40)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
)
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")


def public_routes() -> list[str]:
    """Every reader route as a template (``news/<str:slug>/``), admin left out."""
    routes: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            route = str(entry.pattern)
            if isinstance(entry, URLResolver):
                if not route.startswith("admin"):
                    walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                if route.startswith("^"):  # regex routes (media in DEBUG): skip
                    continue
                routes.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return routes


ROUTES = public_routes()


def fill(route: str, value: str, number: str = "1") -> str:
    def replace(match: re.Match) -> str:
        if match["kind"] == "int":
            return number
        return quote(value, safe="")

    return CONVERTER.sub(replace, route)


@pytest.fixture
def content(db):
    """A little of everything the reader pages list."""
    agency = Agency.objects.create(name="EDAM Entertainment", slug="edam")
    iu = Artist.objects.create(name="IU", slug="iu", sort_name="IU")
    iu.agencies.add(agency)
    Artist.objects.create(name="BTS", slug="bts", sort_name="BTS", kind="group")
    story = ArticleFactory(
        published=True, slug="iu-interview", headline="IU talks", tags=["K-pop"]
    )
    draft = ArticleFactory(slug="secret-draft", headline="Secret draft")
    return {"story": story, "draft": draft, "artist": iu}


def assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


def test_routes_were_found():
    assert "/news/<str:slug>/" in ROUTES and "/artists/" in ROUTES


HOSTILE_SEGMENTS = [
    "\x00",
    "a\x00b",
    "%00",
    "..",
    "../../etc/passwd",
    "' OR '1'='1",
    "<script>alert(1)</script>",
    "x" * 3000,
    "아이유",
    "\u202e\u0645",
    "\ud7ff\uffff",
    "%",
    "\\",
    " ",
    "\n",
]


@pytest.mark.parametrize("route", [r for r in ROUTES if CONVERTER.search(r)])
def test_hostile_path_arguments(client, content, route):
    for value in HOSTILE_SEGMENTS:
        for number in ("0", "99999999999999999999999999", "-1"):
            if "<int:" not in route and number != "0":
                continue
            url = fill(route, value, number)
            if "<int:" in route and not number.isdigit():
                continue
            response = client.get(url)
            assert_no_server_error(response, url)
            if "/reactions/" in route:
                assert_no_server_error(client.post(url, {"message": value}), url)


@pytest.mark.parametrize("route", ROUTES)
@FUZZ
@given(
    segment=st.text(min_size=1, max_size=60),
    query=st.dictionaries(
        st.one_of(st.sampled_from(QUERY_KEYS), st.text(max_size=12)),
        st.one_of(
            st.text(max_size=80),
            st.integers(min_value=-(10**30), max_value=10**30).map(str),
            st.sampled_from(["", "0", "-1", "1e9", "NaN", "last", "2", "[]", "%"]),
        ),
        max_size=4,
    ),
)
def test_fuzzed_urls_never_fail(client, content, route, segment, query):
    url = fill(route, segment, "1")
    if "/reactions/" in route:
        response = client.post(url + "?" + urlencode(query), query)
    else:
        response = client.get(url, query)
    assert_no_server_error(response, f"{url} {query!r}")


def test_nul_byte_in_a_path_or_query_is_not_a_server_error(client, content):
    """PostgreSQL refuses NUL in text: it must not reach a lookup as a 500."""
    for url in ["/artists/%00/", "/news/%00/", "/tags/a%00b/", "/albums/%00/"]:
        assert client.get(url).status_code == 404, url
    for url in ["/artists/?agency=%00", "/?page=%00", "/artists/?q%00=1"]:
        assert client.get(url).status_code == 400, url


# ---------------------------------------------------------------- the reaction form


@FUZZ
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "display_name": st.text(max_size=200),
            "message": st.text(max_size=3000),
            "emoji": st.one_of(st.text(max_size=10), st.sampled_from(["heart", ""])),
            "leave_empty": st.text(max_size=20),
            "csrfmiddlewaretoken": st.text(max_size=80),
        },
    ),
    wants_json=st.booleans(),
    with_token=st.booleans(),
)
def test_fuzzed_reaction_posts_never_fail(
    client, content, fields, wants_json, with_token
):
    headers = {"Accept": "application/json"} if wants_json else {}
    if with_token:
        token = client.get("/reactions/token/").json()["token"]
        headers["X-CSRFToken"] = token
    url = content["story"].get_absolute_url() + "reactions/"
    before = FanReaction.objects.count()
    response = client.post(url, fields, headers=headers)
    assert_no_server_error(response, repr(fields))
    if response.status_code not in (201, 303):
        assert FanReaction.objects.count() == before, "refused but stored"
    for reaction in FanReaction.objects.all():
        assert reaction.status != FanReaction.Status.APPROVED  # never self-approved


@FUZZ
@given(token=st.text(min_size=1, max_size=300))
def test_fuzzed_preview_tokens_are_refused(client, content, token):
    response = client.get("/news/preview/" + quote(token, safe="") + "/")
    assert response.status_code in (404, 400), token
    assert "Secret draft" not in response.content.decode(errors="replace")


def test_a_real_preview_token_still_works(client, content):
    token = preview_token(content["draft"])
    assert client.get(f"/news/preview/{token}/").status_code == 200


# ---------------------------------------------------------------- SQL injection

SQLI_PAYLOADS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    '" OR "1"="1',
    "1' OR '1'='1' /*",
    "') OR ('1'='1",
    "1 OR 1=1",
    "' UNION SELECT username, password FROM auth_user --",
    "1 UNION ALL SELECT NULL,NULL,NULL--",
    "'; DROP TABLE articles_article; --",
    "1; DELETE FROM artists_artist",
    "' AND 1=CAST((SELECT version()) AS int) --",
    "'||(SELECT pg_sleep(2))||'",
    "1) AND SLEEP(2)#",
    "'; SELECT pg_sleep(2); --",
    "1 AND (SELECT 1 FROM pg_sleep(2))",
    "%' AND 1=1 AND '%'='",
    "admin'--",
    "\\'; --",
    "IU' AND randomblob(100000000) --",
]


def sqli_targets(story_slug: str) -> list[tuple[str, dict]]:
    """(path, query) pairs: every path argument and every query parameter."""
    targets = []
    for route in ROUTES:
        if "<int:" in route:
            continue
        if CONVERTER.search(route):
            targets.append((route, {}))
        targets.append((route, dict.fromkeys(QUERY_KEYS)))
    return targets


@pytest.mark.parametrize("payload", SQLI_PAYLOADS)
def test_sql_injection_payloads_are_plain_text(client, content, payload):
    counts = (Article.objects.count(), Artist.objects.count())
    for route, query in sqli_targets(content["story"].slug):
        url = fill(route, payload) if CONVERTER.search(route) else route
        params = dict.fromkeys(query, payload)
        started = time.monotonic()
        if "/reactions/" in route:
            response = client.post(url, params | {"message": payload})
        else:
            response = client.get(url, params)
        elapsed = time.monotonic() - started
        assert_no_server_error(response, f"{url} {params}")
        assert elapsed < 1.5, f"{url} {params} took {elapsed:.1f}s (time-based SQLi?)"
        body = response.content.decode(errors="replace")
        if CONVERTER.search(route) and not query:
            assert response.status_code in (404, 405), f"{url}: matched an object"
        assert "Secret draft" not in body, f"{url} {params} leaked a draft"
        for leak in ("syntax error at", "psycopg", "Traceback", "OperationalError"):
            assert leak not in body, f"{url} {params}: a database error leaked"
    assert (Article.objects.count(), Artist.objects.count()) == counts
    with connection.cursor() as cursor:  # the tables are all still there
        cursor.execute("SELECT COUNT(*) FROM articles_article")
        cursor.execute("SELECT COUNT(*) FROM artists_artist")


@pytest.mark.parametrize("payload", SQLI_PAYLOADS[:8])
def test_filters_treat_injection_as_an_unknown_value(client, content, payload):
    """A payload in a filter narrows to nothing (or is refused); it never widens."""
    listed = re.compile(r'href="/artists/([^/"?]+)/"')
    for key in ("kind", "agency", "letter"):
        page = client.get("/artists/", {key: payload}).content.decode()
        bogus = client.get("/artists/", {key: "zz-no-such-value"}).content.decode()
        assert set(listed.findall(page)) == set(listed.findall(bogus)), key
