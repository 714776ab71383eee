"""The busy day (issue 19): readers on a Zipf-like mix while editors and moderators work.

Readers (wrk, 8 connections) rotate over a shuffled list of paths: 1,000 stories
with Zipf-like popularity (story i read about 1/i as often as the first), the home
page, 20 tags and 100 artists. Meanwhile one process saves a story every 10 s and
another approves a reaction every 2 s (on stories picked by the same popularity).
Measured through the same gunicorn (2 sync workers): hit rate (X-Page-Cache), req/s,
p99, and the ratio to a static file served by that gunicorn in the same run.

Then the CDN: a cached story through Varnish (deploy/varnish/default.vcl, a real
varnishd) against nginx serving a static file, same wrk settings, same run.

``BENCH_BUSY_BEFORE=<git ref>`` measures the busy day on that ref's code as well (a
``git archive`` export run with this venv), for a before/after table.

Run alone on a seeded database: ``BENCH_SEED=0 python -m bench.busy``.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench import load

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
WRK_SCRIPT = BENCH_DIR / "wrk_busy.lua"
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
READ_STORIES = 1000
CONNECTIONS = 8

# Run by the two writer processes, with the measured code's root first on sys.path.
WRITER = r"""
import random, sys, time
sys.path.insert(0, sys.argv[1])
import django
django.setup()
from django.contrib.auth import get_user_model
from articles.models import Article, FanReaction
from articles.moderation import approve_reaction

kind, every, seconds = sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
slugs = open(sys.argv[5]).read().split()
weights = [1 / (rank + 1) for rank in range(len(slugs))]
rng = random.Random(kind)
User = get_user_model()
moderator = User.objects.filter(username="bench-moderator").first()
if moderator is None:
    moderator = User.objects.create_superuser("bench-moderator", "", None)
done, deadline = 0, time.monotonic() + seconds
while time.monotonic() < deadline:
    slug = rng.choices(slugs, weights)[0]
    story = Article.objects.get(slug=slug)
    if kind == "story":
        story.dek = f"Updated at {time.time():.0f}: the desk's latest"
        story.save()
    else:
        reaction = FanReaction.objects.create(
            article=story, display_name="Busy reader", message=f"Reaction {done}"
        )
        approve_reaction(reaction=reaction, by=moderator)
    done += 1
    time.sleep(every)
