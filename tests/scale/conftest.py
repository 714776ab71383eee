"""Fixtures for the scale-out tests: a stand-in replica database, a shared Redis
namespace, and several real gunicorn processes serving the project.

The gunicorn fixture is meant for reuse: the caching round proves page-level sharing
(an edit visible through the other process's cached pages at once, the reaction rate
limit counting across both) with ``web_processes``.
"""

from __future__ import annotations

import contextlib
import copy
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPLICA_ALIAS = "replica_1"
# A Redis database number of its own; keys also get a per-run prefix, so runs of
# several checkouts on one Redis never see each other's keys.
REDIS_TEST_DB = int(os.environ.get("REDIS_TEST_DB", "14"))
REDIS_HOST = "127.0.0.1"
REDIS_PORT = 6379
STARTUP_SECONDS = 40
STOP_SECONDS = 10


def is_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(
        ("postgres://", "postgresql://")
    )


requires_postgresql = pytest.mark.skipif(
    not is_postgresql(),
    reason="replica routing needs PostgreSQL: set DATABASE_URL=postgres://... "
    "(the stand-in replica is a second database on that server)",
)


def redis_available() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_required() -> None:
    """Skip where no Redis listens, except in CI, where its absence is a failure."""
    if redis_available():
        return
    message = f"no Redis on {REDIS_HOST}:{REDIS_PORT}"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI must start it)")
    pytest.skip(message)


# --- a second PostgreSQL database standing in as the read replica ---------------------


@pytest.fixture(scope="session")
def replica_alias(django_db_setup, django_db_blocker) -> Iterator[str]:
    """``replica_1``: a real, separate database (test DB name + ``_replica``).

    Rows written to it are NOT copied to the primary and vice versa, so a test can tell
    by content alone which database answered, besides capturing each connection's SQL.
    Session-scoped, so it exists before pytest-django opens the test's transactions.
    """
    if not is_postgresql():
        pytest.skip("replica routing needs PostgreSQL (DATABASE_URL=postgres://...)")
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    primary = connections["default"].settings_dict
    replica_settings = copy.deepcopy(primary)
    replica_settings["NAME"] = f"{primary['NAME']}_replica"
    replica_settings["TEST"] = {**replica_settings.get("TEST", {}), "MIRROR": None}
    replica_name = replica_settings["NAME"]

    with django_db_blocker.unblock():
        with connections["default"]._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{replica_name}"')
            cursor.execute(f'CREATE DATABASE "{replica_name}"')
        connections.settings[REPLICA_ALIAS] = replica_settings
        settings.DATABASES[REPLICA_ALIAS] = replica_settings
        try:
            # The schema a streaming replica would have copied from the primary.
            call_command("migrate", database=REPLICA_ALIAS, verbosity=0)
            yield REPLICA_ALIAS
        finally:
            connections[REPLICA_ALIAS].close()
            del connections[REPLICA_ALIAS]
            connections.settings.pop(REPLICA_ALIAS, None)
            settings.DATABASES.pop(REPLICA_ALIAS, None)
            with connections["default"]._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{replica_name}"')


@pytest.fixture
def replica_routing(replica_alias, settings) -> Iterator[str]:
    """Route reads to the stand-in replica for one test; every pin starts cleared."""
    from core.db_router import primary_pin

    settings.DATABASE_REPLICAS = [replica_alias]
    with primary_pin(False):
        yield replica_alias


# --- Redis namespace shared by several processes --------------------------------------


@pytest.fixture
def shared_redis() -> Iterator[dict[str, str]]:
    """Environment for processes sharing one Redis cache namespace; keys removed after."""
    redis_required()
    import redis

    prefix = f"newsroom-test-{uuid.uuid4().hex[:12]}"
    yield {
        "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_TEST_DB}",
        "CACHE_KEY_PREFIX": prefix,
    }
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=REDIS_TEST_DB)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
    if keys:
        client.delete(*keys)
    client.close()


# --- processes running the project's own settings -------------------------------------


def project_environment(**overrides: str) -> dict[str, str]:
    """The environment a production-like process of this checkout gets."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST_", "DJANGO_ALLOW_ASYNC"))
    }
    environment.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "scale-test-secret-key-" + "s" * 40,
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONUNBUFFERED": "1",
        }
    )
    environment.update(overrides)
    return environment


def manage(*args: str, env: dict[str, str], timeout: int = 180) -> str:
    """Run ``manage.py`` in a child process; its output, or a failure naming it."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    )
    return result.stdout


@pytest.fixture
def process_database(tmp_path) -> str:
    """A migrated SQLite file several processes can share (committed data only)."""
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    manage("migrate", "--noinput", env=project_environment(DATABASE_URL=url))
    return url


