"""The benchmark's EXPLAIN check: whole-table scans apart from scans a LIMIT stops."""

from bench.measure import _nodes
from bench.report import seq_scan_lines


def scan(table: str = "articles_article") -> dict:
    return {"Node Type": "Seq Scan", "Relation Name": table}


def bounded_scans(plan: dict) -> list[bool]:
    return [
        bounded
        for node, bounded in _nodes(plan)
        if node is not plan and node["Node Type"] == "Seq Scan"
    ]


def test_a_scan_under_a_limit_is_bounded():
    capped_count = {
        "Node Type": "Aggregate",
        "Plans": [{"Node Type": "Limit", "Plans": [scan()]}],
    }
    assert bounded_scans(capped_count) == [True]


def test_a_sort_between_the_limit_and_the_scan_reads_everything():
    newest_first = {
        "Node Type": "Limit",
        "Plans": [{"Node Type": "Sort", "Plans": [scan()]}],
    }
    assert bounded_scans(newest_first) == [False]


def test_a_scan_without_a_limit_is_unbounded():
    assert bounded_scans({"Node Type": "Hash Join", "Plans": [scan(), scan("x")]}) == [
        False,
        False,
    ]


def test_the_report_names_both_kinds():
    lines = seq_scan_lines(
        {
            "home": {"unbounded": [], "bounded": ["articles_article (SELECT COUNT…)"]},
            "tag": {"unbounded": [], "bounded": []},
        }
    )
    text = "\n".join(lines)
    assert "whole tables over 5,000 rows in these queries (EXPLAIN): none." in text
    assert "LIMIT" in text and "home: articles_article (SELECT COUNT…)" in text
