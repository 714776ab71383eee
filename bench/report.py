"""bench/report.json (everything measured) and bench/report.md (the same, readable)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.photos import markdown as photo_markdown

BUDGETS = {"story": 8, "home": 8, "artist": 8, "release": 6, "search": 6}


def _ratio(runs: dict, name: str) -> float | None:
    static = runs.get("static file", {}).get("rps")
    page = runs.get(name, {}).get("rps")
    if not static or page is None:
        return None
    return round(page / static, 3)


def targets(report: dict) -> list[tuple[str, str, str, bool | None]]:
    """(target, wanted, measured, met) for each of the issue's targets."""
    runs = report.get("load", {}).get("runs", {})
    cached = _ratio(runs.get("cached", {}), "story")
    uncached = _ratio(runs.get("uncached", {}), "story")
    story = report.get("in_process", {}).get("story", {}).get("cold", {})
    search = report.get("search", {}).get("all", {})
    seed = report.get("seed", {}).get("seconds")
    rss = [
        worker["rss_mb"]
        for state in report.get("load", {}).get("memory", {}).values()
        for worker in state["workers"]
    ]
    rows = [
        (
            "cached story vs static",
            "≥ 0.8×",
            cached,
            cached is not None and cached >= 0.8,
        ),
        (
            "uncached story vs static",
            "≥ 0.1×",
            uncached,
            uncached is not None and uncached >= 0.1,
        ),
        (
            "uncached story in-process p95",
            "< 10 ms",
            story.get("p95_ms"),
            story.get("p95_ms") is not None and story["p95_ms"] < 10,
        ),
        (
            f"search p95 at {report['stories']:,} stories",
            "< 30 ms (at 100,000)",
            search.get("p95_ms"),
            None if not search else search["p95_ms"] < 30,
        ),
        (
            f"seeding {report['stories']:,} stories",
            "< 180 s for 100,000",
            seed,
            None if seed is None else seed < 180 * report["stories"] / 100_000,
        ),
        (
            "worker RSS",
            "< 100 MB",
            max(rss) if rss else None,
            bool(rss) and max(rss) < 100,
        ),
    ]
    for name, budget in BUDGETS.items():
        counted = report.get("queries", {}).get(name, {})
        if counted.get("status") == 200:
            rows.append(
                (
                    f"{name} queries (cold, per request)",
                    f"≤ {budget}",
                    counted["queries"],
                    counted["queries"] <= budget,
                )
            )
    return [(a, b, "n/a" if c is None else str(c), d) for a, b, c, d in rows]


