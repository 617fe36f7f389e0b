-- search_update.sql — bring the full-text index read by search_qa() (40_search.sql) up to
-- date for the sets and documents in _scope_sets / _scope_docs (refresh_scope.sql). A full
-- rebuild is the same file run on an empty index with everything in scope.
--
-- Built for ~1 million blocks with queries under 100 ms and daily updates in well under a
-- second:
--   * Dutch stop words are left out, so no term has postings in every block;
--   * each distinct word is stemmed once, ever: _search_vocab keeps word -> term;
--   * blocks get integer ids (docid) and _search_units is only ever appended to in docid
--     order, so a block's rowid equals its docid and the best few hits are fetched by rowid
--     instead of scanning the text of every block. A changed block is retired (its postings
--     deleted, its docid listed in _search_retired) and appended again under a new docid;
--     refresh() rebuilds the index from nothing once retired blocks pass a quarter of all;
--   * postings (term, block, term frequency, block length) are inserted sorted by term, so a
--     query reads only the row groups of its own terms;
--   * a question printed both in the questions document and in the answer letter is indexed
--     once (one row per question: set + numbers), preferring the questions document, with
--     the kinds of every document that prints it in printed_in;
--   * _search_units repeats what a hit shows (set number, letter date, label, text), so a
--     search touches no other table.

-- 1. Retire the live blocks of the scope.
CREATE OR REPLACE TEMP TABLE _search_leaving AS
SELECT u.docid
FROM _search_units u
WHERE (u.question_set_id IN (SELECT question_set_id FROM _scope_sets)
       OR u.document_id IN (SELECT document_id FROM _scope_docs))
  AND u.docid NOT IN (SELECT docid FROM _search_retired);

CREATE OR REPLACE TEMP TABLE _search_touched AS
SELECT DISTINCT termid FROM _search_postings WHERE docid IN (SELECT docid FROM _search_leaving);

DELETE FROM _search_postings WHERE docid IN (SELECT docid FROM _search_leaving);
INSERT INTO _search_retired SELECT docid FROM _search_leaving;

-- 2. The scope's blocks as they are now, numbered after the last docid ever given.
CREATE OR REPLACE TEMP TABLE _search_blocks AS
WITH candidates AS (
    SELECT q.question_id AS unit_id, 'question' AS kind, q.document_id, q.question_set_id,
           q.label, q.numbers, q.text, q.block_index
    FROM questions q
    WHERE q.question_set_id IN (SELECT question_set_id FROM _scope_sets)
       OR q.document_id IN (SELECT document_id FROM _scope_docs)
    UNION ALL
    SELECT a.answer_id, 'answer', a.document_id, a.question_set_id, a.label, a.numbers, a.text, a.block_index
    FROM answers a
    WHERE a.question_set_id IN (SELECT question_set_id FROM _scope_sets)
       OR a.document_id IN (SELECT document_id FROM _scope_docs)
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
chosen AS (
    SELECT *,
           list(DISTINCT document_kind) FILTER (WHERE document_kind IS NOT NULL)
               OVER (PARTITION BY copy_key) AS printed_in
    FROM described
    QUALIFY row_number() OVER (
        PARTITION BY copy_key
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

INSERT INTO _search_postings
SELECT v.termid, tk.docid, count(*)::INTEGER AS tf, any_value(l.len) AS len
FROM _search_tokens tk
JOIN _search_vocab v ON v.word = tk.word
JOIN _search_lengths l ON l.docid = tk.docid
GROUP BY v.termid, tk.docid
ORDER BY v.termid, tk.docid;

-- 5. Document frequencies of every term that lost or gained postings.
INSERT INTO _search_touched
SELECT DISTINCT v.termid FROM _search_tokens tk JOIN _search_vocab v ON v.word = tk.word;

CREATE OR REPLACE TEMP TABLE _search_df AS
SELECT t.termid, count(p.docid)::INTEGER AS df
FROM (SELECT DISTINCT termid FROM _search_touched) t
LEFT JOIN _search_postings p ON p.termid = t.termid
GROUP BY t.termid;

UPDATE _search_terms AS t SET df = x.df
FROM _search_df x
WHERE t.termid = x.termid AND t.df IS DISTINCT FROM x.df;

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

-- 7. Collection statistics over live blocks. Every block counts, also one without words (as in fts).
DELETE FROM _search_stats;
INSERT INTO _search_stats
SELECT count(*) AS num_docs, coalesce(avg(len), 0)::DOUBLE AS avgdl
FROM _search_units
WHERE docid NOT IN (SELECT docid FROM _search_retired);

DROP TABLE _search_leaving;
DROP TABLE _search_touched;
DROP TABLE _search_blocks;
DROP TABLE _search_tokens;
DROP TABLE _search_new_words;
DROP TABLE _search_lengths;
DROP TABLE _search_df;
