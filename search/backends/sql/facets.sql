-- Section, tag and artist counts over the candidate stories, ranked, in one
-- statement: per facet the most frequent values (rank() gives tied counts one place,
-- so every name tied at the edge comes back) and the value the reader has chosen.
--
-- The candidates are one array parameter: the same statement text for any number of
-- ids, so it is prepared once instead of planned with 200 placeholders each time.
-- Tags and artists come from the story-topic rows (kept by triggers,
-- articles/models/topics.py), which hold both links of a live story in one index:
-- one range per candidate instead of two joins.

-- name: facets
WITH c(id) AS (SELECT unnest(%(ids)s::bigint[])),
topics AS (
    SELECT kind, topic_id, COUNT(*) AS stories
      FROM articles_storytopic WHERE article_id IN (SELECT id FROM c)
     GROUP BY kind, topic_id
),
counted(facet, key, label, stories) AS (
    SELECT 'section', s.slug, s.name, COUNT(*)
      FROM c JOIN articles_article a ON a.id = c.id
      JOIN articles_section s ON s.id = a.section_id
     GROUP BY s.slug, s.name
    UNION ALL
    SELECT 'tag', t.slug, t.name, topics.stories
      FROM topics JOIN taggit_tag t ON t.id = topics.topic_id
     WHERE topics.kind = %(tag_kind)s
    UNION ALL
    SELECT 'artist', ar.slug, ar.name, topics.stories
      FROM topics JOIN artists_artist ar ON ar.id = topics.topic_id
     WHERE topics.kind = %(artist_kind)s
)
SELECT facet, key, label, stories FROM (
    SELECT facet, key, label, stories,
           rank() OVER (PARTITION BY facet ORDER BY stories DESC) AS place
      FROM counted
) ranked
 WHERE place <= %(shown)s
    OR (facet = 'section' AND key = %(section)s)
    OR (facet = 'tag' AND key = %(tag)s)
    OR (facet = 'artist' AND key = %(artist)s)
