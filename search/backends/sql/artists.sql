-- Artists by any name, alias, misspelling, or a song the reader remembers.
--
-- Each way of matching is its own indexed branch (b-tree on the name keys, GIN
-- trigram for partial and misspelled names, GIN tsvector), only their union of
-- candidates is scored, and the song an artist is credited on comes from one pass
-- over the exact titles. The ORM's version cost ~15 ms to compile per request and,
-- its conditions ORed into one scan, scored every artist (100+ ms at 5,000 artists).
--
-- The statement is put together from the parts below (search.backends.postgres):
-- the LIKE parts only for a key of two letters or more, the trigram ones (pg_trgm's
-- "%" operator, doubled for the driver) from three, the credited titles only when
-- words are left once an epithet's filler is dropped.

-- name: artists
WITH ${credited}
candidates(id) AS (
    SELECT id FROM artists_artist WHERE name_key = ANY(%(keys)s)
    UNION SELECT id FROM artists_artist WHERE native_name_key = ANY(%(keys)s)
    UNION SELECT id FROM artists_artist
           WHERE search_vector @@ websearch_to_tsquery(%(config)s::regconfig, %(text)s)
    ${like_branches}
    ${fuzzy_branches}
    UNION SELECT artist_id FROM artists_artistalias
           WHERE key = ANY(%(keys)s) ${alias_like} ${alias_fuzzy}
    UNION SELECT artist_id FROM credited
),
scored AS (
    SELECT a.id, a.name, a.native_name, a.slug, a.kind, a.disambiguation, a.photo,
           a.photo_width, a.photo_height, a.photo_renditions,
           a.sort_name, COALESCE(cr.title, '') AS credited_on,
           GREATEST(
               CASE WHEN a.name_key = %(key)s OR a.native_name_key = %(key)s THEN 4.0
               WHEN a.name_key = ANY(%(words)s) OR a.native_name_key = ANY(%(words)s)
               THEN 2.5
               ${own_like}
               ELSE 0.0 END,
               COALESCE(alias.level, 0.0),
               CASE WHEN COALESCE(cr.title, '') <> '' THEN 3.0 ELSE 0.0 END
           ) + GREATEST(
               similarity(a.name_key, %(key)s),
               similarity(a.native_name_key, %(key)s),
               COALESCE(alias.similarity, 0.0)
           ) AS score,
           alias.shown AS matched_alias
      FROM candidates c
      -- Row by row through the primary key: a hash join read all 5,000 artists
      -- to score a hundred.
      CROSS JOIN LATERAL (
          SELECT * FROM artists_artist WHERE id = c.id OFFSET 0  -- kept apart
      ) AS a
      LEFT JOIN credited cr ON cr.artist_id = a.id
      LEFT JOIN LATERAL (
           SELECT MAX(level) AS level,
                  MAX(similarity(key, %(key)s)) AS similarity,
                  (array_agg(name ORDER BY level DESC, kind, name)
                      FILTER (WHERE level > 0 AND kind <> 'misspelling'))[1] AS shown
             FROM (SELECT name, kind, key,
                          CASE WHEN key = %(key)s THEN 4.0
                          WHEN key = ANY(%(words)s) THEN 2.5
                          ${alias_level_like}
                          ELSE 0.0 END AS level
                     FROM artists_artistalias
                    WHERE artist_id = a.id) AS aliases
      ) AS alias ON true
)
SELECT *, COUNT(*) OVER () AS total
  FROM scored
 ORDER BY score DESC, sort_name, id
 LIMIT %(limit)s OFFSET %(offset)s

-- Exactly titled tracks and releases (every word of the title and no other: "Holssi"
-- is the song, "Holssi remix" another; length() counts a title vector's distinct
-- words): the artists credited on them, with the title to show ("sings “Holssi”").

-- name: credited
credited_titles AS (
    SELECT rc.artist_id, t.title, 0 AS preference, r.released_on, t.disc, t.position
      FROM discography_track t
      JOIN discography_release r ON r.id = t.release_id
      JOIN discography_releasecredit rc ON rc.release_id = r.id
     WHERE t.search_vector @@ phraseto_tsquery(%(config)s::regconfig, %(phrase)s)
       AND length(ts_filter(t.search_vector, '{a}'))
           = length(to_tsvector(%(config)s::regconfig, %(phrase)s))
    UNION ALL
    SELECT tf.artist_id, t.title, 0, r.released_on, t.disc, t.position
      FROM discography_track t
      JOIN discography_release r ON r.id = t.release_id
      JOIN discography_trackfeature tf ON tf.track_id = t.id
     WHERE t.search_vector @@ phraseto_tsquery(%(config)s::regconfig, %(phrase)s)
       AND length(ts_filter(t.search_vector, '{a}'))
           = length(to_tsvector(%(config)s::regconfig, %(phrase)s))
    UNION ALL
    SELECT rc.artist_id, r.title, 1, r.released_on, 0, 0
      FROM discography_release r
      JOIN discography_releasecredit rc ON rc.release_id = r.id
     WHERE r.search_vector @@ phraseto_tsquery(%(config)s::regconfig, %(phrase)s)
       AND length(ts_filter(r.search_vector, '{a}'))
           = length(to_tsvector(%(config)s::regconfig, %(phrase)s))
),
credited AS (
    SELECT DISTINCT ON (artist_id) artist_id, title
      FROM credited_titles
     ORDER BY artist_id, preference, released_on DESC NULLS LAST, disc, position
),

-- No title to look for: no artist is credited.

-- name: no_credits
credited(artist_id, title) AS (SELECT NULL::bigint, NULL::varchar WHERE false),

-- Part of a name: anywhere in it from three letters on; two letters ("IU") only
-- begin a name (the pattern is built so), or every name holding "iu" would match.

-- name: like_branches
UNION SELECT id FROM artists_artist WHERE name_key LIKE %(like)s
    UNION SELECT id FROM artists_artist WHERE native_name_key LIKE %(like)s

-- name: own_like
WHEN a.name_key LIKE %(like)s OR a.native_name_key LIKE %(like)s
               THEN 2.0

-- name: alias_like
OR key LIKE %(like)s

-- name: alias_level_like
WHEN key LIKE %(like)s THEN 2.0

-- Misspelled names: trigram similarity above pg_trgm's threshold.

-- name: fuzzy_branches
UNION SELECT id FROM artists_artist WHERE name_key %% %(key)s
    UNION SELECT id FROM artists_artist WHERE native_name_key %% %(key)s

-- name: alias_fuzzy
OR key %% %(key)s
