"""No Docker engine runs here: the compose files are checked by reading them."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text())


def test_compose_runs_web_db_and_redis_with_healthchecks():
    compose = load("docker-compose.yml")
    services = compose["services"]
    assert {"web", "db", "redis"} <= set(services)

    web = services["web"]
    assert web["build"]
    assert "8000:8000" in [str(port) for port in web["ports"]]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"
    command = (
        " ".join(web["command"]) if isinstance(web["command"], list) else web["command"]
    )
    assert "migrate" in command and "gunicorn" in command
    assert "newsroom.wsgi:application" in command
    environment = web["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["REDIS_URL"].startswith("redis://redis:6379")
    assert environment["SECRET_KEY"]
    # gunicorn faces clients here: X-Forwarded-For is theirs to forge, never trusted.
    assert str(environment.get("TRUSTED_PROXY_COUNT", "0")) == "0"
    assert "healthcheck" in web

    db = services["db"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    db_volume = db["volumes"][0].split(":")[0]
    assert db_volume in compose["volumes"]

    assert "redis-cli" in " ".join(services["redis"]["healthcheck"]["test"])


def test_dockerfile_serves_the_wsgi_app_with_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in dockerfile
    assert "collectstatic" in dockerfile
    assert "newsroom.wsgi:application" in dockerfile


def test_the_image_holds_every_template_folder_the_settings_name():
    from django.conf import settings

    copied = {
        line.split()[1]
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.startswith("COPY ")
    }
    folders = {
        Path(folder).relative_to(ROOT).as_posix()
        for engine in settings.TEMPLATES
        for folder in engine["DIRS"]
    }
    assert folders == {"jinja2", "templates"}
    assert folders <= copied


def test_the_scale_out_compose_trusts_nginx_as_one_hop():
    # nginx appends the client's address to X-Forwarded-For; TRUSTED_PROXY_COUNT=1
    # (overridable for a load balancer in front) makes that last entry the client.
    services = load("docker-compose.prod.yml")["services"]
    for name in ("web-1", "web-2"):
        value = services[name]["environment"]["TRUSTED_PROXY_COUNT"]
        assert value == "${TRUSTED_PROXY_COUNT:-1}", name


def test_the_image_holds_every_package_of_the_project():
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {
        pattern.rstrip("*")
        for pattern in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    copied = {
        line.split()[1]
        for line in (ROOT / "Dockerfile").read_text().splitlines()
        if line.startswith("COPY ")
    }
    assert "core" in packages
    assert packages <= copied
