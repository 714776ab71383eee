-- Per word a reader typed, the words of the stories spelled like it: itself if a
-- story holds it (all that is asked for a word too short to be corrected: the
-- trigrams of "bu" are in thousands of words, 36 ms at 100,000 stories), and the
-- nearest by trigram similarity (pg_trgm's "%" operator,
-- doubled for the driver, over the GIN trigram index of search_storyword, which a
-- trigger of search migration 0003 keeps).

-- name: story_words
SELECT q.word, q.word
  FROM unnest(%(exact)s::text[]) AS q(word)
 WHERE EXISTS (SELECT FROM search_storyword s WHERE s.word = q.word)
UNION ALL
SELECT q.word, w.word
  FROM unnest(%(near)s::text[]) AS q(word)
 CROSS JOIN LATERAL (
    SELECT word FROM search_storyword
     WHERE word %% q.word
     ORDER BY similarity(word, q.word) DESC, word
     LIMIT 8
 ) AS w