print(done)
"""


def log(message: str) -> None:
    print(f"bench busy: {message}", file=sys.stderr, flush=True)


def reader_paths(result, *, count: int = 20000, seed: int = 19) -> list[str]:
    """A shuffled mix: 85% stories (Zipf over 1,000), 5% home, 5% tags, 5% artists."""
    rng = random.Random(seed)
    stories = [f"/news/{slug}/" for slug in result.story_slugs[:READ_STORIES]]
    weights = [1 / (rank + 1) for rank in range(len(stories))]
    tags = [f"/tags/{slug}/" for slug in result.tag_slugs[:20]]
    artists = [f"/artists/{slug}/" for slug in result.artist_slugs[:100]]
    paths = rng.choices(stories, weights, k=int(count * 0.85))
    paths += ["/"] * int(count * 0.05)
    paths += rng.choices(tags, k=int(count * 0.05))
    paths += rng.choices(artists, k=int(count * 0.05))
    rng.shuffle(paths)
    return paths


def run_wrk_file(wrk: str, base: str, paths_file: Path, *, seconds: int) -> dict:
    command = [
        wrk,
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(WRK_SCRIPT),
        base + "/",
        "--",
        str(paths_file),
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    taken = result["duration_us"] / 1e6
    answered = result["hits"] + result["misses"]
    return {
        "requests": result["requests"],
        "rps": round(result["requests"] / taken, 1),
        "hit_rate": round(result["hits"] / answered, 4) if answered else None,
        "hits": result["hits"],
        "misses": result["misses"],
        "uncached_answers": result["other"],
        "p50_ms": round(result["latency_us"]["p50"] / 1000, 2),
        "p99_ms": round(result["latency_us"]["p99"] / 1000, 2),
        "errors": sum(result["errors"].values()),
    }


@contextmanager
def writers(env: dict, code_root: Path, slugs_file: Path, seconds: int):
    """The desk (a save every 10 s) and a moderator (an approval every 2 s)."""
    script = Path(tempfile.mkdtemp(prefix="bench-busy-")) / "writer.py"
    script.write_text(WRITER)
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), str(code_root), kind, every, str(seconds)]
            + [str(slugs_file)],
            cwd=code_root,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            text=True,
        )
        for kind, every in (("story", "10"), ("reaction", "2"))
    ]
    counts: dict[str, int] = {}
    try:
        yield counts
    finally:
        for kind, process in zip(("story saves", "approvals"), processes, strict=True):
            try:
                out, _ = process.communicate(timeout=seconds + 60)
                counts[kind] = int(out.strip() or 0)
            except (subprocess.TimeoutExpired, ValueError):
                process.kill()
                counts[kind] = -1
        shutil.rmtree(script.parent, ignore_errors=True)


def busy_run(
    wrk: str,
    env: dict,
    code_root: Path,
    paths: list[str],
    static_path: str,
    *,
    seconds: int,
) -> dict:
    """One busy day on the code at ``code_root``; the static file as reference."""
    work = Path(tempfile.mkdtemp(prefix="bench-busy-"))
    paths_file = work / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    slugs = [path.split("/")[2] for path in paths if path.startswith("/news/")]
    ranked = sorted(set(slugs), key=lambda slug: -slugs.count(slug))
    slugs_file = work / "slugs.txt"
    slugs_file.write_text("\n".join(ranked))
    run_env = {**env, "PAGE_CACHE_ENABLED": "1"}
    with gunicorn_at(code_root, run_env) as base:
        for path in dict.fromkeys(paths):  # warm: every page cached once
            urllib.request.urlopen(base + path, timeout=30).read()
        static = load.run_wrk(wrk, base, [static_path], seconds=min(seconds, 10))
        with writers(run_env, code_root, slugs_file, seconds) as desk:
            readers = run_wrk_file(wrk, base, paths_file, seconds=seconds)
    shutil.rmtree(work, ignore_errors=True)
    readers["static_rps"] = static["rps"]
    readers["ratio_to_static"] = round(readers["rps"] / static["rps"], 3)
    readers["writes"] = desk
    return readers


@contextmanager
def gunicorn_at(code_root: Path, env: dict):
    """load.gunicorn, from ``code_root`` (this checkout, or an export of another ref)."""
    if code_root == ROOT:
        with load.gunicorn(env) as (base, _):
            yield base
        return
    port = load.free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "newsroom.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--chdir",
            str(code_root),
        ],
        cwd=code_root,
        env={**os.environ, **env, "PYTHONPATH": str(code_root)},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


def _wait(base: str, process: subprocess.Popen, path: str = "/healthz") -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base + path, timeout=2).read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{base} did not start") from None
            time.sleep(0.2)


def export(ref: str) -> Path:
    """The code of ``ref`` in a temporary directory (git archive)."""
    target = Path(tempfile.mkdtemp(prefix="bench-before-"))
    archive = subprocess.run(
        ["git", "archive", ref], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target


@contextmanager
def varnish(backend_port: int, work: Path):
    port = load.free_port()
    vcl = VCL.read_text()
    for name in ("web-1", "web-2"):
        vcl = vcl.replace(
            f'.host = "{name}";\n    .port = "8000";',
            f'.host = "127.0.0.1";\n    .port = "{backend_port}";',
        )
    (work / "default.vcl").write_text(vcl)
    process = subprocess.Popen(
        ["varnishd", "-F", "-j", "none", "-n", str(work / "varnish")]
        + ["-a", f"127.0.0.1:{port}", "-f", str(work / "default.vcl")]
        + ["-s", "malloc,256m", "-p", "thread_pool_min=100"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


@contextmanager
def nginx_static(static_root: str, work: Path):
    port = load.free_port()
    conf = work / "nginx.conf"
    # As root, nginx's workers would drop to nobody, who may not read the checkout.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(
        f"daemon off;\n{user}worker_processes 2;\npid {work}/nginx.pid;\n"
        "error_log stderr error;\nevents { worker_connections 1024; }\n"
        "http {\n access_log off;\n types { text/css css; }\n"
        f" server {{\n  listen 127.0.0.1:{port};\n"
        f"  location /static/ {{ alias {static_root}/; }}\n"
        "  location = /healthz { return 200 'ok'; }\n }\n}\n"
    )
    process = subprocess.Popen(
        ["nginx", "-c", str(conf), "-p", str(work)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)


def cdn_run(wrk: str, env: dict, story: str, static_path: str, *, seconds: int) -> dict:
    """A cached story through Varnish against nginx's static file (64 connections);
    gunicorn alone serving the same cached story, for the ratio it replaces."""
    if not (shutil.which("varnishd") and shutil.which("nginx")):
        return {"error": "varnishd or nginx missing"}
    work = Path(tempfile.mkdtemp(prefix="bench-cdn-"))
    runs = {}
    with load.gunicorn({**env, "PAGE_CACHE_ENABLED": "1"}) as (base, _):
        with varnish(int(base.rsplit(":", 1)[1]), work) as front:
            runs["varnish story"] = load.run_wrk(
                wrk, front, [story], seconds=seconds, connections=64
            )
        runs["gunicorn story"] = load.run_wrk(
            wrk, base, [story], seconds=seconds, connections=64
        )
    with nginx_static(env["STATIC_ROOT"], work) as nginx:
        runs["nginx static"] = load.run_wrk(
            wrk, nginx, [static_path], seconds=seconds, connections=64
        )
    shutil.rmtree(work, ignore_errors=True)
    reference = runs["nginx static"]["rps"]
    for run in runs.values():
        run["ratio_to_nginx_static"] = round(run["rps"] / reference, 3)
    return runs


def measure(wrk: str, env: dict, result, static_path: str, *, seconds: int) -> dict:
    paths = reader_paths(result)
    report: dict = {"seconds": seconds, "connections": CONNECTIONS, "runs": {}}
    before = os.environ.get("BENCH_BUSY_BEFORE")
    if before:
        log(f"busy day on {before}")
        code = export(before)
        try:
            report["runs"][f"before ({before})"] = busy_run(
                wrk, env, code, paths, static_path, seconds=seconds
            )
        finally:
            shutil.rmtree(code, ignore_errors=True)
    log("busy day on this checkout")
    report["runs"]["after"] = busy_run(
        wrk, env, ROOT, paths, static_path, seconds=seconds
    )
    if "REDIS_URL" in env:
        log("busy day without Redis (the shared file store under var/)")
        no_redis = {k: v for k, v in env.items() if k != "REDIS_URL"}
        saved = os.environ.pop("REDIS_URL", None)
        try:
            report["runs"]["after, no Redis"] = busy_run(
                wrk, no_redis, ROOT, paths, static_path, seconds=seconds
            )
        finally:
            if saved:
                os.environ["REDIS_URL"] = saved
    log("Varnish vs nginx")
    try:
        report["cdn"] = cdn_run(
            wrk, env, paths[0], static_path, seconds=min(seconds, 10)
        )
    except Exception as error:  # the busy day's figures stand without it
        report["cdn"] = {"error": str(error)[:200]}
    return report


def markdown(report: dict) -> str:
    lines = [
        "## Busy day (issue 19)",
        "",
        f"Readers: wrk, {report['connections']} connections, {report['seconds']} s, a "
        "Zipf-like mix of 1,000 stories (85%), home (5%), 20 tags (5%), 100 artists "
        "(5%); a story saved every 10 s and a reaction approved every 2 s meanwhile. "
        "gunicorn, 2 sync workers; the static file through the same gunicorn.",
        "",
        "| run | hit rate | req/s | static req/s | ratio | p50 ms | p99 ms | errors "
        "| saves / approvals |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, run in report["runs"].items():
        writes = run["writes"]
        lines.append(
            f"| {name} | {run['hit_rate']:.1%} | {run['rps']:,.0f} | "
            f"{run['static_rps']:,.0f} | {run['ratio_to_static']} | {run['p50_ms']} | "
            f"{run['p99_ms']} | {run['errors']} | {writes.get('story saves')} / "
            f"{writes.get('approvals')} |"
        )
    lines += [
        "",
        "### A cached story through Varnish, against nginx serving a static file",
        "",
        "wrk, 64 connections, same run.",
        "",
        "| target | req/s | p99 ms | ratio to nginx static |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, run in report.get("cdn", {}).items():
        if isinstance(run, dict) and "rps" in run:
            lines.append(
                f"| {name} | {run['rps']:,.0f} | {run['p99_ms']} | "
                f"{run['ratio_to_nginx_static']} |"
            )
    return "\n".join(lines) + "\n"


def write(report: dict, name: str) -> None:
    (BENCH_DIR / f"{name}-busy.json").write_text(json.dumps(report, indent=2) + "\n")
    (BENCH_DIR / f"{name}-busy.md").write_text(markdown(report))


def main() -> int:
    """The busy day alone, on the database the last ``make bench`` seeded."""
    from bench.__main__ import DEFAULT_URL, configure

    env = configure(os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.templatetags.static import static

    from bench import seed

    call_command("collectstatic", verbosity=0, interactive=False)
    result = seed.SeedResult(
        **json.loads((BENCH_DIR / "var" / "site.json").read_text())
    )
    seconds = int(os.environ.get("BENCH_BUSY_SECONDS", "30"))
    report = measure(
        load.ensure_wrk(), env, result, static("css/site.css"), seconds=seconds
    )
    write(report, os.environ.get("BENCH_REPORT", "report"))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
