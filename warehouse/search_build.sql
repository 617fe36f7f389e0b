-- search_build.sql — rebuild the full-text index read by search_qa() (40_search.sql).
-- A snapshot: rows loaded later are found after the next refresh(). Each distinct word is
-- stemmed once (the costly step), then postings (term, block, term frequency, block length)
-- are stored sorted by term so a query touches only its terms' row groups.

CREATE OR REPLACE TEMP TABLE _search_tokens AS
WITH units AS (
    SELECT question_id AS unit_id, 'question' AS kind, text FROM questions
    UNION ALL
    SELECT answer_id, 'answer', text FROM answers
)
SELECT unit_id, kind, unnest(nl_tokenize(text)) AS word
FROM units;

CREATE OR REPLACE TEMP TABLE _search_stems AS
SELECT word, stem(word, 'dutch') AS term
FROM (SELECT DISTINCT word FROM _search_tokens);

CREATE OR REPLACE TABLE _search_postings AS
WITH lengths AS (
    SELECT unit_id, count(*)::INTEGER AS len FROM _search_tokens GROUP BY unit_id
)
SELECT s.term, t.unit_id, t.kind, count(*)::INTEGER AS tf, any_value(l.len) AS len
FROM _search_tokens t
JOIN _search_stems s ON s.word = t.word
JOIN lengths l ON l.unit_id = t.unit_id
GROUP BY s.term, t.unit_id, t.kind
ORDER BY s.term, t.unit_id;

CREATE OR REPLACE TABLE _search_terms AS
SELECT term, count(*)::INTEGER AS df
FROM _search_postings
GROUP BY term
ORDER BY term;

-- Every block counts as a document, also one without words (as in fts).
CREATE OR REPLACE TABLE _search_stats AS
SELECT
    (SELECT count(*) FROM questions) + (SELECT count(*) FROM answers) AS num_docs,
    coalesce((SELECT sum(tf) FROM _search_postings)
             / nullif((SELECT count(*) FROM questions) + (SELECT count(*) FROM answers), 0), 0)::DOUBLE AS avgdl;

DROP TABLE _search_tokens;
DROP TABLE _search_stems;