@pytest.fixture
def shared_database_url(transactional_db, process_database) -> str:
    """A database URL other processes can use, holding what this test commits.

    On PostgreSQL: pytest-django's test database itself (use with transactional_db,
    so rows are committed). On SQLite the test database lives in memory, so: the
    migrated temporary file of ``process_database``.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return process_database
    db = connection.settings_dict
    credentials = db["USER"] + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{db['NAME']}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class WebProcess:
    """One gunicorn master serving the project on 127.0.0.1:``port``."""

    port: int
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str] = field(repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def get(self, path: str, headers: dict[str, str] | None = None, timeout=10):
        """GET without following redirects: (status, headers, body)."""
        return http_request(self.url + path, headers=headers, timeout=timeout)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def http_request(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, dict[str, str], str]:
    """A plain HTTP request to a local test server; redirects are returned, not followed."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, _headers(response), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, _headers(error), error.read().decode(errors="replace")


def _headers(response) -> dict[str, str]:
    merged: dict[str, str] = {}
    for key, value in response.headers.items():
        key = key.lower()
        merged[key] = f"{merged[key]}\n{value}" if key in merged else value
    return merged


def _wait_until_healthy(web: WebProcess, deadline: float) -> None:
    while time.monotonic() < deadline:
        if web.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn on port {web.port} exited with {web.process.returncode}:\n"
                + web.log()
            )
        try:
            status, _, _ = web.get("/healthz", timeout=2)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(
        f"gunicorn on port {web.port} not healthy in time:\n" + web.log()
    )


def _stop(web: WebProcess) -> None:
    if web.process.poll() is not None:
        return
    # gunicorn's master stops its workers gracefully on SIGTERM.
    os.killpg(web.process.pid, signal.SIGTERM)
    try:
        web.process.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(web.process.pid, signal.SIGKILL)
        web.process.wait(timeout=STOP_SECONDS)


# --- deploy/nginx/nginx.conf in front of gunicorn processes ---------------------------

NGINX_CONF = ROOT / "deploy" / "nginx" / "nginx.conf"


@contextlib.contextmanager
def nginx_in_front_of(
    tmp_path: Path, first: WebProcess, second: WebProcess
) -> Iterator[tuple[str, Path]]:
    """Debian's nginx running the project's config, its upstreams pointed at two
    gunicorns and its listener at a free loopback port: (url, access log path)."""
    port = free_port()
    conf = NGINX_CONF.read_text()
    conf = conf.replace("server web-1:8000", f"server 127.0.0.1:{first.port}")
    conf = conf.replace("server web-2:8000", f"server 127.0.0.1:{second.port}")
    conf = conf.replace("server minio:9000", "server 127.0.0.1:9")
    # nginx alone here: reader pages straight to the gunicorns, not via Varnish.
    conf = conf.replace(
        "proxy_pass http://newsroom_pages;", "proxy_pass http://newsroom_web;"
    )
    conf = conf.replace("server varnish:6081", f"server 127.0.0.1:{first.port}")
    conf = conf.replace("listen 80 default_server", f"listen 127.0.0.1:{port}")
    conf = conf.replace("pid /tmp/nginx.pid", f"pid {tmp_path / 'nginx.pid'}")
    conf = "daemon off;\n" + conf
    (tmp_path / "nginx.conf").write_text(conf)
    log_path = tmp_path / "nginx.log"
    log = log_path.open("wb")
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
            raise RuntimeError(log_path.read_text())
        yield url, log_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> str:
    """Hashed static files, as the image builds them (the manifest storage needs them)."""
    static_root = str(tmp_path_factory.mktemp("static"))
    manage(
        "collectstatic", "--noinput", env=project_environment(STATIC_ROOT=static_root)
    )
    return static_root


@pytest.fixture
def web_processes(
    tmp_path, collected_static
) -> Iterator[Callable[..., list[WebProcess]]]:
    """Start ``count`` gunicorn processes with one environment; all stopped afterwards.

    Call it as ``web_processes(2, DATABASE_URL=..., **shared_redis)``. Each process gets
    its own free port, waits (bounded) for ``/healthz`` and writes its log to tmp_path.
    """
    started: list[WebProcess] = []

    def start(count: int = 2, **env: str) -> list[WebProcess]:
        environment = project_environment(STATIC_ROOT=collected_static, **env)
        batch = []
        for _ in range(count):
            port = free_port()
            log_path = tmp_path / f"gunicorn-{port}.log"
            with log_path.open("wb") as log:
                process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "gunicorn",
                        "newsroom.wsgi:application",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        "1",
                        "--threads",
                        "2",
                        "--timeout",
                        "30",
                        "--graceful-timeout",
                        "5",
                    ],
                    cwd=ROOT,
                    env=environment,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            web = WebProcess(port, process, log_path, environment)
            started.append(web)
            batch.append(web)
        deadline = time.monotonic() + STARTUP_SECONDS
        for web in batch:
            _wait_until_healthy(web, deadline)
        return batch

    try:
        yield start
    finally:
        for web in started:
            _stop(web)
