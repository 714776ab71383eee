"""Throughput under load: gunicorn (2 workers) on 127.0.0.1, driven by wrk, and RSS."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
WRK_SCRIPT = BENCH_DIR / "wrk.lua"


def ensure_wrk() -> str:
    """wrk from Debian; installed with apt-get when missing (root on these machines)."""
    found = shutil.which("wrk")
    if found:
        return found
    print("  installing wrk with apt-get ...", file=sys.stderr)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False)
    found = shutil.which("wrk")
    if not found:
        subprocess.run(["apt-get", "update", "-q"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)
        found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not available")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2):
    """A gunicorn master with ``workers`` sync workers; stopped (by its pid) on exit."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "newsroom.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def worker_rss_mb(master_pid: int) -> list[dict]:
    """Resident memory of each worker (children of the gunicorn master)."""
    children = (
        Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    )
    found = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                found.append(
                    {"pid": int(pid), "rss_mb": round(int(line.split()[1]) / 1024, 1)}
                )
    return found


def run_wrk(
    wrk: str, base: str, paths: list[str], *, seconds: int, connections: int = 8
) -> dict:
    """One bounded wrk run (loopback only) rotating over ``paths``."""
    for path in paths[:3]:  # warm up: imports, connections, the page cache
        urllib.request.urlopen(base + path, timeout=10).read()
    command = [
        wrk,
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(WRK_SCRIPT),
        base + paths[0],
        "--",
        *paths,
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    seconds_taken = result["duration_us"] / 1e6
    errors = sum(result["errors"].values())
    return {
        "requests": result["requests"],
        "rps": round(result["requests"] / seconds_taken, 1),
        "p50_ms": round(result["latency_us"]["p50"] / 1000, 2),
        "p90_ms": round(result["latency_us"]["p90"] / 1000, 2),
        "p99_ms": round(result["latency_us"]["p99"] / 1000, 2),
        "errors": errors,
        "paths": len(paths),
    }
