"""The fan query set over the demo content: the share found in the top 3."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from bench.search_quality import QUERIES, evaluate

pytestmark = pytest.mark.django_db


def test_the_query_set_is_big_and_varied():
    assert len(QUERIES) >= 60
    assert {kind for _, kind, _ in QUERIES} == {"artist", "release", "track", "article"}


def test_fans_find_what_they_mean():
    call_command("load_demo", verbosity=0)
    quality = evaluate()
    target = 0.95 if connection.vendor == "postgresql" else 0.85
    print(f"{connection.vendor}: {quality.found}/{quality.total}")
    print("\n".join(quality.misses))
    assert quality.share >= target, "\n".join(quality.misses)
