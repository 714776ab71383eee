"""Settings come from the environment; production settings are clean and strict."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "DEBUG",
            "SECURE_SSL_REDIRECT",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_secret_key_with_debug_off_stops_with_one_clear_sentence():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_secret_key_is_fine_for_local_development():
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_check_deploy_with_production_settings_prints_no_warning():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-production-like-secret-key-" + "k3Y!" * 10,
        ALLOWED_HOSTS="news.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_database_and_cache_follow_the_environment():
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE']);"
        "print(settings.DATABASES['default']['CONN_MAX_AGE']);"
        "print(settings.DATABASES['default']['CONN_HEALTH_CHECKS']);"
        "print(settings.CACHES['default']['BACKEND'])"
    )
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DEBUG="1",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/nowhere",
        REDIS_URL="redis://127.0.0.1:6379/9",
    )
    assert result.returncode == 0, result.stderr
    engine, max_age, health, cache = result.stdout.split()
    assert engine == "django.db.backends.postgresql"
    assert int(max_age) > 0 and health == "True"
    assert cache == "core.cache.ResilientRedisCache"  # a RedisCache subclass


def test_sqlite_default_lives_under_var_with_wal():
    code = (
        "from django.conf import settings;"
        "db = settings.DATABASES['default'];"
        "print(db['NAME']); print(db['OPTIONS']['init_command'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**env, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    name, pragma = result.stdout.strip().splitlines()
    assert name.endswith("var/newsroom.sqlite3")
    assert "journal_mode=WAL" in pragma


def test_client_address_and_sign_in_limits_follow_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.TRUSTED_PROXY_COUNT, s.LOGIN_THROTTLE_FAILURES,"
        " int(s.LOGIN_THROTTLE_WINDOW.total_seconds()),"
        " int(s.LOGIN_THROTTLE_COOLOFF.total_seconds()),"
        " s.REQUIRE_2FA_FOR_STAFF, s.AXES_CLIENT_IP_CALLABLE)"
    )
    defaults = run_manage("shell", "--no-imports", "-c", code, DEBUG="1")
    assert defaults.returncode == 0, defaults.stderr
    assert defaults.stdout.split() == [
        "0",
        "20",
        "900",
        "900",
        "False",
        "core.clientaddress.request_address",
    ]
    configured = run_manage(
        "shell",
        "--no-imports",
        "-c",
        code,
        DEBUG="1",
        TRUSTED_PROXY_COUNT="2",
        LOGIN_THROTTLE_FAILURES="50",
        LOGIN_THROTTLE_WINDOW_MINUTES="30",
        LOGIN_THROTTLE_MINUTES="60",
        REQUIRE_2FA_FOR_STAFF="1",
    )
    assert configured.returncode == 0, configured.stderr
    assert configured.stdout.split()[:5] == ["2", "50", "1800", "3600", "True"]
