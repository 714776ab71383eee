-- The newest matches (the ORM's statement, with the reader's filters), ranked; the
-- columns a hit shows for ranks first..last only.
--
-- Positional parameters: the newest statement's, then the text search configuration
-- and the query text (every phrasing, "or"), the configuration and the words as the
-- reader typed them, first and last rank (1-based). ${newest} selects each
-- candidate's id, date and vector, so ranking reads no row twice; only the page's
-- rows are joined again, for the columns a hit shows (a NULL key for the other ranks
-- finds nothing without touching the index). A story holding every word as typed
-- ranks above any found only through a correction or another name
-- (search.forgive); then a story whose headline holds the words ranks above any
-- body-only match, however often the body repeats them; ts_rank orders within each
-- tier.

-- name: ranked_stories
WITH newest(id, published_at, search_vector) AS (${newest}),
query AS (SELECT websearch_to_tsquery(%s::regconfig, %s) AS words,
                  plainto_tsquery(%s::regconfig, %s) AS typed),
scored AS (
    SELECT n.id, n.published_at,
           n.search_vector @@ query.typed AS as_typed,
           CASE WHEN ts_filter(n.search_vector, '{a}') @@ query.words
                THEN 1.0 ELSE 0.0 END
           + ts_rank(n.search_vector, query.words) AS score
      FROM newest n CROSS JOIN query
),
ordered AS (
    SELECT id, row_number() OVER (
               ORDER BY as_typed DESC, score DESC, published_at DESC, id DESC
           ) AS position
      FROM scored
)
SELECT o.id, o.position, a.headline, a.slug, a.dek, a.body, a.published_at,
       a.hero_image, a.hero_width, a.hero_height, a.hero_renditions,
       a.section_id, s.id AS section__id, s.name AS section__name,
       s.slug AS section__slug
  FROM ordered o
  LEFT JOIN articles_article a
         ON a.id = CASE WHEN o.position BETWEEN %s AND %s THEN o.id END
  LEFT JOIN articles_section s ON s.id = a.section_id
 ORDER BY o.position
