"""The primary/replica router and the request pin.

The unit tests run everywhere. The integration tests need PostgreSQL: a second,
separate database on the same server stands in for the replica, holding rows the
primary does not have, so each answer shows by its content which database produced it,
and CaptureQueriesContext on both connections shows which one ran each query.
"""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from core.db_router import (
    PinPrimaryMiddleware,
    PrimaryReplicaRouter,
    is_pinned_to_primary,
    pin_to_primary,
    primary_pin,
)
from tests.scale.conftest import REPLICA_ALIAS, requires_postgresql

router = PrimaryReplicaRouter()


def run_in_fresh_loop(coroutine):
    """asyncio.run in its own thread: a browser test may leave a loop in this one."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(asyncio.run, coroutine).result(timeout=10)


@pytest.fixture
def two_replicas(settings):
    settings.DATABASE_REPLICAS = ["replica_1", "replica_2"]
    with primary_pin(False):
        yield


# --- the router on its own ------------------------------------------------------------


def test_without_replicas_everything_uses_the_primary(settings):
    settings.DATABASE_REPLICAS = []
    with primary_pin(False):
        assert router.db_for_read(Group) == "default"
        assert router.db_for_write(Group) == "default"


def test_reads_spread_over_the_replicas(two_replicas):
    chosen = {router.db_for_read(Group) for _ in range(200)}
    assert chosen == {"replica_1", "replica_2"}


def test_a_write_pins_later_reads_to_the_primary(two_replicas):
    assert router.db_for_read(Group) != "default"
    assert router.db_for_write(Group) == "default"
    assert is_pinned_to_primary()
    assert {router.db_for_read(Group) for _ in range(20)} == {"default"}


def test_sessions_and_task_rows_are_always_read_from_the_primary(two_replicas):
    from django.contrib.sessions.models import Session
    from django_tasks_db.models import DBTaskResult

    assert router.db_for_read(Session) == "default"
    assert router.db_for_read(DBTaskResult) == "default"


def test_replicas_are_never_migrated(two_replicas):
    assert router.allow_migrate("replica_1", "articles") is False
    assert router.allow_migrate("default", "articles") is None


def test_outside_a_request_everything_reads_the_primary(settings):
    """Commands, the worker and the shell: no middleware unpinned them."""
    settings.DATABASE_REPLICAS = ["replica_1"]
    seen = {}

    def fresh_thread():
        seen["read"] = router.db_for_read(Group)

    thread = threading.Thread(target=fresh_thread)
    thread.start()
    thread.join(5)
    assert seen == {"read": "default"}


def test_the_pin_is_restored_after_the_block():
    with primary_pin(False):
        with primary_pin(True):
            assert is_pinned_to_primary()
        assert not is_pinned_to_primary()
        with primary_pin(False):
            pin_to_primary()  # a write inside the block
            assert is_pinned_to_primary()
        assert not is_pinned_to_primary()


def test_a_pin_in_one_thread_does_not_pin_another(two_replicas):
    pinned = threading.Event()
    release = threading.Event()
    seen = {}

    def writer():
        with primary_pin(False):
            router.db_for_write(Group)
            seen["writer"] = router.db_for_read(Group)
            pinned.set()
            release.wait(5)

    def reader():
        pinned.wait(5)
        with primary_pin(False):
            seen["reader"] = router.db_for_read(Group)
        release.set()

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert seen == {"writer": "default", "reader": seen["reader"]}
    assert seen["reader"].startswith("replica_")


def test_a_pin_in_one_asyncio_task_does_not_pin_another(two_replicas):
    async def request(writes: bool) -> str:
        with primary_pin(False):
            if writes:
                router.db_for_write(Group)
            await asyncio.sleep(0.01)  # interleave with the other request
            return router.db_for_read(Group)

    async def both():
        return await asyncio.gather(request(True), request(False))

    after_write, plain = run_in_fresh_loop(both())
    assert after_write == "default"
    assert plain.startswith("replica_")


# --- the middleware -------------------------------------------------------------------


def pin_seen_by_view(method: str, path: str) -> bool:
    seen = {}

    def view(request):
        seen["pinned"] = is_pinned_to_primary()
        return HttpResponse()

    request = getattr(RequestFactory(), method.lower())(path)
    with primary_pin(True):  # whatever came before must not leak in
        PinPrimaryMiddleware(view)(request)
        assert is_pinned_to_primary()  # and is restored afterwards
    return seen["pinned"]


@pytest.mark.parametrize(
    ("method", "path", "pinned"),
    [
        ("GET", "/", False),
        ("HEAD", "/news/a-story/", False),
        ("GET", "/artists/iu/", False),
        ("POST", "/news/a-story/reactions/", True),
        ("PUT", "/anything/", True),
        ("DELETE", "/anything/", True),
        ("GET", "/admin/", True),
        ("GET", "/admin/articles/article/", True),
    ],
)
def test_middleware_pins_the_admin_and_unsafe_methods(method, path, pinned):
    assert pin_seen_by_view(method, path) is pinned


def test_a_write_during_a_request_does_not_pin_the_next_request(two_replicas):
    def writing_view(request):
        router.db_for_write(Group)
        return HttpResponse(router.db_for_read(Group))

    def reading_view(request):
        return HttpResponse(router.db_for_read(Group))

    first = PinPrimaryMiddleware(writing_view)(RequestFactory().get("/"))
    second = PinPrimaryMiddleware(reading_view)(RequestFactory().get("/"))
    assert first.content == b"default"
    assert second.content.startswith(b"replica_")


def test_the_middleware_pins_async_requests_too(two_replicas):
    async def view(request):
        before = router.db_for_read(Group)
        router.db_for_write(Group)
        return HttpResponse(f"{before} {router.db_for_read(Group)}")

    middleware = PinPrimaryMiddleware(view)

    async def both():
        return await asyncio.gather(
            middleware(RequestFactory().get("/")),
            middleware(RequestFactory().get("/admin/")),
        )

    public, admin = run_in_fresh_loop(both())
    before, after = public.content.decode().split()
    assert before.startswith("replica_") and after == "default"
    assert admin.content.decode() == "default default"
    assert not is_pinned_to_primary()


# --- on PostgreSQL, with a real second database as the replica ----------------------


def on_replica_setup(function):
    """PostgreSQL only; both connections open; the test URLs (with the admin)."""
    function = pytest.mark.urls("tests.scale.urls")(function)
    function = pytest.mark.django_db(databases=["default", REPLICA_ALIAS])(function)
    return requires_postgresql(function)


@pytest.fixture
def split_data(replica_routing):
    """Rows only the primary has and rows only the replica has."""
    Group.objects.using("default").create(name="only-on-primary")
    Group.objects.using(REPLICA_ALIAS).create(name="only-on-replica")
    with primary_pin(False):
        yield


def captured(alias):
    return CaptureQueriesContext(connections[alias])


def tables(context) -> str:
    return " ".join(query["sql"] for query in context.captured_queries)


@on_replica_setup
def test_a_public_read_runs_on_the_replica_only(client, split_data):
    with captured("default") as primary, captured(REPLICA_ALIAS) as replica:
        response = client.get("/groups/")

    names = response.json()["names"]
    assert "only-on-replica" in names and "only-on-primary" not in names
    assert "auth_group" in tables(replica)
    assert len(primary) == 0


@on_replica_setup
def test_a_post_writes_and_reads_back_on_the_primary(client, split_data):
    with captured("default") as primary, captured(REPLICA_ALIAS) as replica:
        response = client.post("/groups/", {"name": "written-now"})

    names = response.json()["names"]
    assert {"written-now", "only-on-primary"} <= set(names)
    assert "only-on-replica" not in names
    assert "INSERT" in tables(primary)
    assert len(replica) == 0
    assert not Group.objects.using(REPLICA_ALIAS).filter(name="written-now").exists()


@on_replica_setup
def test_reads_after_a_write_in_the_same_request_see_the_write(client, split_data):
    with captured("default") as primary, captured(REPLICA_ALIAS) as replica:
        response = client.get("/groups/write-then-read/", {"name": "counted"})

    body = response.json()
    assert "only-on-replica" in body["before"]  # before the write: the replica
    assert {"counted", "only-on-primary"} <= set(body["after"])
    assert "only-on-replica" not in body["after"]
    assert "INSERT" in tables(primary) and "SELECT" in tables(primary)
    assert "INSERT" not in tables(replica)


@on_replica_setup
def test_the_next_request_after_a_write_reads_the_replica_again(client, split_data):
    client.post("/groups/", {"name": "written-before"})

    with captured("default") as primary:
        names = client.get("/groups/").json()["names"]

    assert "only-on-replica" in names
    assert len(primary) == 0


@on_replica_setup
def test_the_admin_reads_the_primary_only(client, split_data):
    staff = get_user_model().objects.create_superuser("editor", "e@example.com", "pw")
    client.force_login(staff)

    with captured("default") as primary, captured(REPLICA_ALIAS) as replica:
        response = client.get("/admin/auth/group/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "only-on-primary" in page and "only-on-replica" not in page
    assert "auth_group" in tables(primary)
    assert len(replica) == 0


@requires_postgresql
@pytest.mark.django_db(databases=["default", REPLICA_ALIAS])
def test_the_real_home_page_reads_only_the_replica(client, replica_routing):
    client.get("/")  # warm per-process caches (content types)
    with captured("default") as primary, captured(REPLICA_ALIAS) as replica:
        response = client.get("/")

    assert response.status_code == 200
    assert len(replica) > 0
    assert len(primary) == 0


@requires_postgresql
@pytest.mark.django_db(databases=["default", REPLICA_ALIAS])
def test_without_configured_replicas_the_same_page_reads_the_primary(
    client, replica_alias, settings
):
    settings.DATABASE_REPLICAS = []
    with captured("default") as primary, captured(REPLICA_ALIAS) as replica:
        response = client.get("/")

    assert response.status_code == 200
    assert len(primary) > 0
    assert len(replica) == 0
