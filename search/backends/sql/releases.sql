-- Releases titled with the words, and every release of an artist named exactly (any
-- name or alias, as Artist.objects.matching_name): title matches first, newest first.
-- Hand-written because the ORM's expression took longer to compile than PostgreSQL
-- took to answer it.

-- name: releases
WITH named(id) AS (
    SELECT id FROM artists_artist WHERE name_key = %(key)s
    UNION SELECT id FROM artists_artist WHERE native_name_key = %(key)s
    UNION SELECT artist_id FROM artists_artistalias WHERE key = %(key)s
),
candidates(id) AS (
    SELECT id FROM discography_release
     WHERE search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(text)s)
    UNION
    SELECT release_id FROM discography_releasecredit
     WHERE artist_id IN (SELECT id FROM named) AND %(key)s <> ''
)
SELECT r.id, r.title, r.slug, r.kind, r.released_on, r.cover, r.cover_alt,
       r.cover_width, r.cover_height, r.cover_renditions,
       CASE WHEN r.search_vector
                 @@ websearch_to_tsquery(%(config)s::regconfig, %(text)s)
            THEN 1 ELSE 0 END AS score,
       ${first_credit} AS artist_name,
       COUNT(*) OVER () AS total
  FROM candidates c
  JOIN discography_release r ON r.id = c.id
 ORDER BY score DESC, r.released_on DESC NULLS LAST, r.id DESC
 LIMIT %(limit)s OFFSET %(offset)s

-- The name a release's first credit shows ("credited as", else the artist's name),
-- for the release aliased r; the track statement shows it too.

-- name: first_credit
(SELECT COALESCE(NULLIF(rc.credited_as, ''), a.name)
          FROM discography_releasecredit rc
          JOIN artists_artist a ON a.id = rc.artist_id
         WHERE rc.release_id = r.id
         ORDER BY rc.position, rc.id
         LIMIT 1)
