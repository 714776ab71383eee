"""core.rows: one path from rows to instances, and subqueries compiled once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef, Subquery
from django.test.utils import CaptureQueriesContext

from articles.models import STORY_LISTS, Article, Section
from core.rows import RememberedSubquery, fetch_instances, instances_from_rows
from tests.articles.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_built_queryset_compiles_its_lists_once(monkeypatch):
    story = ArticleFactory(published=True, tags=["IU"], authors=1)
    other = ArticleFactory(published=True, tags=["V"], authors=2)
    base = Article.objects.for_detail().order_by()
    compiled = []
    original = Subquery.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Subquery, "as_sql", counting)
    first = base.filter(pk=story.pk).get()
    assert len(compiled) == len(STORY_LISTS)
    second = base.filter(pk=other.pk).get()
    assert len(compiled) == len(STORY_LISTS)  # the same SQL, remembered
    assert [t.name for t in first.tag_list] == ["IU"]
    assert [t.name for t in second.tag_list] == ["V"]
    assert len(second.byline_list) == 2


def test_a_relabelled_copy_compiles_afresh():
    story = ArticleFactory(published=True, tags=["IU"])
    base = Article.objects.for_detail().order_by()
    base.filter(pk=story.pk).get()  # remembered for the top-level query
    # Inside another query every alias moves: the copy must not reuse the SQL.
    nested = Article.objects.annotate(
        has_story=Exists(base.filter(pk=OuterRef("pk"), tags__name="IU"))
    )
    assert nested.get(pk=story.pk).has_story is True


def test_a_copy_forgets_the_remembered_sql():
    subquery = RememberedSubquery(Section.objects.values("pk")[:1])
    assert subquery.copy().compiled == {}


def test_dict_rows_build_instances_with_their_related_object():
    section = Section.objects.create(name="인터뷰", slug="interview")
    story = ArticleFactory(published=True, section=section)
    rows = Article.objects.filter(pk=story.pk).values(
        "id", "headline", "published_at", "section__id", "section__name"
    )
    (built,) = instances_from_rows(Article, rows, using="default")
    assert built.pk == story.pk and built.headline == story.headline
    assert built.published_at == story.published_at
    with CaptureQueriesContext(connection) as queries:
        assert built.section.name == "인터뷰"
    assert len(queries) == 0
    assert built.get_deferred_fields() >= {"body", "slug"}


def test_hand_written_statements_build_converted_instances():
    story = ArticleFactory(published=True, is_featured=True)
    table = Article._meta.db_table
    (built,) = fetch_instances(
        Article,
        f"SELECT id, is_featured, published_at, 7 FROM {table} WHERE id = %s",
        [story.pk],
        using="default",
        fields=("id", "is_featured", "published_at"),
        extras=("lucky",),
    )
    assert built.is_featured is True
    assert built.published_at == story.published_at
    assert built.lucky == 7
