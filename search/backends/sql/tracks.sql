-- Tracks titled with the words, newest release first, with the release's first
-- credit (${first_credit}, from releases.sql). Columns named release__* build the
-- track's release, as select_related would.

-- name: tracks
SELECT t.id, t.title, t.disc, t.position, t.duration, t.release_id,
       r.id AS release__id, r.title AS release__title, r.slug AS release__slug,
       r.released_on AS release__released_on,
       ${first_credit} AS artist_name,
       COUNT(*) OVER () AS total
  FROM discography_track t
  JOIN discography_release r ON r.id = t.release_id
 WHERE t.search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(text)s)
 ORDER BY r.released_on DESC NULLS LAST, t.release_id, t.disc, t.position
 LIMIT %(limit)s OFFSET %(offset)s
