-- search_update.sql — bring the full-text index read by search_qa() (40_search.sql) up to
-- date for the documents in _scope_docs (refresh_scope.sql: every document of a changed
-- question set). A full rebuild is the same file run on an empty index with everything in scope.
--
-- Built for ~1 million blocks with queries under 100 ms and daily updates well under a second:
--   * Dutch stop words are left out, so no term has postings in every block;
--   * each distinct word is stemmed once, ever: _search_vocab keeps word -> term;
--   * blocks get integer ids (docid) and _search_units is only ever appended to, in docid
--     order, so a block's rowid equals its docid and the best few hits (and the blocks an
--     update retires) are fetched by rowid instead of scanning every block's text;
--   * a changed block is retired: its docid goes to _search_retired, which queries skip, and
--     its terms' document frequencies are lowered; it is appended again under a new docid.
--     Its old postings stay until refresh() rebuilds the index from nothing, which it does
--     once retired blocks pass a tenth of all (refresh_state.sql);
--   * postings (term, block, term frequency, block length) are inserted sorted by term, so a
--     query reads only the row groups of its own terms;
--   * a question printed both in the questions document and in the answer letter is indexed
--     once (one row per question: set + numbers), preferring the questions document, with
--     the kinds of every document that prints it in printed_in;
--   * _search_units repeats what a hit shows (set number, letter date, label, text), so a
--     search touches no other table.
-- Rows are fetched by rowid through joins; refresh() raises dynamic_or_filter_threshold so
-- DuckDB turns such a join with a few thousand rowids into direct fetches.

-- 1. Retire the live blocks of the scope's documents.
CREATE OR REPLACE TEMP TABLE _search_leaving AS
SELECT docid FROM _search_units
WHERE document_id IN (SELECT document_id FROM _scope_docs)
  AND docid NOT IN (SELECT docid FROM _search_retired);

INSERT INTO _search_retired SELECT docid FROM _search_leaving;

-- their words, re-read from their stored text, lower the document frequencies below
CREATE OR REPLACE TEMP TABLE _search_df_change AS
SELECT v.termid, -count(DISTINCT tk.docid)::INTEGER AS change
FROM (
    SELECT u.docid, unnest(nl_tokenize(u.text)) AS word
    FROM _search_units u JOIN _search_leaving l ON u.rowid = l.docid
) tk
JOIN _search_vocab v ON v.word = tk.word
GROUP BY v.termid;

CREATE OR REPLACE TEMP TABLE _search_stats_change AS
SELECT -count(*) AS num_docs, -coalesce(sum(u.len), 0) AS sum_len
FROM _search_units u JOIN _search_leaving l ON u.rowid = l.docid;

-- 2. The scope's blocks as they are now, numbered after the last docid ever given.
CREATE OR REPLACE TEMP TABLE _search_rows AS
SELECT 'question' AS kind, rowid AS r FROM questions WHERE document_id IN (SELECT document_id FROM _scope_docs)
UNION ALL
SELECT 'answer', rowid FROM answers WHERE document_id IN (SELECT document_id FROM _scope_docs);

CREATE OR REPLACE TEMP TABLE _search_blocks AS
WITH candidates AS (
    SELECT q.question_id AS unit_id, 'question' AS kind, q.document_id, q.question_set_id,
           q.label, q.numbers, q.text, q.block_index
    FROM questions q JOIN _search_rows s ON s.kind = 'question' AND q.rowid = s.r
    UNION ALL
    SELECT a.answer_id, 'answer', a.document_id, a.question_set_id, a.label, a.numbers, a.text, a.block_index
    FROM answers a JOIN _search_rows s ON s.kind = 'answer' AND a.rowid = s.r
),
described AS (
    SELECT c.*, d.kind AS document_kind, d.document_date,
           -- one copy per printed question: set + numbers (a block without a set stands alone)
           CASE WHEN c.kind = 'question' AND c.question_set_id IS NOT NULL
                THEN c.question_set_id || '|' || array_to_string(list_sort(list_distinct(c.numbers)), ',')
                ELSE c.unit_id END AS copy_key
    FROM candidates c
    LEFT JOIN documents d ON d.document_id = c.document_id
),
printed AS (  -- grouped, not windowed: a DISTINCT list over a window is slow in DuckDB
    SELECT copy_key,
           list(DISTINCT document_kind ORDER BY document_kind) FILTER (WHERE document_kind IS NOT NULL) AS printed_in
    FROM described
    GROUP BY copy_key
),
chosen AS (
    SELECT d.*, p.printed_in
    FROM described d JOIN printed p ON d.copy_key IS NOT DISTINCT FROM p.copy_key
    QUALIFY row_number() OVER (
        PARTITION BY d.copy_key
        ORDER BY coalesce(document_kind ILIKE 'antwoord%', false), document_date NULLS LAST, document_id, block_index
    ) = 1
)
SELECT (SELECT coalesce(max(docid) + 1, 0) FROM _search_units)
       + (row_number() OVER (ORDER BY unit_id) - 1)::INTEGER AS docid,
       *
