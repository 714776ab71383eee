"""In-process measurements: SQL queries per page, render times cold and warm, search."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Sequence

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from core import pagecache

SEARCH_QUERIES = (
    "IU",
    "이지은",
    "Taheyung",  # misspelt Taehyung
    "the Holssi singer",
    "Taehyung",
    "comeback stage",
    "chart",
    "Holssi",
    "Lilac",
    "winn",  # partial
)


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty sample."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def _summary(times_ms: list[float]) -> dict:
    return {
        "n": len(times_ms),
        "p50_ms": round(percentile(times_ms, 0.50), 2),
        "p95_ms": round(percentile(times_ms, 0.95), 2),
        "mean_ms": round(statistics.fmean(times_ms), 2),
    }


def query_counts(pages: dict[str, list[str]]) -> dict[str, dict]:
    """Queries for the first URL of each page type, page cache off (cold).

    ``queries`` is what each reader's request costs: the page asked a second time,
    when this process has loaded what it keeps for every page (the search name
    index, the reaction settings row). ``first_in_process`` is the first request,
    loads included: paid once per process and after a change of what is kept."""
    client = Client()
    found = {}
    with override_settings(PAGE_CACHE_ENABLED=False):
        for kind, urls in pages.items():
            url = urls[0]
            with CaptureQueriesContext(connection) as first:
                client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            found[kind] = {
                "url": url,
                "status": response.status_code,
                "queries": len(queries),
                "first_in_process": len(first),
            }
    return found


def render_times(pages: dict[str, list[str]], *, samples: int) -> dict[str, dict]:
    """p50/p95 of a full in-process request (every middleware), cold and warm."""
    client = Client()
    results: dict[str, dict] = {}
    for kind, urls in pages.items():
        if client.get(urls[0]).status_code != 200:
            results[kind] = {"status": client.get(urls[0]).status_code}
            continue
        cold: list[float] = []
        with override_settings(PAGE_CACHE_ENABLED=False):
            for n in range(samples):
                url = urls[n % len(urls)]
                started = time.perf_counter()
                client.get(url)
                cold.append((time.perf_counter() - started) * 1000)
        warm: list[float] = []
        with override_settings(PAGE_CACHE_ENABLED=True):
            pagecache.bump_generation()
            for url in urls[: min(len(urls), 20)]:
                client.get(url)  # fills the cache
            for n in range(samples):
                url = urls[n % min(len(urls), 20)]
                started = time.perf_counter()
                response = client.get(url)
                warm.append((time.perf_counter() - started) * 1000)
            assert response.get("X-Page-Cache") == "hit", f"{url} was not cached"
        results[kind] = {"cold": _summary(cold), "warm": _summary(warm)}
    return results


def search_latency(*, rounds: int) -> dict:
    """Search page latency per query, page cache off, misspellings included."""
    client = Client()
    per_query = {}
    everything: list[float] = []
    with override_settings(PAGE_CACHE_ENABLED=False):
        status = client.get("/search/", {"q": "IU"}).status_code
        if status != 200:
            return {"status": status, "note": "no search page on this branch"}
        # Round-robin over the queries rather than one query's rounds in a row, so a
        # few slow seconds on a shared machine spread over every query instead of
        # landing on one or two of them.
        times: dict[str, list[float]] = {query: [] for query in SEARCH_QUERIES}
        cpu: list[float] = []  # this process's CPU time: what the code costs
        statuses: dict[str, int] = {}
        for query in SEARCH_QUERIES:  # one untimed round: plans and caches, as in use
            client.get("/search/", {"q": query})
        for _ in range(rounds):
            for query in SEARCH_QUERIES:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get("/search/", {"q": query})
                times[query].append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                statuses[query] = response.status_code
        for query in SEARCH_QUERIES:
            everything.extend(times[query])
            with CaptureQueriesContext(connection) as queries:
                client.get("/search/", {"q": query})
            per_query[query] = {
                **_summary(times[query]),
                "status": statuses[query],
                "queries": len(queries),
            }
    summary = {
        **_summary(everything),
        "cpu_p50_ms": round(percentile(cpu, 0.50), 2),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 2),
    }
    return {"all": summary, "queries": per_query}


BIG_TABLE_ROWS = 5000


def seq_scans(pages: dict[str, list[str]]) -> dict[str, dict[str, list[str]]]:
    """Sequential scans of big tables in each page's queries (EXPLAIN, not run).

    A scan under a ``Limit`` with no sort or aggregate between them stops after the
    limit's rows (a capped count, say), so it is listed apart as ``bounded``; the rest
    read the whole table and are listed as ``unbounded``.
    """
    client = Client()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > %s",
            [BIG_TABLE_ROWS],
        )
        big = {name for (name,) in cursor.fetchall()}
    found: dict[str, dict[str, list[str]]] = {}
    with override_settings(PAGE_CACHE_ENABLED=False):
        for kind, urls in pages.items():
            with CaptureQueriesContext(connection) as queries:
                client.get(urls[0])
            scans: dict[str, list[str]] = {"unbounded": [], "bounded": []}
            for query in queries.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
                    plan = cursor.fetchone()[0]
                if isinstance(plan, str):
                    plan = json.loads(plan)
                for node, bounded in _nodes(plan[0]["Plan"]):
                    if (
                        node.get("Node Type") == "Seq Scan"
                        and node.get("Relation Name") in big
                    ):
                        scans["bounded" if bounded else "unbounded"].append(
                            f"{node['Relation Name']} ({sql[:60]}…)"
                        )
            found[kind] = scans
    return found


# Nodes that read all their input before giving the first row: below one of them a
# Limit no longer stops the scan early.
_BLOCKING = {
    "Sort",
    "Incremental Sort",
    "Aggregate",
    "Hash",
    "WindowAgg",
    "Materialize",
}


def _nodes(node: dict, bounded: bool = False):
    """Each plan node, and whether a ``Limit`` above it stops it early."""
    if node.get("Node Type") == "Limit":
        bounded = True
    elif node.get("Node Type") in _BLOCKING:
        bounded = False
    yield node, bounded
    for child in node.get("Plans", []):
        yield from _nodes(child, bounded)
