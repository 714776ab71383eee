"""One decision of the client's address, from TRUSTED_PROXY_COUNT, used by every limit.

Behind the shipped nginx every connection comes from nginx: five wrong passwords
from a stranger locked a moderator out, and all readers shared one reactions
allowance. A middleware now puts the client's own address in REMOTE_ADDR
(the Nth entry of X-Forwarded-For from the right, N trusted proxies); axes, the
account throttle's log and the reaction limits read it from there.
"""

from __future__ import annotations

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.test import Client

from core.clientaddress import client_address
from newsroom.models import LoginFailure
from tests.articles.reaction_factories import StoryFactory

NGINX = "10.0.0.2"  # the proxy's address: every request's peer


@pytest.mark.parametrize(
    ("forwarded_for", "trusted", "expected"),
    [
        # No trusted proxy: the header is never read.
        ("203.0.113.9", 0, NGINX),
        # nginx appended the client: the last entry.
        ("203.0.113.9", 1, "203.0.113.9"),
        # Whatever the client sent itself stays on the left and is ignored.
        ("1.2.3.4, 203.0.113.9", 1, "203.0.113.9"),
        ("1.2.3.4,5.6.7.8,  203.0.113.9 ", 1, "203.0.113.9"),
        # Two trusted hops (a load balancer in front of nginx): second from the right.
        ("1.2.3.4, 203.0.113.9, 198.51.100.1", 2, "203.0.113.9"),
        # Fewer entries than trusted hops: the request skipped a proxy; the peer.
        ("203.0.113.9", 2, NGINX),
        ("", 1, NGINX),
        (None, 1, NGINX),
        # Not an address: the peer, never the text.
        ("1.2.3.4, unknown", 1, NGINX),
        ("1.2.3.4, 203.0.113.9:5555", 1, NGINX),
        ("1.2.3.4, <script>", 1, NGINX),
        # IPv6, normalised; an IPv4-mapped address is the IPv4 one.
        ("2001:DB8:0:0::1", 1, "2001:db8::1"),
        ("::ffff:203.0.113.9", 1, "203.0.113.9"),
        # Empty entries (",,") are not hops.
        ("203.0.113.9,,", 1, "203.0.113.9"),
    ],
)
def test_the_client_is_the_nth_forwarded_address_from_the_right(
    forwarded_for, trusted, expected
):
    meta = {"REMOTE_ADDR": NGINX}
    if forwarded_for is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    assert client_address(meta, trusted) == expected


def test_a_request_without_a_peer_address_stays_without_one():
    assert client_address({"REMOTE_ADDR": ""}, 1) == ""
    assert client_address({}, 0) == ""


# --- through the middleware, behind one trusted proxy -------------------------------


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def reader(forwarded_for: str) -> Client:
    """A reader whose connection, like everyone's, comes from nginx."""
    return Client(
        enforce_csrf_checks=True,
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR=forwarded_for,
        HTTP_USER_AGENT="Mozilla/5.0 (same browser everywhere)",
    )


def react(client: Client, story, n: int) -> int:
    token = client.get("/reactions/token/").json()["token"]
    response = client.post(
        story.get_absolute_url() + "reactions/",
        {"display_name": "Reader", "message": f"Reaction number {n}"},
        headers={"Accept": "application/json", "X-CSRFToken": token},
    )
    return response.status_code


@pytest.mark.django_db
def test_readers_behind_the_proxy_get_an_allowance_each(settings, behind_nginx):
    settings.REACTIONS_RATE_LIMIT = 2
    settings.REACTIONS_RATE_LIMIT_PER_ADDRESS = 2
    story = StoryFactory()
    first, second = reader("203.0.113.10"), reader("203.0.113.11")
    assert [react(first, story, n) for n in range(3)] == [201, 201, 429]
    assert [react(second, story, n + 10) for n in range(3)] == [201, 201, 429]


@pytest.mark.django_db
def test_a_forged_forwarded_for_buys_no_fresh_allowance(settings, behind_nginx):
    settings.REACTIONS_RATE_LIMIT = 2
    settings.REACTIONS_RATE_LIMIT_PER_ADDRESS = 2
    story = StoryFactory()
    honest = reader("203.0.113.10")
    assert [react(honest, story, n) for n in range(2)] == [201, 201]
    # The same reader puts made-up addresses in front of what nginx appends.
    for n, forged in enumerate(["198.51.100.1", "10.0.0.1, 198.51.100.2", "::1"]):
        assert react(reader(f"{forged}, 203.0.113.10"), story, 20 + n) == 429


@pytest.mark.django_db
def test_without_a_trusted_proxy_the_header_is_ignored(settings):
    settings.REACTIONS_RATE_LIMIT = 2
    settings.REACTIONS_RATE_LIMIT_PER_ADDRESS = 2
    story = StoryFactory()
    assert [react(reader("203.0.113.10"), story, n) for n in range(2)] == [201, 201]
    # TRUSTED_PROXY_COUNT=0: the peer is the client, whatever the header says.
    assert react(reader("203.0.113.99"), story, 9) == 429


@pytest.fixture
def staff(django_user_model):
    AxesProxyHandler.implementation = None
    yield django_user_model.objects.create_user(
        "mod-min", password="correct-horse-battery-42", is_staff=True
    )
    AxesProxyHandler.implementation = None


def log_in(forwarded_for: str, password: str) -> int:
    client = Client(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded_for)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "mod-min", "password": password}
    )
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize(
    "handler",
    [
        "axes.handlers.database.AxesDatabaseHandler",
        "axes.handlers.cache.AxesCacheHandler",
    ],
)
def test_a_stranger_behind_the_proxy_cannot_lock_a_moderator_out(
    settings, behind_nginx, staff, handler
):
    settings.AXES_HANDLER = handler
    statuses = [log_in("203.0.113.66", "guess") for _ in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    # Forged entries on the left do not move the stranger to a fresh count ...
    assert log_in("198.51.100.1, 203.0.113.66", "guess") == 429
    # ... and the moderator, at their own address, signs in.
    assert log_in("198.51.100.7", "correct-horse-battery-42") == 302
    # The account's log names the stranger, not the proxy.
    addresses = set(LoginFailure.objects.values_list("address", flat=True))
    assert addresses == {"203.0.113.66"}


def test_the_address_is_decided_before_anything_can_read_it(settings):
    # Only the page cache comes first: its stored pages are the same for everyone.
    order = settings.MIDDLEWARE
    position = order.index("core.clientaddress.ClientAddressMiddleware")
    assert order[:position] == ["core.pagecache.AnonymousPageCacheMiddleware"]
