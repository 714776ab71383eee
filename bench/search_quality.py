"""Search quality: fan queries over the demo content, and the share found in the top 3.

``python -m bench.search_quality`` loads the demo into the database ``DATABASE_URL``
names (give it a throwaway one) and prints the share of queries whose expected
result is among the first three of its group, with the misses. ``make bench`` calls
:func:`measure`: the share on PostgreSQL (the bench database: the demo among the
seeded stories) and on SQLite (a fresh file with the demo), the latency of forgiving
searches and of the search box's suggestions; :func:`append_markdown` adds them to
the report.

Each query names what it must find: an artist, release or story by slug, a track by
title; any of several answers counts. The queries are written as fans type them
(misspellings, half-typed titles, given names in Hangul, romanisation variants,
epithets, fandom names, mixes); the engine knows nothing of this list.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent

A, R, T, S = "artist", "release", "track", "article"
IU_V_STORIES = (
    "iu-on-love-wins-all-and-working-with-v",
    "iu-releases-love-wins-all",
    "fans-praise-v-for-supporting-iu",
)

# (query, kind, acceptable answers: slugs, or titles for tracks)
QUERIES: list[tuple[str, str, tuple[str, ...]]] = [
    # Artists, as typed and misspelled
    ("IU", A, ("iu",)),
    ("V", A, ("v",)),
    ("Taehyng", A, ("v",)),
    ("Taehyung", A, ("v",)),
    ("taehuyng", A, ("v",)),
    ("Hyien", A, ("hyein",)),
    ("hyein", A, ("hyein",)),
    ("dpr ain", A, ("dpr-ian",)),
    ("DPR Ian", A, ("dpr-ian",)),
    ("dprian", A, ("dpr-ian",)),
    ("Christian Yu", A, ("dpr-ian",)),
    ("NewJeans", A, ("newjeans",)),
    ("new jeans", A, ("newjeans",)),
    ("Newjeens", A, ("newjeans",)),
    ("BTS", A, ("bts",)),
    ("Bangtan Boys", A, ("bts",)),
    ("bangtan sonyondan", A, ("bts",)),
    # Romanisation variants
    ("Tae-hyung", A, ("v",)),
    ("Taehyeong", A, ("v",)),
    ("Kim Tae Hyung", A, ("v",)),
    ("kim taehyeong", A, ("v",)),
    ("Lee Jieun", A, ("iu",)),
    ("Ji-eun", A, ("iu",)),
    ("jieun", A, ("iu",)),
    ("Yi Ji eun", A, ("iu",)),
    ("Hye-in", A, ("hyein",)),
    ("Lee Hyein", A, ("hyein",)),
    # Hangul: full names, given names, typos at the level of letters
    ("김태형", A, ("v",)),
    ("태형", A, ("v",)),
    ("뷔", A, ("v",)),
    ("지은", A, ("iu",)),
    ("이지은", A, ("iu",)),
    ("아이유", A, ("iu",)),
    ("혜인", A, ("hyein",)),
    ("이 혜인", A, ("hyein",)),
    ("뉴진스", A, ("newjeans",)),
    ("방탄소년단", A, ("bts",)),
    ("김태현", A, ("v",)),  # one wrong vowel
    ("아이우", A, ("iu",)),
    # Fandom names and nicknames (editors' synonyms), epithets
    ("ARMY", A, ("bts",)),
    ("Bangtan", A, ("bts",)),
    ("Uaena", A, ("iu",)),
    ("Bunnies", A, ("newjeans",)),
    ("the Holssi singer", A, ("iu",)),
    ("holssi singer", A, ("iu",)),
    ("the LILAC singer", A, ("iu",)),
    ("Nation's little sister", A, ("iu",)),
    ("nations little sister", A, ("iu",)),
    ("who sang love wins all", A, ("iu",)),
    # Releases and tracks: misspelled, half typed
    ("the winnig", R, ("the-winning",)),
    ("The Winning", R, ("the-winning",)),
    ("winning", R, ("the-winning",)),
    ("the wining album", R, ("the-winning",)),
    ("love wins al", T, ("Love wins all",)),
    ("Love wins all", T, ("Love wins all",)),
    ("lovewinsall", T, ("Love wins all",)),
    ("love wins", T, ("Love wins all",)),
    ("Shoper", T, ("Shopper",)),
    ("holsi", T, ("Holssi",)),
    ("Holssi", T, ("Holssi",)),
    ("stan u", T, ("Stan U",)),
    ("Shh", T, ("Shh..",)),
    ("stan", T, ("Stan U",)),
    # Stories: names and titles in headlines and text, multi-word mixes
    ("Marie Clare interview", S, ("iu-on-love-wins-all-and-working-with-v",)),
    ("V IU interview", S, ("iu-on-love-wins-all-and-working-with-v",)),
    ("Taehyung IU", S, IU_V_STORIES),
    ("태형 IU", S, IU_V_STORIES),
    ("Kim Tae Hyung music video", S, IU_V_STORIES),
    ("lilak", S, ("looking-back-at-lilac",)),
    ("pre release singel", S, ("what-is-a-pre-release-single",)),
    ("explainer pre-release", S, ("what-is-a-pre-release-single",)),
    ("review the winning", S, ("review-the-winning",)),
    ("newjeans glance", S, ("newjeans-at-a-glance",)),
    ("bts 2013 guide", S, ("bts-since-2013",)),
    ("DPR IAN director", S, ("dpr-ian-profile",)),
    ("freezing cold V", S, ("iu-on-love-wins-all-and-working-with-v",)),
    ("fans praise V", S, ("fans-praise-v-for-supporting-iu",)),
    ("glosary title track", S, ("glossary-mini-album-title-track",)),
    ("Hyien NewJeans", S, ("newjeans-at-a-glance", "the-winning-arrives")),
]


@dataclass
class Quality:
    share: float
    found: int
    total: int
    misses: list[str]


def _key(kind: str, row) -> str:
    return row.title if kind == T else row.slug


def evaluate(queries=QUERIES) -> Quality:
    """Run every query through the search engine; count expected answers in the top 3."""
    from articles.models import Article
    from search import engine
    from search.query import parse_query

    misses = []
    for query, kind, answers in queries:
        results = engine.run_search(
            parse_query(query), stories=Article.objects.published()
        )
        top = [_key(kind, row) for row in results.groups[kind].items[:3]]
        if not set(answers) & set(top):
            misses.append(f"{query!r}: {kind} {answers[0]!r} not in {top}")
    found = len(queries) - len(misses)
    return Quality(round(found / len(queries), 3), found, len(queries), misses)


# Forgiving searches and suggestions timed by ``make bench`` (page cache off).
FORGIVING_QUERIES = (
    "the winnig",
    "love wins al",
    "Hyien",
    "태형",
    "Kim Tae Hyung",
    "Marie Clare interview",
    "ARMY",
    "qqxyzzq",  # found nowhere
)
SUGGEST_PREFIXES = ("ta", "taeh", "iu", "the w", "love wi", "태", "hyi", "dpr", "co")


def _timed(client, path: str, values, rounds: int) -> dict:
    """p50/p95 of wall time and of this process's CPU time (``time.process_time``):
    on a shared machine the CPU figure says what the code costs, the wall figure
    adds the database and whatever else the machine is doing."""
    from bench.measure import _summary, percentile

    for value in values:  # untimed: plans and caches, as in use
        client.get(path, {"q": value})
    times, cpu = [], []
    for _ in range(rounds):
        for value in values:
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get(path, {"q": value})
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    return {
        **_summary(times),
        "cpu_p50_ms": round(percentile(cpu, 0.50), 2),
        "cpu_p95_ms": round(percentile(cpu, 0.95), 2),
    }


def suggest_prefixes(queries=QUERIES) -> list[str]:
    """What the search box sends while a fan types: the bench's prefixes and each
    fan query's first 2, 4 and 6 characters."""
    typed = (q[:n] for q, _, _ in queries for n in (2, 4, 6) if len(q) >= n)
    return list(dict.fromkeys([*SUGGEST_PREFIXES, *typed]))