def write_report(report: dict, folder: Path, name: str = "report") -> None:
    (folder / f"{name}.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    )
    (folder / f"{name}.md").write_text(markdown(report))


def markdown(report: dict) -> str:
    out = [
        "# newsroom benchmark (`make bench`)",
        "",
        f"{report['stories']:,} stories on PostgreSQL; {report['machine']['cpus']} CPUs; "
        f"Python {report['machine']['python']}; started {report['started_at']}, "
        f"finished {report.get('finished_at', '?')}. Page cache: "
        f"{report['page_cache_backend']}.",
        "",
        "## Targets",
        "",
        "| target | wanted | measured | met |",
        "| --- | --- | --- | --- |",
    ]
    for name, wanted, measured, met in targets(report):
        mark = "–" if met is None else ("yes" if met else "**no**")
        out.append(f"| {name} | {wanted} | {measured} | {mark} |")

    seed = report.get("seed", {})
    out += ["", "## Seeding", ""]
    if seed.get("reused"):
        out.append("Reused a database seeded by an earlier run.")
    else:
        out.append(
            f"{seed['seconds']} s for the bulk seed (COPY), after "
            f"{seed['migrate_and_demo_seconds']} s of migrate and demo content. "
            f"Search vectors: {seed['search_vectors']}."
        )
        out += ["", "| table | rows |", "| --- | ---: |"]
        out += [f"| {table} | {rows:,} |" for table, rows in seed["rows"].items()]

    out += [
        "",
        "## SQL queries per page type (cold page cache)",
        "",
        "Per request: the page asked again by the same process (what every reader's "
        "request costs). First in a process: the first request, with what the process "
        "then keeps for every page (the search name index, the reaction settings).",
        "",
        "| page | example | status | queries per request | first in a process |",
        "| --- | --- | --- | ---: | ---: |",
    ]
    for kind, row in report["queries"].items():
        out.append(
            f"| {kind} | `{row['url']}` | {row['status']} | {row['queries']} "
            f"| {row.get('first_in_process', '')} |"
        )

    out += ["", *seq_scan_lines(report.get("seq_scans", {}))]
    out += [
        "",
        "## In-process render time (Django test client, every middleware)",
        "",
        "Cold: page cache off, each request renders (rotating over up to 200 objects). "
        "Warm: page cache on and filled.",
        "",
        "| page | cold p50 ms | cold p95 ms | warm p50 ms | warm p95 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for kind, row in report["in_process"].items():
        if "cold" not in row:
            out.append(f"| {kind} | status {row.get('status')} | | | |")
            continue
        out.append(
            f"| {kind} | {row['cold']['p50_ms']} | {row['cold']['p95_ms']} | "
            f"{row['warm']['p50_ms']} | {row['warm']['p95_ms']} |"
        )

    search = report.get("search", {})
    out += ["", "## Search latency (`/search/?q=`, page cache off)", ""]
    if "all" not in search:
        out.append(
            f"Not measured: `/search/` answered {search.get('status')} ({search.get('note')})."
        )
    else:
        out.append(
            f"All queries: p50 {search['all']['p50_ms']} ms, p95 {search['all']['p95_ms']} ms."
        )
        out += [
            "",
            "| query | p50 ms | p95 ms | queries |",
            "| --- | ---: | ---: | ---: |",
        ]
        for query, row in search["queries"].items():
            out.append(
                f"| {query} | {row['p50_ms']} | {row['p95_ms']} | {row['queries']} |"
            )

    load = report.get("load", {})
    out += [
        "",
        "## Throughput under load (wrk → gunicorn, 2 sync workers, 127.0.0.1)",
        "",
        f"Each run: wrk, 2 threads, 8 connections, {load.get('wrk_seconds')} s. "
        "Cached: page cache on (shared Redis), one URL. Uncached: a second gunicorn with "
        "`PAGE_CACHE_ENABLED=0`, so every request renders (the story run rotates over 200 "
        "stories). The static file goes through the same gunicorn (whitenoise) in each "
        "configuration and is the reference for the ratios.",
        "",
        "| configuration | target | req/s | × static | p50 ms | p99 ms | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for state, runs in load.get("runs", {}).items():
        for name, row in runs.items():
            if "rps" not in row:
                out.append(f"| {state} | {name} | {row.get('error')} | | | | |")
                continue
            out.append(
                f"| {state} | {name} | {row['rps']} | {_ratio(runs, name)} | "
                f"{row['p50_ms']} | {row['p99_ms']} | {row['errors']} |"
            )
    counting = load.get("counting")
    if counting and "error" not in counting:
        mixed = counting["with_counting"]
        out += [
            "",
            "Counting reads (issue 24): the cached story with each page view followed "
            "by its beacon (`POST /reads/`, every reader a different browser, so reads "
            "are counted and trending is worked out again), against the static file "
            f"({counting['static_file_rps']} req/s): the cached story alone "
            f"{counting['cached_story_rps']} req/s "
            f"({counting['cached_story_vs_static']}× static); with counting "
            f"{mixed['requests_rps']} req/s ({mixed['requests_vs_static']}× static; "
            f"{mixed['page_views_per_s']} page views and {mixed['beacons_per_s']} "
            f"beacons a second, p50 {mixed['p50_ms']} ms, p99 {mixed['p99_ms']} ms, "
            f"{mixed['non_2xx']} non-2xx, {mixed['errors']} errors).",
        ]
    elif counting:
        out += ["", f"Counting reads under load: {counting['error']}"]
    out += [
        "",
        "## Memory",
        "",
        "| configuration | requests served | worker RSS MB |",
        "| --- | ---: | --- |",
    ]
    for state, row in load.get("memory", {}).items():
        sizes = ", ".join(str(w["rss_mb"]) for w in row["workers"])
        out.append(f"| {state} | {row['requests_served']:,} | {sizes} |")
    out += photo_markdown(report.get("photo_chooser", {}))
    out.append("")
    return "\n".join(out)


def seq_scan_lines(found: dict) -> list[str]:
    """The EXPLAIN check in words: scans of whole big tables, and bounded ones."""

    def listed(kind_of_scan: str) -> str:
        parts = [
            f"{page}: {', '.join(scans[kind_of_scan])}"
            for page, scans in found.items()
            if scans.get(kind_of_scan)
        ]
        return "; ".join(parts) if parts else "none"

    return [
        "Sequential scans of whole tables over 5,000 rows in these queries (EXPLAIN): "
        + listed("unbounded")
        + ".",
        "",
        "Sequential scans stopped early by a LIMIT (they read at most the limit's rows, "
        "as a capped count does): " + listed("bounded") + ".",
    ]
