"""When the database or Redis goes away, readers get a calm answer and the site
recovers on its own when the part comes back."""

import logging
import socket
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection, connections
from django.test import override_settings

from articles.models import Article
from core import cache as resilient_cache
from core.cache import ResilientRedisCache
from tests.security.proxy import SwitchableProxy

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_is_running() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5):
            return True
    except OSError:
        return False


# Database


@pytest.mark.django_db
def test_public_pages_answer_503_with_a_friendly_page_when_the_database_is_down(client):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "back in a moment" in page.lower()
    assert 'class="site-header"' in page  # the site's frame
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_probes_keep_their_own_answers_while_the_database_is_down(client):
    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        assert client.get("/healthz").status_code == 200
        readyz = client.get("/readyz")
    assert readyz.status_code == 503
    assert readyz["Content-Type"] == "application/json"


@pytest.mark.django_db
def test_other_errors_are_not_disguised_as_an_outage(client):
    client.raise_request_exception = False
    with mock.patch("newsroom.views.render", side_effect=ValueError("a bug")):
        response = client.get("/")
    assert response.status_code == 500


@pytest.mark.django_db(transaction=True)
def test_site_recovers_by_itself_when_postgresql_returns(client):
    db = connections["default"].settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://...")
    proxy = SwitchableProxy(db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432))
    original = {"HOST": db.get("HOST"), "PORT": db.get("PORT")}
    connections["default"].close()
    db.update({"HOST": "127.0.0.1", "PORT": str(proxy.port)})
    try:
        Article.objects.create(
            headline="Still here after the outage",
            slug="still-here",
            status=Article.Status.PUBLISHED,
            published_at="2024-01-01T00:00:00Z",
        )
        assert client.get("/").status_code == 200

        proxy.down()
        response = client.get("/")
        assert response.status_code == 503
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200
        assert client.get("/").status_code == 503  # still down: still calm

        proxy.up()
        response = client.get("/")
        assert response.status_code == 200
        assert "Still here after the outage" in response.content.decode()
        assert client.get("/readyz").status_code == 200
    finally:
        connections["default"].close()
        db.update(original)
        proxy.close()


# Redis


def dead_redis_cache(**options) -> ResilientRedisCache:
    return ResilientRedisCache(
        f"redis://127.0.0.1:{free_port()}/0",
        {
            "KEY_PREFIX": "newsroom-test",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            **options,
        },
    )


def test_cache_calls_fall_back_to_the_process_while_redis_is_unreachable(caplog):
    backend = dead_redis_cache()
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        backend.set("greeting", "annyeong", 60)
        assert backend.get("greeting") == "annyeong"
        assert backend.add("counter", 1, 60) is True
        assert backend.add("counter", 1, 60) is False
        assert backend.incr("counter") == 2
        assert backend.get_many(["greeting", "missing"]) == {"greeting": "annyeong"}
        backend.delete("greeting")
        assert backend.get("greeting", "gone") == "gone"
    assert backend.is_degraded
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1  # once per outage, not once per call


def test_an_outage_costs_one_timeout_not_one_per_call():
    backend = dead_redis_cache()
    backend.get("warm-up")  # the first call notices the outage
    started = time.monotonic()
    for number in range(200):
        backend.set(f"key-{number}", number)
    assert time.monotonic() - started < 1.0


@pytest.mark.django_db
def test_the_site_keeps_working_with_redis_unreachable(client, django_user_model):
    dead = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    with override_settings(
        CACHES=dead, AXES_HANDLER="axes.handlers.cache.AxesCacheHandler"
    ):
        from axes.handlers.proxy import AxesProxyHandler

        AxesProxyHandler.implementation = None
        try:
            assert client.get("/").status_code == 200
            assert client.get("/admin/login/").status_code == 200
            # Limits built on the cache still hold (per process) during the outage.
            django_user_model.objects.create_user("min-ji", password="x-pass-12345")
            statuses = [
                client.post(
                    "/admin/login/", {"username": "min-ji", "password": "wrong"}
                ).status_code
                for _ in range(6)
            ]
            assert statuses[-1] == 429
            assert cache.is_degraded
        finally:
            AxesProxyHandler.implementation = None


@pytest.mark.skipif(not redis_is_running(), reason="no Redis on 127.0.0.1:6379")
def test_the_shared_cache_is_used_again_when_redis_returns(monkeypatch):
    import redis

    monkeypatch.setattr(resilient_cache, "RETRY_AFTER", 0.05)
    proxy = SwitchableProxy(REDIS_HOST, REDIS_PORT)
    backend = ResilientRedisCache(
        f"redis://127.0.0.1:{proxy.port}/15",
        {
            "KEY_PREFIX": f"newsroom-test-{proxy.port}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    )
    direct = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=15)
    key = backend.make_and_validate_key("story")
    try:
        backend.set("story", "v1", 60)
        assert direct.exists(key)

        proxy.down()
        backend.set("story", "v2", 60)  # answered locally
        assert backend.is_degraded
        assert backend.get("story") == "v2"

        proxy.up()
        time.sleep(0.1)
        backend.set("story", "v3", 60)
        assert not backend.is_degraded
        assert backend.get("story") == "v3"
        assert direct.exists(key)
    finally:
        direct.delete(key)
        proxy.close()