def measure(*, rounds: int = 20) -> dict:
    """Quality on this database and on SQLite; search latency over the fan queries
    and the forgiving ones, suggestion latency while typing (page cache off)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client()
    fan_queries = list(dict.fromkeys(q for q, _, _ in QUERIES))
    with override_settings(PAGE_CACHE_ENABLED=False):
        forgiving = _timed(client, "/search/", FORGIVING_QUERIES, rounds)
        # Every fan query and some 200 prefixes: a quarter of the rounds each
        # (about 400 and 1,000 requests at the bench's 20 rounds).
        fans = _timed(client, "/search/", fan_queries, max(2, rounds // 4))
        prefixes = suggest_prefixes()
        suggest = _timed(client, "/search/suggest/", prefixes, max(2, rounds // 4))
        with CaptureQueriesContext(connection) as queries:
            client.get("/search/suggest/", {"q": "taeh"})
        suggest["queries"] = len(queries)
    return {
        "quality": {connection.vendor: evaluate().__dict__, "sqlite": on_sqlite()},
        "forgiving_search": forgiving,
        "fan_search": fans,
        "suggest": suggest,
    }


def append_markdown(path: Path, report: dict) -> None:
    """The search quality section, at the end of the report's markdown."""
    found = report.get("search_quality")
    if not found:
        return
    lines = ["", "## Search quality (bench/search_quality.py)", ""]
    for vendor, quality in found["quality"].items():
        if "share" in quality:
            lines.append(
                f"- {vendor}: {quality['found']}/{quality['total']} fan queries find "
                f"their answer in the top 3 ({quality['share']:.0%})"
                + (
                    f"; missed: {'; '.join(quality['misses'])}"
                    if quality["misses"]
                    else ""
                )
            )
        else:
            lines.append(f"- {vendor}: not measured ({quality.get('error', '?')})")
    for name, label in (
        ("forgiving_search", "Forgiving searches (misspelt, half typed, Hangul)"),
        ("fan_search", f"Search (`/search/?q=`), the {len(QUERIES)} fan queries"),
        ("suggest", "Search box suggestions (`/search/suggest/`) while typing"),
    ):
        row = found.get(name)
        if not row:
            continue
        cpu = (
            f" (CPU p50 {row['cpu_p50_ms']} ms, p95 {row['cpu_p95_ms']} ms)"
            if "cpu_p95_ms" in row
            else ""
        )
        lines.append(
            f"- {label}: {row['n']} requests, p50 {row['p50_ms']} ms, "
            f"p95 {row['p95_ms']} ms{cpu}"
            + (f", {row['queries']} queries" if "queries" in row else "")
        )
    with path.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


def on_sqlite() -> dict:
    """Quality on a fresh SQLite database with the demo, in a child process."""
    path = BENCH_DIR / "var" / "search-quality.sqlite3"
    path.parent.mkdir(exist_ok=True)
    path.unlink(missing_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}
    env.pop("BENCH_QUALITY_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "bench.search_quality", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=BENCH_DIR.parent,
    )
    if done.returncode:
        return {"error": done.stderr[-500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    os.environ.setdefault("SECRET_KEY", "bench-search-quality-" + "x" * 40)
    os.environ.setdefault("DEBUG", "0")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    quality = evaluate()
    if "--json" in sys.argv:
        print(json.dumps(quality.__dict__))
    else:
        print(
            f"found in the top 3: {quality.found}/{quality.total} ({quality.share:.0%})"
        )
        for miss in quality.misses:
            print("  missed", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main())
