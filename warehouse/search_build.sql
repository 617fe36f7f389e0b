-- search_build.sql — rebuild the full-text index read by search_qa() (40_search.sql).
-- A snapshot: rows loaded later are found after the next refresh().
--
-- Built for ~1 million blocks with queries under 100 ms:
--   * Dutch stop words are left out (40_search.sql), so no term has postings in every block;
--   * each distinct word is stemmed once (stemming every token is the costly part);
--   * blocks get integer ids (docid) and _search_units is written in docid order, so a
--     block's rowid equals its docid and the best few hits are fetched by rowid instead of
--     scanning the text of every block;
--   * postings (term, block, term frequency, block length) are sorted by term, so a query
--     reads only the row groups of its own terms;
--   * _search_units repeats what a hit shows (set number, letter date, label, text), so a
--     search touches no other table.

CREATE OR REPLACE TEMP TABLE _search_blocks AS
SELECT (row_number() OVER (ORDER BY unit_id) - 1)::INTEGER AS docid, *
FROM (
    SELECT q.question_id AS unit_id, 'question' AS kind, q.document_id, q.question_set_id,
           q.label, q.numbers, q.text
    FROM questions q
    UNION ALL
    SELECT a.answer_id, 'answer', a.document_id, a.question_set_id, a.label, a.numbers, a.text
    FROM answers a
);

CREATE OR REPLACE TEMP TABLE _search_tokens AS
SELECT docid, word
FROM (SELECT docid, unnest(nl_tokenize(text)) AS word FROM _search_blocks)
WHERE word NOT IN (SELECT word FROM _search_stopwords);

CREATE OR REPLACE TEMP TABLE _search_words AS
SELECT word, stem(word, 'dutch') AS term
FROM (SELECT DISTINCT word FROM _search_tokens);

CREATE OR REPLACE TEMP TABLE _search_lengths AS
SELECT docid, count(*)::INTEGER AS len
FROM _search_tokens
GROUP BY docid;

CREATE OR REPLACE TABLE _search_terms AS
SELECT (row_number() OVER (ORDER BY term) - 1)::INTEGER AS termid, term
FROM (SELECT DISTINCT term FROM _search_words);

CREATE OR REPLACE TABLE _search_postings AS
SELECT t.termid, tk.docid, count(*)::INTEGER AS tf, any_value(l.len) AS len
FROM _search_tokens tk
JOIN _search_words w ON w.word = tk.word
JOIN _search_terms t ON t.term = w.term
JOIN _search_lengths l ON l.docid = tk.docid
GROUP BY t.termid, tk.docid
ORDER BY t.termid, tk.docid;

-- document frequency per term, next to the term
CREATE OR REPLACE TABLE _search_terms AS
SELECT t.termid, t.term, coalesce(p.df, 0)::INTEGER AS df
FROM _search_terms t
LEFT JOIN (SELECT termid, count(*) AS df FROM _search_postings GROUP BY termid) p ON p.termid = t.termid
ORDER BY t.term;

-- one row per block in docid order (rowid = docid), with what a search hit shows
CREATE OR REPLACE TABLE _search_units AS
SELECT
    b.docid,
    b.unit_id,
    b.kind,
    coalesce(l.len, 0)::INTEGER AS len,
    qs.number AS question_set_number,
    d.number AS document_number,
    d.document_date,
    b.label,
    b.numbers,
    b.text,
    b.document_id,
    b.question_set_id
FROM _search_blocks b
LEFT JOIN _search_lengths l ON l.docid = b.docid
LEFT JOIN documents d ON d.document_id = b.document_id
LEFT JOIN question_sets qs ON qs.question_set_id = b.question_set_id
ORDER BY b.docid;

-- Every block counts as a document, also one without words (as in fts).
CREATE OR REPLACE TABLE _search_stats AS
SELECT count(*) AS num_docs, coalesce(avg(len), 0)::DOUBLE AS avgdl
FROM _search_units;

DROP TABLE _search_blocks;
DROP TABLE _search_tokens;
DROP TABLE _search_words;
DROP TABLE _search_lengths;
