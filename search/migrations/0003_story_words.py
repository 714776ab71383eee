"""PostgreSQL: every word of every story, for spelling corrections (PostgreSQL only).

A table of distinct words with a trigram index, filled from the stories' search
vectors and kept by statement-level triggers (one pass per statement, so a bulk
COPY adds its words once). Words are never removed: a word no story holds any more
corrects a misspelling to a query that finds nothing, which is harmless. SQLite
reads its FTS5 index's vocabulary instead (migration 0001).
"""

from django.db import migrations

from core.migration_sql import postgresql_only

FORWARDS = """
CREATE TABLE search_storyword (word text PRIMARY KEY);
CREATE INDEX search_storyword_trgm ON search_storyword USING gin (word gin_trgm_ops);

CREATE FUNCTION search_storyword_collect() RETURNS trigger AS $$
BEGIN
  INSERT INTO search_storyword (word)
  SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM changed
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER search_storyword_insert AFTER INSERT ON articles_article
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION search_storyword_collect();
CREATE TRIGGER search_storyword_update AFTER UPDATE ON articles_article
  REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION search_storyword_collect();

INSERT INTO search_storyword (word)
SELECT DISTINCT unnest(tsvector_to_array(search_vector)) FROM articles_article
WHERE search_vector IS NOT NULL
ON CONFLICT DO NOTHING;
"""

BACKWARDS = """
DROP TRIGGER IF EXISTS search_storyword_update ON articles_article;
DROP TRIGGER IF EXISTS search_storyword_insert ON articles_article;
DROP FUNCTION IF EXISTS search_storyword_collect();
DROP TABLE IF EXISTS search_storyword;
"""


class Migration(migrations.Migration):
    dependencies = [("search", "0002_synonyms")]

    operations = [postgresql_only(FORWARDS, BACKWARDS)]
