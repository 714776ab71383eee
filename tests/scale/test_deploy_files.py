"""The deployment files, checked by reading them (no Docker engine runs here).

Both compose files: every service, health check, dependency and named volume. The
scale-out file: its topology and that its environment means what settings expect. The
nginx configuration: parsed into blocks, with nginx's own inheritance rule for
``proxy_set_header`` applied, so every proxied location really forwards the scheme.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from core.storage import media_storage_from_environment

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx" / "nginx.conf"
COMPOSE_FILES = ["docker-compose.yml", "docker-compose.prod.yml"]


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text())


def one_shot(service: dict) -> bool:
    return service.get("restart") == "no"


def command_text(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


# --- both compose files ---------------------------------------------------------------


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_every_long_running_service_has_a_health_check(name):
    services = load(name)["services"]
    for service_name, service in services.items():
        if one_shot(service):
            continue
        check = service.get("healthcheck")
        assert check, f"{name}: {service_name} has no healthcheck"
        assert check["test"][0] in {"CMD", "CMD-SHELL"}, service_name
        assert check.get("interval") and check.get("retries"), service_name


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_dependencies_exist_and_wait_for_health_or_completion(name):
    services = load(name)["services"]
    for service_name, service in services.items():
        for target, rule in service.get("depends_on", {}).items():
            assert target in services, f"{service_name} depends on unknown {target}"
            expected = (
                "service_completed_successfully"
                if one_shot(services[target])
                else "service_healthy"
            )
            assert rule["condition"] == expected, f"{service_name} -> {target}"


@pytest.mark.parametrize("name", COMPOSE_FILES)
def test_named_volumes_are_declared_and_used(name):
    compose = load(name)
    declared = set(compose.get("volumes") or {})
    used = set()
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"bind mount {source} is missing"
            else:
                used.add(source)
    assert used == declared


# --- the scale-out topology -----------------------------------------------------------


@pytest.fixture(scope="module")
def prod() -> dict:
    return load("docker-compose.prod.yml")


def test_prod_names_every_service_of_the_topology(prod):
    assert set(prod["services"]) == {
        "nginx",
        "varnish",
        "web-1",
        "web-2",
        "worker",
        "migrate",
        "db-primary",
        "db-replica",
        "redis",
        "minio",
        "minio-init",
    }
    assert set(prod["volumes"]) == {
        "pgprimary",
        "pgreplica",
        "redisdata",
        "miniodata",
        "pagecache-outbox",
    }


def test_two_gunicorn_replicas_serve_the_wsgi_app(prod):
    for name in ("web-1", "web-2"):
        web = prod["services"][name]
        assert web["build"] == "."
        command = command_text(web)
        assert "gunicorn" in command and "newsroom.wsgi:application" in command
        assert "--forwarded-allow-ips=*" in command
        assert "/readyz" in " ".join(web["healthcheck"]["test"])
        assert "ports" not in web, "only nginx is published"
    assert prod["services"]["nginx"]["ports"] == ["8080:80"]


def test_the_app_environment_configures_replica_redis_tasks_and_s3(prod):
    for name in ("web-1", "web-2", "worker", "migrate"):
        env = prod["services"][name]["environment"]
        assert "@db-primary:5432/" in env["DATABASE_URL"]
        assert "@db-replica:5432/" in env["DATABASE_REPLICA_URLS"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert env["TASK_BACKEND"] == "database"
        assert env["DEBUG"] == "0"
        assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")  # no default secret
        storage = media_storage_from_environment(env)
        assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
        assert storage["OPTIONS"]["endpoint_url"] == "http://minio:9000"


def compose_default(value: str) -> str:
    """What ``${NAME:-default}`` gives when NAME is unset (plain values as they are)."""
    match = re.fullmatch(r"\$\{\w+:-([^}]*)\}", value)
    return match.group(1) if match else value


def test_prod_trusts_one_proxy_hop_nginx(prod):
    # nginx appends the client's address to X-Forwarded-For; the web replicas take
    # that last entry, and nothing a client wrote further left.
    for name in ("web-1", "web-2"):
        env = prod["services"][name]["environment"]
        assert compose_default(str(env["TRUSTED_PROXY_COUNT"])) == "1", name


def test_the_single_machine_compose_trusts_no_forwarded_header():
    # There gunicorn faces clients itself: a client could name any address.
    web = load("docker-compose.yml")["services"]["web"]
    assert compose_default(str(web["environment"].get("TRUSTED_PROXY_COUNT", "0"))) == (
        "0"
    )


def test_the_worker_runs_every_queue_and_the_bucket_is_created(prod):
    worker = prod["services"]["worker"]
    command = command_text(worker)
    assert "db_worker" in command and "--queue-name *" in command
    bucket = worker["environment"]["AWS_STORAGE_BUCKET_NAME"]
    init = " ".join(prod["services"]["minio-init"]["entrypoint"])
    assert f"mc mb --ignore-existing store/{bucket}" in init
    assert f"mc anonymous set download store/{bucket}/media" in init


def test_migrations_run_once_on_the_primary_before_the_web_starts(prod):
    migrate = prod["services"]["migrate"]
    assert "migrate" in command_text(migrate)
    assert migrate["depends_on"] == {"db-primary": {"condition": "service_healthy"}}
    for name in ("web-1", "web-2", "worker"):
        assert "manage.py migrate" not in command_text(prod["services"][name])


def test_the_replica_streams_from_the_primary(prod):
    primary = prod["services"]["db-primary"]
    replica = prod["services"]["db-replica"]
    assert "wal_level=replica" in primary["command"]
    assert "10-replication.sh" in " ".join(primary["volumes"])
    assert replica["environment"]["PRIMARY_HOST"] == "db-primary"
    assert "pg_is_in_recovery()" in " ".join(replica["healthcheck"]["test"])

    init = (ROOT / "deploy/postgres/primary-init.sh").read_text()
    assert "REPLICATION LOGIN" in init and "pg_create_physical_replication_slot" in init
    assert "host replication" in init
    entrypoint = (ROOT / "deploy/postgres/replica-entrypoint.sh").read_text()
    assert "pg_basebackup" in entrypoint and "--write-recovery-conf" in entrypoint
    assert "hot_standby=on" in entrypoint
    for script in ("primary-init.sh", "replica-entrypoint.sh"):
        assert os.access(ROOT / "deploy/postgres" / script, os.X_OK), script


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize("script", ["primary-init.sh", "replica-entrypoint.sh"])
def test_the_postgres_scripts_are_valid_bash(script):
    result = subprocess.run(
        ["bash", "-n", str(ROOT / "deploy/postgres" / script)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


# --- nginx.conf -----------------------------------------------------------------------


def parse_nginx(text: str) -> list:
    """A minimal parser: a list of (name, args, children-or-None)."""
    text = re.sub(r"#[^\n]*", "", text)
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[{};]|[^\s{};]+', text)
    position = 0

    def block() -> list:
        nonlocal position
        items, words = [], []
        while position < len(tokens):
            token = tokens[position]
            position += 1
            if token == ";":
                items.append((words[0], words[1:], None))
                words = []
            elif token == "{":
                items.append((words[0], words[1:], block()))
                words = []
            elif token == "}":
                return items
            else:
                words.append(token)
        assert not words, f"unterminated directive {words}"
        return items

    return block()


def find(items: list, name: str) -> list:
    return [item for item in items if item[0] == name]


def effective_headers(*levels: list) -> dict[str, str]:
    """nginx inherits proxy_set_header only into levels that set none themselves."""
    headers: dict[str, str] = {}
    for level in levels:
        own = {
            args[0].lower(): " ".join(args[1:])
            for _, args, _ in find(level, "proxy_set_header")
        }
        if own:
            headers = own
    return headers


@pytest.fixture(scope="module")
def nginx() -> list:
    return parse_nginx(NGINX_CONF.read_text())


def test_nginx_balances_over_both_web_replicas(nginx):
    (http,) = find(nginx, "http")
    upstreams = {args[0]: body for _, args, body in find(http[2], "upstream")}
    servers = {args[0] for _, args, _ in find(upstreams["newsroom_web"], "server")}
    assert servers == {"web-1:8000", "web-2:8000"}
    assert find(upstreams["newsroom_web"], "keepalive")


def test_every_proxied_location_forwards_the_scheme_and_host(nginx):
    (http,) = find(nginx, "http")
    (server,) = find(http[2], "server")
    proxied = [loc for loc in find(server[2], "location") if find(loc[2], "proxy_pass")]
    assert {" ".join(loc[1]) for loc in proxied} == {
        "/",
        "/static/",
        "/media/",
        "/media/renditions/",
    }
    for location in proxied:
        headers = effective_headers(http[2], server[2], location[2])
        assert headers.get("x-forwarded-proto") == "$forwarded_proto", location[1]
        assert "host" in headers, location[1]
    app = next(loc for loc in proxied if loc[1] == ["/"])
    app_headers = effective_headers(http[2], server[2], app[2])
    # Reader pages go through Varnish (deploy/varnish/default.vcl).
    assert find(app[2], "proxy_pass")[0][1] == ["http://newsroom_pages"]
    # Every location that reaches Django appends the peer to X-Forwarded-For: the
    # one hop TRUSTED_PROXY_COUNT=1 trusts (the client's own entries stay left).
    for location in proxied:
        if find(location[2], "proxy_pass")[0][1] in (
            ["http://newsroom_web"],
            ["http://newsroom_pages"],
        ):
            headers = effective_headers(http[2], server[2], location[2])
            assert headers["x-forwarded-for"] == "$proxy_add_x_forwarded_for"
    assert app_headers["x-forwarded-for"] == "$proxy_add_x_forwarded_for"


def test_nginx_keeps_an_outer_proxys_scheme(nginx):
    (http,) = find(nginx, "http")
    (mapping,) = find(http[2], "map")
    assert mapping[1] == ["$http_x_forwarded_proto", "$forwarded_proto"]
    assert ("", ["$scheme"], None) in [
        (name.strip("\"'"), args, body) for name, args, body in mapping[2]
    ]


def test_nginx_has_a_health_location_for_its_check(nginx):
    (http,) = find(nginx, "http")
    (server,) = find(http[2], "server")
    health = [
        loc for loc in find(server[2], "location") if loc[1] == ["=", "/nginx-health"]
    ]
    assert health and find(health[0][2], "return")[0][1][0] == "200"
    compose_check = load("docker-compose.prod.yml")["services"]["nginx"]["healthcheck"]
    assert "http://127.0.0.1/nginx-health" in compose_check["test"]


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_itself_accepts_the_configuration(tmp_path):
    """With Debian's nginx present: `nginx -t`, service names pointed at loopback."""
    conf = NGINX_CONF.read_text()
    for host in ("web-1:8000", "web-2:8000", "minio:9000", "varnish:6081"):
        conf = conf.replace(f"server {host}", "server 127.0.0.1:9")
    (tmp_path / "nginx.conf").write_text(conf)
    result = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
