-- The newest matches (the ORM's statement, with the reader's filters), ranked; the
-- columns a hit shows for ranks first..last only.
--
-- Positional parameters: the newest statement's, then the query text (every
-- phrasing, "or"), the words as the reader typed them (NULL when the query is as
-- typed: every match holds them), the text search configuration, first and last
-- rank (1-based). ${newest} selects each candidate's id, date, vector and headline,
-- so ranking reads no row twice; only the page's rows are joined again, for the
-- columns a hit shows (a NULL key for the other ranks finds nothing without
-- touching the index). A story holding every word as typed ranks above any found
-- only through a correction or another name (search.forgive); then a story whose
-- headline holds the words (the vector's weight A, from the headline alone) ranks
-- above any body-only match, however often the body repeats them; ts_rank orders
-- within each tier. Each use of a stored vector decompresses it again (1.5 kB at
-- 100,000 stories, some 15 us a story): the headline is read as text, and the typed
-- words, NULL, are never compared (the operator is strict).

-- name: ranked_stories
WITH newest(id, published_at, search_vector, headline) AS (${newest}),
query AS (
    SELECT config, websearch_to_tsquery(config, %s) AS words,
           plainto_tsquery(config, %s) AS typed
      FROM (SELECT %s::regconfig AS config) AS chosen
),
scored AS (
    SELECT n.id, n.published_at,
           n.search_vector @@ query.typed AS as_typed,
           CASE WHEN to_tsvector(query.config, COALESCE(n.headline, ''))
                     @@ query.words
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
