-- 40_search.sql — full-text search over questions and answers.
--
--   SELECT * FROM search_qa('storing');                       -- the 100 best matches
--   SELECT * FROM search_qa('achterstand OM', max_results := 10);
--   SELECT count(*) FROM search_qa('storing', max_results := NULL);  -- every match
--
-- Words are folded like DuckDB's fts extension does (accents stripped, lower case, digits and
-- punctuation are separators) and reduced with the fts extension's Dutch Snowball stemmer
-- (stem(word, 'dutch')), so 'storingen' finds 'storing'. Rows are ranked with Okapi BM25
-- (k1 = 1.2, b = 0.75, the formula of fts's match_bm25): a row matching more of the terms, or
-- rarer ones, scores higher; any one term is enough to match.
--
-- Why not PRAGMA create_fts_index + match_bm25: on ~1 million blocks the PRAGMA stems every
-- token (minutes) and match_bm25 is a per-row correlated macro (seconds per query). Here the
-- index is a term-sorted postings table built by refresh() (search_build.sql) that stems each
-- distinct word once, and the macro reads only the postings of the query's terms.
-- Needs the fts extension for stem(); etl.load.warehouse.connect() loads it from the
-- duckdb-extension-fts wheel with no network.

-- The fts extension's tokenizer: fold, then split on digits, punctuation and white space.
CREATE OR REPLACE MACRO nl_tokenize(s) AS
    list_filter(
        string_split_regex(
            regexp_replace(lower(strip_accents(CAST(s AS VARCHAR))),
                           '[0-9!@#$%^&*()_+={}\[\]:;<>,.?~\\/\|''"`-]+', ' ', 'g'),
            '\s+'),
        w -> w <> '');

-- Empty index tables so the macro binds on a new warehouse; refresh() fills them.
CREATE TABLE IF NOT EXISTS _search_units (docid INTEGER, unit_id VARCHAR, kind VARCHAR, len INTEGER);
CREATE TABLE IF NOT EXISTS _search_terms (termid INTEGER, term VARCHAR, df INTEGER);
CREATE TABLE IF NOT EXISTS _search_postings (termid INTEGER, docid INTEGER, tf INTEGER);
CREATE TABLE IF NOT EXISTS _search_stats (num_docs BIGINT, avgdl DOUBLE);

CREATE OR REPLACE MACRO search_qa(query_text, max_results := 100) AS TABLE
WITH query_terms AS (
    SELECT t.termid, t.df
    FROM _search_terms t
    WHERE t.term IN (SELECT stem(unnest(nl_tokenize(query_text)), 'dutch'))
),
postings AS (
    SELECT p.docid, p.tf, q.df FROM _search_postings p JOIN query_terms q ON q.termid = p.termid
),
hits AS (
    SELECT
        u.unit_id,
        u.kind,
        sum(
            log(((st.num_docs - p.df) + 0.5) / (p.df + 0.5) + 1)
            * (p.tf * (1.2 + 1)) / (p.tf + 1.2 * ((1 - 0.75) + 0.75 * (u.len / st.avgdl)))
        ) AS score
    FROM postings p
    JOIN _search_units u ON u.docid = p.docid
    CROSS JOIN _search_stats st
    GROUP BY u.unit_id, u.kind
),
top_hits AS (
    -- rank first, fetch texts for the best max_results only (NULL = all)
    SELECT * FROM hits ORDER BY score DESC, unit_id LIMIT max_results
),
blocks AS (
    SELECT h.score, h.kind, h.unit_id, q.document_id, q.question_set_id, q.label, q.numbers, q.text
    FROM top_hits h JOIN questions q ON q.question_id = h.unit_id
    WHERE h.kind = 'question'
    UNION ALL
    SELECT h.score, h.kind, h.unit_id, a.document_id, a.question_set_id, a.label, a.numbers, a.text
    FROM top_hits h JOIN answers a ON a.answer_id = h.unit_id
    WHERE h.kind = 'answer'
)
SELECT
    b.score,
    b.kind,
    b.unit_id,
    qs.number AS question_set_number,
    d.number AS document_number,
    d.document_date,
    b.label,
    b.numbers,
    b.text,
    b.document_id,
    b.question_set_id
FROM blocks b
LEFT JOIN documents d ON d.document_id = b.document_id
LEFT JOIN question_sets qs ON qs.question_set_id = b.question_set_id
ORDER BY b.score DESC, b.unit_id;
