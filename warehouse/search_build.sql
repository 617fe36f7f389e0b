-- search_build.sql — rebuild the full-text index read by search_qa() (40_search.sql).
-- A snapshot: rows loaded later are found after the next refresh(). Each distinct word is
-- stemmed once (the costly step), blocks and terms get integer ids, and the postings
-- (term, block, term frequency) are stored sorted by term, so a query reads only the row
-- groups of its own terms.

CREATE OR REPLACE TEMP TABLE _search_blocks AS
SELECT (row_number() OVER (ORDER BY unit_id) - 1)::INTEGER AS docid, unit_id, kind
FROM (
    SELECT question_id AS unit_id, 'question' AS kind FROM questions
    UNION ALL
    SELECT answer_id, 'answer' FROM answers
);

CREATE OR REPLACE TEMP TABLE _search_tokens AS
WITH texts AS (
    SELECT u.docid, q.text FROM _search_blocks u JOIN questions q ON q.question_id = u.unit_id
    UNION ALL
    SELECT u.docid, a.text FROM _search_blocks u JOIN answers a ON a.answer_id = u.unit_id
)
SELECT docid, unnest(nl_tokenize(text)) AS word
FROM texts;

CREATE OR REPLACE TEMP TABLE _search_words AS
SELECT word, stem(word, 'dutch') AS term
FROM (SELECT DISTINCT word FROM _search_tokens);

CREATE OR REPLACE TABLE _search_terms AS
SELECT (row_number() OVER (ORDER BY term) - 1)::INTEGER AS termid, term
FROM (SELECT DISTINCT term FROM _search_words);

CREATE OR REPLACE TABLE _search_postings AS
SELECT t.termid, tk.docid, count(*)::INTEGER AS tf
FROM _search_tokens tk
JOIN _search_words w ON w.word = tk.word
JOIN _search_terms t ON t.term = w.term
GROUP BY t.termid, tk.docid
ORDER BY t.termid, tk.docid;

-- blocks with their length in words (BM25 normalises by it)
CREATE OR REPLACE TABLE _search_units AS
SELECT b.docid, b.unit_id, b.kind, coalesce(l.len, 0)::INTEGER AS len
FROM _search_blocks b
LEFT JOIN (SELECT docid, count(*) AS len FROM _search_tokens GROUP BY docid) l ON l.docid = b.docid
ORDER BY b.docid;

-- document frequency per term, next to the term
CREATE OR REPLACE TABLE _search_terms AS
SELECT t.termid, t.term, coalesce(p.df, 0)::INTEGER AS df
FROM _search_terms t
LEFT JOIN (SELECT termid, count(*) AS df FROM _search_postings GROUP BY termid) p ON p.termid = t.termid
ORDER BY t.term;

-- Every block counts as a document, also one without words (as in fts).
CREATE OR REPLACE TABLE _search_stats AS
SELECT
    count(*) AS num_docs,
    coalesce(avg(len), 0)::DOUBLE AS avgdl
FROM _search_units;

DROP TABLE _search_tokens;
DROP TABLE _search_words;
DROP TABLE _search_blocks;
