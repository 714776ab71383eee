-- Per word a reader typed, the words of the stories spelled like it: itself if a
-- story holds it, and the nearest by trigram similarity (pg_trgm's "%" operator,
-- doubled for the driver, over the GIN trigram index of search_storyword, which a
-- trigger of search migration 0003 keeps).

-- name: story_words
SELECT q.word, w.word
  FROM unnest(%(words)s::text[]) AS q(word)
 CROSS JOIN LATERAL (
    SELECT word FROM search_storyword
     WHERE word %% q.word
     ORDER BY similarity(word, q.word) DESC, word
     LIMIT 8
 ) AS w
