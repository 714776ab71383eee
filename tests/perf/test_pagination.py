"""Public lists count at most a capped number of rows, and say so honestly."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from articles.models import Article
from core.pagination import CappedPaginator
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_count_stops_at_the_cap_and_reports_it():
    ArticleFactory.create_batch(7, published=True)
    paginator = CappedPaginator(
        Article.objects.published().order_by("pk"), 2, max_pages=2
    )
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 4
    assert paginator.is_capped
    assert paginator.num_pages == 2
    sql = queries[0]["sql"].upper()
    assert "LIMIT 5" in sql and "COUNT(" in sql


def test_short_list_is_counted_exactly():
    ArticleFactory.create_batch(3, published=True)
    paginator = CappedPaginator(
        Article.objects.published().order_by("pk"), 2, max_pages=5
    )
    assert paginator.count == 3
    assert not paginator.is_capped
    assert paginator.num_pages == 2
    assert [a.pk for a in paginator.page(2).object_list] == [
        Article.objects.order_by("pk").last().pk
    ]


def test_plain_lists_are_capped_too():
    paginator = CappedPaginator(list(range(11)), 5, max_pages=2)
    assert (paginator.count, paginator.is_capped) == (10, True)
    assert list(paginator.page(2).object_list) == [5, 6, 7, 8, 9]


def test_home_says_of_many_when_capped(client, settings):
    settings.LIST_MAX_PAGES = 2
    ArticleFactory.create_batch(27, published=True)  # a lead and 26 more: 3 pages
    first = client.get("/").content.decode()
    assert "Page 1 of many" in first and 'rel="next"' in first
    last = client.get("/?page=2").content.decode()
    assert "Page 2 of many" in last
    assert 'rel="next"' not in last  # no page past the cap
    assert "Page 2 of many" in client.get("/?page=9").content.decode()


def test_tag_page_counts_exactly_under_the_cap(client):
    tag = Tag.objects.create(name="Lilac", slug="lilac")
    for _ in range(23):
        ArticleFactory(published=True, tags=[tag])
    html = client.get("/tags/lilac/").content.decode()
    assert "Page 1 of 2" in html
    assert "of many" not in html
