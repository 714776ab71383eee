"""Search vectors for releases and tracks, kept current by PostgreSQL triggers.

PostgreSQL only: triggers and GIN indexes are raw SQL (not in the models' Meta), so
SQLite migrates and rebuilds tables cleanly without them.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import migrations

from core.migration_sql import postgresql_only

FORWARDS = """
CREATE OR REPLACE FUNCTION discography_release_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A')
    || setweight(to_tsvector('simple', regexp_replace(regexp_replace(
         coalesce(NEW.description, ''), '<[^>]*>', ' ', 'g'),
         '&[#a-zA-Z0-9]+;', ' ', 'g')), 'D');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER discography_release_search_vector
  BEFORE INSERT OR UPDATE ON discography_release
  FOR EACH ROW EXECUTE FUNCTION discography_release_search_vector();

CREATE OR REPLACE FUNCTION discography_track_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector := setweight(to_tsvector('simple', coalesce(NEW.title, '')), 'A');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER discography_track_search_vector
  BEFORE INSERT OR UPDATE ON discography_track
  FOR EACH ROW EXECUTE FUNCTION discography_track_search_vector();

UPDATE discography_release SET search_vector = NULL;
UPDATE discography_track SET search_vector = NULL;

CREATE INDEX release_search_vector_idx ON discography_release
  USING gin (search_vector);
CREATE INDEX track_search_vector_idx ON discography_track USING gin (search_vector);
"""

BACKWARDS = """
DROP INDEX IF EXISTS track_search_vector_idx;
DROP INDEX IF EXISTS release_search_vector_idx;
DROP TRIGGER IF EXISTS discography_track_search_vector ON discography_track;
DROP FUNCTION IF EXISTS discography_track_search_vector();
DROP TRIGGER IF EXISTS discography_release_search_vector ON discography_release;
DROP FUNCTION IF EXISTS discography_release_search_vector();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("discography", "0002_credits_tracks_videos"),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="search_vector",
            field=SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="track",
            name="search_vector",
            field=SearchVectorField(editable=False, null=True),
        ),
        postgresql_only(FORWARDS, BACKWARDS),
    ]
