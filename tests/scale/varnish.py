"""deploy/varnish/default.vcl in a real varnishd (Debian's varnish + varnish-modules)
in front of gunicorn processes, for the tests and the bench."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from tests.scale.conftest import ROOT, free_port, http_request

VCL = ROOT / "deploy" / "varnish" / "default.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


def varnish_available() -> bool:
    return os.access(VARNISHD, os.X_OK)


@contextlib.contextmanager
def varnish_in_front_of(
    workdir: Path, first_port: int, second_port: int | None = None, port: int = 0
) -> Iterator[str]:
    """varnishd running the project's VCL, its backends pointed at the given ports:
    yields its URL (a free loopback port unless ``port`` is given)."""
    port = port or free_port()
    vcl = VCL.read_text()
    vcl = vcl.replace(
        '.host = "web-1";\n    .port = "8000";',
        f'.host = "127.0.0.1";\n    .port = "{first_port}";',
    )
    vcl = vcl.replace(
        '.host = "web-2";\n    .port = "8000";',
        f'.host = "127.0.0.1";\n    .port = "{second_port or first_port}";',
    )
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "default.vcl").write_text(vcl)
    log = (workdir / "varnishd.log").open("wb")
    process = subprocess.Popen(
        [
            VARNISHD,
            "-F",
            "-j",
            "none",
            "-n",
            str(workdir / "instance"),
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(workdir / "default.vcl"),
            "-s",
            "malloc,128m",
            "-p",
            "thread_pool_min=50",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if http_request(url + "/healthz", timeout=1)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
            if process.poll() is not None:
                break
        else:
            raise RuntimeError((workdir / "varnishd.log").read_text())
        if process.poll() is not None:
            raise RuntimeError((workdir / "varnishd.log").read_text())
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        log.close()
