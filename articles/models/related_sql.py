"""The hand-written related-stories statements of ArticleQuerySet.related_to."""

import functools

from django.apps import apps
from taggit.models import TaggedItem

# The columns each arm selects before its flag (what a related-story card shows:
# its link, date and picture), in the model's field order as Model.from_db wants.
RELATED_FIELDS = (
    "id",
    "headline",
    "slug",
    "hero_image",
    "hero_width",
    "hero_height",
    "hero_renditions",
    "published_at",
)
RELATED_COLUMNS = ", ".join(f"a.{name}" for name in RELATED_FIELDS)

# live() in SQL for the hand-written statements ({story} names the story's table);
# its parameters are the status and the moment, in that order.
LIVE_SQL = "{story}.status = %s AND {story}.published_at <= %s"

# The newest few due stories of each (kind, topic) pair (the topic table holds the
# approved ones: migration 0502), merged: the newest ``limit`` distinct ones (the
# outer filter re-checks that each is live).
RELATED_BY_TOPICS_SQL = (
    f"SELECT {RELATED_COLUMNS}, 0 AS is_picked"
    " FROM articles_article a"
    f" WHERE {LIVE_SQL.format(story='a')} AND a.id IN ("
    " SELECT n.article_id"
    " FROM unnest(%s::varchar[], %s::bigint[]) AS t(kind, topic_id)"
    " CROSS JOIN LATERAL (SELECT s.article_id, s.published_at"
    " FROM articles_storytopic s WHERE s.kind = t.kind AND s.topic_id = t.topic_id"
    " AND s.published_at <= %s AND s.article_id <> %s"
    " ORDER BY s.published_at DESC, s.article_id DESC LIMIT %s) n"
    " GROUP BY n.article_id, n.published_at"
    " ORDER BY n.published_at DESC, n.article_id DESC LIMIT %s)"
)


@functools.cache
def related_sql(kind: str, count: int) -> str:
    """One arm of the related-stories union: the newest ``limit`` of one kind."""
    Article = apps.get_model("articles", "Article")
    table = Article._meta.db_table
    # ``count`` placeholders, or (count 0, PostgreSQL) one array of any length.
    where = f"IN ({', '.join(['%s'] * count)})" if count else "= ANY(%s)"
    if kind == "picked":
        through = Article.related_articles.through._meta.db_table
        inner = f"SELECT to_article_id FROM {through} WHERE from_article_id {where}"
    elif kind == "artists":
        through = Article.artists.through._meta.db_table
        inner = f"SELECT article_id FROM {through} WHERE artist_id {where}"
    else:
        inner = (
            f"SELECT object_id FROM {TaggedItem._meta.db_table} WHERE content_type_id = "
            "(SELECT id FROM django_content_type "
            "WHERE app_label = 'articles' AND model = 'article') "
            f"AND tag_id {where}"
        )
    return (
        f"SELECT {RELATED_COLUMNS}, %(flag)s AS is_picked "
        f"FROM {table} a WHERE a.id IN (SELECT v.id FROM {table} v "
        f"WHERE {LIVE_SQL.format(story='v')} AND v.id <> %s "
        f"AND v.id IN ({inner}) ORDER BY v.published_at DESC, v.id DESC LIMIT %s)"
    )