FROM chosen;

CREATE OR REPLACE TEMP TABLE _search_tokens AS
SELECT docid, word
FROM (SELECT docid, unnest(nl_tokenize(text)) AS word FROM _search_blocks)
WHERE word NOT IN (SELECT word FROM _search_stopwords);

-- 3. Words never seen before are stemmed (once) and get a term; new terms a new termid.
CREATE OR REPLACE TEMP TABLE _search_new_words AS
SELECT word, stem(word, 'dutch') AS term
FROM (SELECT DISTINCT word FROM _search_tokens)
WHERE word NOT IN (SELECT word FROM _search_vocab);

INSERT INTO _search_terms
SELECT (SELECT coalesce(max(termid) + 1, 0) FROM _search_terms)
       + (row_number() OVER (ORDER BY term) - 1)::INTEGER, term, 0
FROM (SELECT DISTINCT term FROM _search_new_words WHERE term NOT IN (SELECT term FROM _search_terms));

INSERT INTO _search_vocab
SELECT w.word, t.termid FROM _search_new_words w JOIN _search_terms t ON t.term = w.term;

-- 4. Postings of the new blocks, sorted by term.
CREATE OR REPLACE TEMP TABLE _search_lengths AS
SELECT docid, count(*)::INTEGER AS len FROM _search_tokens GROUP BY docid;

CREATE OR REPLACE TEMP TABLE _search_new_postings AS
SELECT v.termid, tk.docid, count(*)::INTEGER AS tf, any_value(l.len) AS len
FROM _search_tokens tk
JOIN _search_vocab v ON v.word = tk.word
JOIN _search_lengths l ON l.docid = tk.docid
GROUP BY v.termid, tk.docid;

INSERT INTO _search_postings SELECT * FROM _search_new_postings ORDER BY termid, docid;

-- 5. Document frequencies: retired blocks out, new blocks in.
INSERT INTO _search_df_change
SELECT termid, count(*)::INTEGER FROM _search_new_postings GROUP BY termid;

UPDATE _search_terms AS t SET df = t.df + x.change
FROM (SELECT termid, sum(change)::INTEGER AS change FROM _search_df_change GROUP BY termid) x
WHERE t.termid = x.termid AND x.change <> 0;

-- 6. The new blocks, appended in docid order (rowid = docid), with what a hit shows.
INSERT INTO _search_units
SELECT
    b.docid,
    b.unit_id,
    b.kind,
    coalesce(l.len, 0)::INTEGER AS len,
    qs.number AS question_set_number,
    d.number AS document_number,
    b.document_date,
    b.label,
    b.numbers,
    b.text,
    b.document_id,
    b.question_set_id,
    b.document_kind,
    b.printed_in
FROM _search_blocks b
LEFT JOIN _search_lengths l ON l.docid = b.docid
LEFT JOIN documents d ON d.document_id = b.document_id
LEFT JOIN question_sets qs ON qs.question_set_id = b.question_set_id
ORDER BY b.docid;

-- 7. Collection statistics over live blocks; every block counts, also one without words (as in fts).
INSERT INTO _search_stats_change
SELECT count(*), coalesce(sum(coalesce(l.len, 0)), 0)
FROM _search_blocks b LEFT JOIN _search_lengths l ON l.docid = b.docid;

CREATE OR REPLACE TEMP TABLE _search_stats_new AS
SELECT coalesce(s.num_docs, 0) + c.num_docs AS num_docs, coalesce(s.sum_len, 0) + c.sum_len AS sum_len
FROM (SELECT sum(num_docs) AS num_docs, sum(sum_len) AS sum_len FROM _search_stats_change) c
LEFT JOIN _search_stats s ON true;

DELETE FROM _search_stats;
INSERT INTO _search_stats
SELECT num_docs, sum_len, CASE WHEN num_docs > 0 THEN sum_len / num_docs ELSE 0 END::DOUBLE
FROM _search_stats_new;

DROP TABLE _search_leaving;
DROP TABLE _search_df_change;
DROP TABLE _search_stats_change;
DROP TABLE _search_stats_new;
DROP TABLE _search_rows;
DROP TABLE _search_blocks;
DROP TABLE _search_tokens;
DROP TABLE _search_new_words;
DROP TABLE _search_lengths;
DROP TABLE _search_new_postings;
