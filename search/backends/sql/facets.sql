-- Section, tag and artist counts over the candidate stories, ranked, in one
-- statement: per facet the most frequent values (rank() gives tied counts one place,
-- so every name tied at the edge comes back) and the value the reader has chosen.
--
-- The candidates are one array parameter: the same statement text for any number of
-- ids, so it is prepared once instead of planned with 200 placeholders each time.
-- Tags and artists come from the story-topic rows (kept by triggers,
-- articles/models/topics.py), which hold both links of a live story in one index:
-- one range per candidate instead of two joins. Values are ranked by their ids and
-- only the ones kept are joined to their names (the chosen one found by its slug's
-- unique index): at 100,000 stories 200 candidates name some 600 tags and artists,
-- and looking up every name took most of the statement's time.

-- name: facets
WITH c(id) AS (SELECT unnest(%(ids)s::bigint[])),
counted(facet, topic_id, stories) AS (
    SELECT 'section', a.section_id, COUNT(*)
      FROM c JOIN articles_article a ON a.id = c.id
     WHERE a.section_id IS NOT NULL
     GROUP BY a.section_id
    UNION ALL
    SELECT CASE WHEN kind = %(tag_kind)s THEN 'tag' ELSE 'artist' END,
           topic_id, COUNT(*)
      FROM articles_storytopic
     WHERE article_id IN (SELECT id FROM c)
       AND kind IN (%(tag_kind)s, %(artist_kind)s)
     GROUP BY kind, topic_id
),
kept AS (
    SELECT facet, topic_id, stories FROM (
        SELECT facet, topic_id, stories,
               rank() OVER (PARTITION BY facet ORDER BY stories DESC) AS place
          FROM counted
    ) ranked
     WHERE place <= %(shown)s
        OR (facet = 'section' AND topic_id
            = (SELECT id FROM articles_section WHERE slug = %(section)s))
        OR (facet = 'tag' AND topic_id
            = (SELECT id FROM taggit_tag WHERE slug = %(tag)s))
        OR (facet = 'artist' AND topic_id
            = (SELECT id FROM artists_artist WHERE slug = %(artist)s))
)
SELECT k.facet, s.slug, s.name, k.stories
  FROM kept k JOIN articles_section s ON s.id = k.topic_id
 WHERE k.facet = 'section'
UNION ALL
SELECT k.facet, t.slug, t.name, k.stories
  FROM kept k JOIN taggit_tag t ON t.id = k.topic_id
 WHERE k.facet = 'tag'
UNION ALL
SELECT k.facet, ar.slug, ar.name, k.stories
  FROM kept k JOIN artists_artist ar ON ar.id = k.topic_id
 WHERE k.facet = 'artist'
