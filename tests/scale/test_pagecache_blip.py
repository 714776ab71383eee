"""No stale page after a Redis blip: a Redis server of the test's own is stopped
(SIGSTOP: connections hang, as in a failover or a network blip) while another
process saves a story; the change waits in the outbox and is replayed when Redis
answers, and meanwhile no process serves a page it cannot prove current."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from core import pagecache_outbox
from tests.scale.conftest import free_port, http_request, manage, project_environment

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs redis-server"
)

CREATE_STORY = """
import datetime
from django.utils import timezone
from articles.models import Article
Article.objects.create(
    headline="Original headline",
    slug="blip-story",
    status=Article.Status.PUBLISHED,
    published_at=timezone.now() - datetime.timedelta(hours=1),
)
"""
EDIT_STORY = """
from articles.models import Article
story = Article.objects.get(slug="blip-story")
story.headline = "Taken-down claim corrected"
story.save()
"""


@pytest.fixture
def own_redis(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        ping = subprocess.run(
            ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
        )
        if ping.stdout.strip() == "PONG":
            break
        time.sleep(0.1)
    try:
        yield port, process
    finally:
        os.kill(process.pid, signal.SIGCONT)
        process.terminate()
        process.wait(timeout=10)


def get(web, path):
    # One Host for both processes, as behind a load balancer: one cached page.
    headers = {"User-Agent": "blip-test/1.0", "Host": "localhost"}
    return http_request(web.url + path, headers=headers)


def test_a_save_during_a_redis_blip_never_leaves_a_stale_page(
    own_redis, web_processes, process_database
):
    port, redis_process = own_redis
    redis_url = f"redis://127.0.0.1:{port}/0"
    environment = project_environment(
        DATABASE_URL=process_database, REDIS_URL=redis_url
    )
    manage("shell", "-c", CREATE_STORY, env=environment)
    a, b = web_processes(2, DATABASE_URL=process_database, REDIS_URL=redis_url)
    path = "/news/blip-story/"
    assert "Original headline" in get(b, path)[2], b.log()
    assert get(b, path)[1]["x-page-cache"] == "hit"
    assert get(a, path)[1]["x-page-cache"] == "hit"  # stored once, shared

    os.kill(redis_process.pid, signal.SIGSTOP)
    try:
        manage("shell", "-c", EDIT_STORY, env=environment)  # the save, during the blip
        outbox = Path(environment["PAGE_CACHE_OUTBOX"])
        assert "story:" in outbox.read_text()  # the change waits
        # While Redis is away, each process renders: the correction shows.
        for web in (a, b):
            status, headers, page = get(web, path)
            assert status == 200 and "Taken-down claim corrected" in page, web.log()
            assert headers.get("x-page-cache") != "hit"
    finally:
        os.kill(redis_process.pid, signal.SIGCONT)

    # Redis answers again and still holds the old page: never served.
    deadline = time.monotonic() + 15
    answers = []
    while time.monotonic() < deadline:
        for web in (b, a):
            answers.append(get(web, path))
        if answers[-1][1].get("x-page-cache") == "hit":
            break
        time.sleep(0.3)
    assert all("Taken-down claim corrected" in page for _, _, page in answers)
    assert answers[-1][1]["x-page-cache"] == "hit"  # cached again once replayed
    assert not pagecache_outbox.pending()
