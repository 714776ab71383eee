"""Search vectors for artists, kept by triggers, plus pg_trgm indexes on name keys.

PostgreSQL only: the triggers and GIN indexes are created with raw SQL (not in the
model's Meta), so SQLite, which has neither, migrates and rebuilds tables cleanly.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

from core.migration_sql import postgresql_only

FORWARDS = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE OR REPLACE FUNCTION artists_artist_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('simple',
      concat_ws(' ', NEW.name, NEW.native_name, NEW.sort_name)), 'A')
    || setweight(to_tsvector('simple', coalesce(
      (SELECT string_agg(alias.name, ' ') FROM artists_artistalias alias
        WHERE alias.artist_id = NEW.id), '')), 'B')
    || setweight(to_tsvector('simple', coalesce(NEW.disambiguation, '')), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER artists_artist_search_vector
  BEFORE INSERT OR UPDATE ON artists_artist
  FOR EACH ROW EXECUTE FUNCTION artists_artist_search_vector();

-- An alias added, renamed or removed re-indexes its artist (and the previous one).
CREATE OR REPLACE FUNCTION artists_alias_touch_artist() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE artists_artist SET search_vector = NULL WHERE id = OLD.artist_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE artists_artist SET search_vector = NULL WHERE id = NEW.artist_id;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER artists_alias_touch_artist
  AFTER INSERT OR UPDATE OR DELETE ON artists_artistalias
  FOR EACH ROW EXECUTE FUNCTION artists_alias_touch_artist();

UPDATE artists_artist SET search_vector = NULL;

CREATE INDEX artist_search_vector_idx ON artists_artist USING gin (search_vector);
CREATE INDEX artist_name_key_trgm_idx ON artists_artist
  USING gin (name_key gin_trgm_ops);
CREATE INDEX artist_native_name_key_trgm_idx ON artists_artist
  USING gin (native_name_key gin_trgm_ops);
CREATE INDEX artistalias_key_trgm_idx ON artists_artistalias
  USING gin (key gin_trgm_ops);
"""

BACKWARDS = """
DROP INDEX IF EXISTS artistalias_key_trgm_idx;
DROP INDEX IF EXISTS artist_native_name_key_trgm_idx;
DROP INDEX IF EXISTS artist_name_key_trgm_idx;
DROP INDEX IF EXISTS artist_search_vector_idx;
DROP TRIGGER IF EXISTS artists_alias_touch_artist ON artists_artistalias;
DROP FUNCTION IF EXISTS artists_alias_touch_artist();
DROP TRIGGER IF EXISTS artists_artist_search_vector ON artists_artist;
DROP FUNCTION IF EXISTS artists_artist_search_vector();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("artists", "0002_artist_profile"),
    ]

    operations = [
        migrations.AddField(
            model_name="artist",
            name="search_vector",
            field=SearchVectorField(editable=False, null=True),
        ),
        postgresql_only(FORWARDS, BACKWARDS),
    ]
