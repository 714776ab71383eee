"""Stateless web settings: replicas, media storage, sessions, tasks and static files,
each read from the environment by a fresh process, as a deployment would."""

import json

from django.conf import settings
from storages.backends.s3 import S3Storage

from core.storage import media_storage_from_environment
from tests.scale.conftest import manage, project_environment

PROBE = """
import json
from django.conf import settings
print(json.dumps({
    "databases": settings.DATABASES,
    "replicas": settings.DATABASE_REPLICAS,
    "routers": settings.DATABASE_ROUTERS,
    "storages": settings.STORAGES,
    "session_engine": settings.SESSION_ENGINE,
    "tasks": settings.TASKS,
    "middleware": settings.MIDDLEWARE,
}, default=str))
"""


def probe(**env: str) -> dict:
    environment = project_environment(**env)
    for name in ("DATABASE_REPLICA_URLS", "AWS_STORAGE_BUCKET_NAME", "TASK_BACKEND"):
        if name not in env:
            environment.pop(name, None)
    return json.loads(manage("shell", "--no-imports", "-c", PROBE, env=environment))


def test_replica_urls_add_replica_aliases_with_the_primarys_options():
    found = probe(
        DATABASE_URL="postgres://app:pw@primary:5432/newsroom",
        DATABASE_REPLICA_URLS=(
            "postgres://app:pw@replica-a:5432/newsroom, "
            "postgres://app:pw@replica-b:5432/newsroom"
        ),
    )
    databases = found["databases"]
    assert found["replicas"] == ["replica_1", "replica_2"]
    assert set(databases) == {"default", "replica_1", "replica_2"}
    assert databases["replica_1"]["HOST"] == "replica-a"
    assert databases["replica_2"]["HOST"] == "replica-b"
    for alias in ("replica_1", "replica_2"):
        replica = databases[alias]
        assert replica["CONN_MAX_AGE"] == databases["default"]["CONN_MAX_AGE"] > 0
        assert replica["CONN_HEALTH_CHECKS"] is True
        assert replica["OPTIONS"]["connect_timeout"] == 5
        assert replica["TEST"]["MIRROR"] == "default"
    assert found["routers"] == ["core.db_router.PrimaryReplicaRouter"]


def test_without_replica_urls_there_is_only_the_primary():
    found = probe()
    assert set(found["databases"]) == {"default"}
    assert found["replicas"] == []
    middleware = found["middleware"]
    # Pinned before anything reads the database (sessions, the user).
    assert middleware.index("core.db_router.PinPrimaryMiddleware") < (
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
    )


def test_sessions_work_from_any_process():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"


def test_tasks_run_inline_unless_a_worker_backend_is_chosen():
    assert probe()["tasks"]["default"]["BACKEND"] == (
        "django_tasks.backends.immediate.ImmediateBackend"
    )
    worker = probe(TASK_BACKEND="database")["tasks"]["default"]
    assert worker["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert "media" in worker["QUEUES"]


def test_an_unknown_task_backend_stops_with_one_clear_sentence():
    import subprocess
    import sys

    from tests.scale.conftest import ROOT

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=project_environment(TASK_BACKEND="celery"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "TASK_BACKEND='celery' is not known" in result.stderr
    assert "Traceback" not in result.stderr


def test_media_stay_on_local_disk_without_a_bucket():
    assert probe()["storages"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_a_bucket_in_the_environment_switches_media_to_s3():
    found = probe(
        AWS_STORAGE_BUCKET_NAME="newsroom-media",
        AWS_S3_ENDPOINT_URL="http://minio:9000",
        AWS_ACCESS_KEY_ID="newsroom",
        AWS_SECRET_ACCESS_KEY="newsroom-secret",
        AWS_S3_REGION_NAME="ap-northeast-2",
        AWS_S3_CUSTOM_DOMAIN="media.news.example",
    )["storages"]["default"]
    assert found["BACKEND"] == "storages.backends.s3.S3Storage"
    options = found["OPTIONS"]
    assert options["bucket_name"] == "newsroom-media"
    assert options["endpoint_url"] == "http://minio:9000"
    assert options["access_key"] == "newsroom"
    assert options["secret_key"] == "newsroom-secret"
    assert options["region_name"] == "ap-northeast-2"
    assert options["custom_domain"] == "media.news.example"
    assert options["addressing_style"] == "path"
    assert options["file_overwrite"] is False
    assert options["querystring_auth"] is False


def test_the_s3_options_build_a_working_storage_with_public_urls():
    """No network: django-storages builds URLs locally from these options."""
    config = media_storage_from_environment(
        {
            "AWS_STORAGE_BUCKET_NAME": "newsroom-media",
            "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
            "AWS_ACCESS_KEY_ID": "key",
            "AWS_SECRET_ACCESS_KEY": "secret",
            "AWS_S3_REGION_NAME": "us-east-1",
        }
    )
    storage = S3Storage(**config["OPTIONS"])
    url = storage.url("photos/아이유.jpg")
    assert url.startswith("http://127.0.0.1:9000/newsroom-media/media/photos/")
    assert "X-Amz-Signature" not in url  # cacheable: the same URL for everyone

    cdn = S3Storage(
        **media_storage_from_environment(
            {
                "AWS_STORAGE_BUCKET_NAME": "newsroom-media",
                "AWS_S3_CUSTOM_DOMAIN": "media.news.example",
            }
        )["OPTIONS"]
    )
    assert cdn.url("photos/iu.jpg") == "https://media.news.example/media/photos/iu.jpg"


STATIC_PROBE = """
from django.test import Client
from django.templatetags.static import static
url = static("css/site.css")
response = Client().get(url)
print(url)
print(response.status_code)
print(response["Cache-Control"])
"""


def test_static_files_are_hashed_and_cacheable_for_a_year(tmp_path):
    environment = project_environment(STATIC_ROOT=str(tmp_path / "static"))
    manage("collectstatic", "--noinput", env=environment)

    url, status, cache_control = (
        manage("shell", "--no-imports", "-c", STATIC_PROBE, env=environment)
        .strip()
        .splitlines()
    )

    assert url.startswith("/static/css/site.") and url != "/static/css/site.css"
    assert status == "200"
    max_age = int(cache_control.split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600
    assert "immutable" in cache_control
