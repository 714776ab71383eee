"""Shared state across processes: separate Python processes with the project's own
settings share the Redis cache, counters and sessions; two gunicorn processes share a
login. (Page-level caching across processes is proven in the caching round with the
``web_processes`` fixture.)"""

import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from tests.scale.conftest import http_request, manage, project_environment

SET_VALUE = """
from django.core.cache import cache
cache.set("scale:greeting", {"text": "안녕하세요", "n": 7}, 60)
print(cache.get("scale:greeting") is not None)
"""

GET_VALUE = """
from django.core.cache import cache
print(cache.get("scale:greeting"))
"""

INCREMENT = """
from django.core.cache import cache
cache.add("scale:reactions:203.0.113.9", 0, 60)
print(cache.incr("scale:reactions:203.0.113.9"))
"""


def run(code: str, **env: str) -> str:
    environment = project_environment(**env)
    if "REDIS_URL" not in env:
        environment.pop("REDIS_URL", None)
    return manage("shell", "--no-imports", "-c", code, env=environment).strip()


def test_a_value_cached_by_one_process_is_read_by_another(shared_redis):
    assert run(SET_VALUE, **shared_redis) == "True"
    assert run(GET_VALUE, **shared_redis) == "{'text': '안녕하세요', 'n': 7}"


def test_without_redis_each_process_keeps_its_own_cache():
    """The control: the in-process cache is not shared, so the test above means it."""
    assert run(SET_VALUE) == "True"
    assert run(GET_VALUE) == "None"


def test_counters_add_up_across_processes(shared_redis):
    counts = [run(INCREMENT, **shared_redis) for _ in range(3)]
    assert counts == ["1", "2", "3"]


SAVE_SESSION = """
from django.contrib.sessions.backends.cached_db import SessionStore
session = SessionStore()
session["reader"] = "아미"
session.save()
print(session.session_key)
"""

LOAD_SESSION = """
import sys
from django.contrib.sessions.backends.cached_db import SessionStore
print(SessionStore(session_key=sys.argv[-1]).get("reader"))
"""


def test_a_session_saved_by_one_process_loads_in_another(
    shared_redis, process_database
):
    key = run(SAVE_SESSION, DATABASE_URL=process_database, **shared_redis)
    code = LOAD_SESSION.replace("sys.argv[-1]", repr(key))
    assert run(code, DATABASE_URL=process_database, **shared_redis) == "아미"


def cookies_from(headers: dict[str, str]) -> dict[str, str]:
    jar = SimpleCookie()
    for line in headers.get("set-cookie", "").split("\n"):
        if line:
            jar.load(line)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def test_a_login_on_one_gunicorn_process_is_valid_on_the_other(
    web_processes, shared_redis, process_database
):
    manage(
        "createsuperuser",
        "--noinput",
        "--username",
        "editor",
        "--email",
        "editor@example.com",
        env=project_environment(
            DATABASE_URL=process_database, DJANGO_SUPERUSER_PASSWORD="a-long-passw0rd"
        ),
    )
    first, second = web_processes(2, DATABASE_URL=process_database, **shared_redis)
    assert first.port != second.port

    status, headers, page = first.get("/admin/login/")
    assert status == 200
    cookies = cookies_from(headers)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    status, headers, _ = http_request(
        first.url + "/admin/login/?next=/admin/",
        data=urlencode(
            {
                "username": "editor",
                "password": "a-long-passw0rd",
                "csrfmiddlewaretoken": token,
                "next": "/admin/",
            }
        ).encode(),
        headers={
            "Cookie": cookie_header(cookies),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert status == 302, first.log()
    cookies.update(cookies_from(headers))
    assert "sessionid" in cookies

    status, _, page = second.get("/admin/", headers={"Cookie": cookie_header(cookies)})
    assert status == 200, second.log()
    # The admin index (not the login form) greets the user logged in on the other.
    assert "Log out" in page and "editor" in page and "id_password" not in page

    status, headers, _ = second.get("/admin/")  # the control: no cookie, no entry
    assert status == 302 and "/admin/login/" in headers["location"]


COUNT_GROUPS = """
from django.contrib.auth.models import Group
print(Group.objects.filter(name__startswith="shared-").count())
"""


def test_other_processes_see_what_the_test_commits(shared_database_url):
    """What the caching round builds on: data made here, served by other processes."""
    from django.conf import settings
    from django.contrib.auth.models import Group

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        # The SQLite test database is in memory: a child writes the shared file.
        run(
            "from django.contrib.auth.models import Group;"
            "Group.objects.create(name='shared-1')",
            DATABASE_URL=shared_database_url,
        )
    else:
        Group.objects.create(name="shared-1")

    assert run(COUNT_GROUPS, DATABASE_URL=shared_database_url) == "1"


ENQUEUE = """
from core.tasks import refresh_image_renditions
result = refresh_image_renditions.enqueue("auth", "user", 987654, "username")
print(result.id, result.status)
"""

RESULT = """
from django_tasks_db.models import DBTaskResult
row = DBTaskResult.objects.get()
print(row.status, row.return_value)
"""


def test_a_task_enqueued_by_one_process_is_run_by_a_db_worker_process(
    process_database,
):
    """The production path: TASK_BACKEND=database, `manage.py db_worker`."""
    env = {"DATABASE_URL": process_database, "TASK_BACKEND": "database"}
    _, status = run(ENQUEUE, **env).split()
    assert status == "READY"

    manage(
        "db_worker",
        "--batch",
        "--queue-name",
        "*",
        "--no-startup-delay",
        env=project_environment(**env),
    )

    assert run(RESULT, **env) == "SUCCESSFUL {'source': None, 'renditions': []}"
