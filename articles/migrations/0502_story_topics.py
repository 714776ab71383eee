"""Story topics: (artist or tag, published story, publication time), kept by triggers.

See articles/models/topics.py. PostgreSQL only: three row triggers keep the table equal
to "the artist and tag links of every published story, with its published_at", and
the table is filled from the existing links. SQLite keeps the table empty (related
stories there walk the link tables, which is fine at SQLite's sizes).
"""

import django.db.models.deletion
from django.db import migrations, models

from core.migration_sql import postgresql_only

ARTICLE_TYPE = (
    "(SELECT id FROM django_content_type"
    " WHERE app_label = 'articles' AND model = 'article')"
)


def _link_trigger(
    table: str, kind: str, story: str, topic: str, only_if: str = "TRUE"
) -> str:
    """A row trigger on a story-to-topic link table (``story`` and ``topic`` name its
    columns; ``only_if`` filters rows, with ROW standing for OLD or NEW)."""
    name = f"articles_storytopic_of_{table}"
    old_only, new_only = only_if.replace("ROW", "OLD"), only_if.replace("ROW", "NEW")
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') AND {old_only} THEN
    DELETE FROM articles_storytopic
      WHERE kind = '{kind}' AND topic_id = OLD.{topic} AND article_id = OLD.{story};
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND {new_only} THEN
    INSERT INTO articles_storytopic (article_id, kind, topic_id, published_at)
      SELECT a.id, '{kind}', NEW.{topic}, a.published_at FROM articles_article a
      WHERE a.id = NEW.{story} AND a.status = 'published'
        AND a.published_at IS NOT NULL
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER {name}
  AFTER INSERT OR UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION {name}();
"""


ARTIST_LINK_TRIGGER = _link_trigger(
    "articles_article_artists", "a", story="article_id", topic="artist_id"
)
TAG_LINK_TRIGGER = _link_trigger(
    "taggit_taggeditem",
    "t",
    story="object_id",
    topic="tag_id",
    only_if=f"ROW.content_type_id = {ARTICLE_TYPE}",
)

FORWARDS = f"""
CREATE OR REPLACE FUNCTION articles_storytopic_of_story() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.status IS NOT DISTINCT FROM OLD.status
       AND NEW.published_at IS NOT DISTINCT FROM OLD.published_at THEN
      RETURN NULL;
    END IF;
    DELETE FROM articles_storytopic WHERE article_id = NEW.id;
  END IF;
  IF NEW.status = 'published' AND NEW.published_at IS NOT NULL THEN
    INSERT INTO articles_storytopic (article_id, kind, topic_id, published_at)
      SELECT NEW.id, 'a', l.artist_id, NEW.published_at
        FROM articles_article_artists l WHERE l.article_id = NEW.id
      UNION
      SELECT NEW.id, 't', t.tag_id, NEW.published_at
        FROM taggit_taggeditem t
        WHERE t.object_id = NEW.id AND t.content_type_id = {ARTICLE_TYPE};
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_storytopic_of_story
  AFTER INSERT OR UPDATE OF status, published_at ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_storytopic_of_story();

{ARTIST_LINK_TRIGGER}
{TAG_LINK_TRIGGER}
INSERT INTO articles_storytopic (article_id, kind, topic_id, published_at)
  SELECT a.id, 'a', l.artist_id, a.published_at
    FROM articles_article_artists l JOIN articles_article a ON a.id = l.article_id
    WHERE a.status = 'published' AND a.published_at IS NOT NULL
  UNION
  SELECT a.id, 't', t.tag_id, a.published_at
    FROM taggit_taggeditem t JOIN articles_article a ON a.id = t.object_id
    WHERE a.status = 'published' AND a.published_at IS NOT NULL
      AND t.content_type_id = {ARTICLE_TYPE};
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS articles_storytopic_of_taggit_taggeditem ON taggit_taggeditem;
DROP TRIGGER IF EXISTS articles_storytopic_of_articles_article_artists
  ON articles_article_artists;
DROP TRIGGER IF EXISTS articles_storytopic_of_story ON articles_article;
DROP FUNCTION IF EXISTS articles_storytopic_of_taggit_taggeditem();
DROP FUNCTION IF EXISTS articles_storytopic_of_articles_article_artists();
DROP FUNCTION IF EXISTS articles_storytopic_of_story();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0501_merge_0300_search_vector_0500_image_renditions"),
        ("taggit", "__latest__"),
        ("contenttypes", "__latest__"),
    ]

    operations = [
        migrations.CreateModel(
            name="StoryTopic",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("a", "Artist"), ("t", "Tag")], max_length=1
                    ),
                ),
                ("topic_id", models.BigIntegerField()),
                ("published_at", models.DateTimeField()),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="articles.article",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        models.F("kind"),
                        models.F("topic_id"),
                        models.OrderBy(models.F("published_at"), descending=True),
                        models.OrderBy(models.F("article"), descending=True),
                        name="storytopic_newest",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "topic_id", "article"), name="storytopic_unique"
                    )
                ],
            },
        ),
        postgresql_only(FORWARDS, BACKWARDS),
    ]
