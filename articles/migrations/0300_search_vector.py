"""A weighted search vector per story, kept by a trigger and served by a GIN index.

Headline weighs A, dek B, body text C, with the 'simple' configuration (no stemming,
no stop words), so Hangul and romanised names are indexed as written. A trigger
(not a save() hook) keeps it current, so bulk inserts and updates are covered too.
PostgreSQL only: SQLite keeps the column empty and searches with LIKE instead.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

from core.migration_sql import postgresql_only

FORWARDS = """
CREATE OR REPLACE FUNCTION articles_article_search_vector() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.search_vector IS NOT NULL
     AND NEW.headline IS NOT DISTINCT FROM OLD.headline
     AND NEW.dek IS NOT DISTINCT FROM OLD.dek
     AND NEW.body IS NOT DISTINCT FROM OLD.body THEN
    -- Publishing or re-featuring a story leaves its words alone.
    NEW.search_vector := OLD.search_vector;
  ELSE
    NEW.search_vector :=
      setweight(to_tsvector('simple', coalesce(NEW.headline, '')), 'A')
      || setweight(to_tsvector('simple', coalesce(NEW.dek, '')), 'B')
      || setweight(to_tsvector('simple', regexp_replace(regexp_replace(
           coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g'),
           '&[#a-zA-Z0-9]+;', ' ', 'g')), 'C');
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_article_search_vector
  BEFORE INSERT OR UPDATE ON articles_article
  FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector();

UPDATE articles_article SET search_vector = NULL;

CREATE INDEX article_search_vector_idx ON articles_article USING gin (search_vector);
"""

BACKWARDS = """
DROP INDEX IF EXISTS article_search_vector_idx;
DROP TRIGGER IF EXISTS articles_article_search_vector ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0202_merge_editorial_embeds_reactions"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=SearchVectorField(editable=False, null=True),
        ),
        postgresql_only(FORWARDS, BACKWARDS),
    ]
