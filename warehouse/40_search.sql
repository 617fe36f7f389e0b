-- 40_search.sql — full-text search over questions and answers.
--
--   SELECT * FROM search_qa('storing');                       -- the 50 best matches
--   SELECT * FROM search_qa('achterstand OM', max_results := 10);
--   SELECT count(*) FROM search_qa('storing', max_results := NULL);  -- every match
--
-- Words are folded like DuckDB's fts extension does (accents stripped, lower case, digits and
-- punctuation are separators) and reduced with the fts extension's Dutch Snowball stemmer
-- (stem(word, 'dutch')), so 'storingen' finds 'storing'. Dutch compounds are found by their
-- head: a query word of five letters or more also matches indexed words that end in it (or in
-- its stem) after a part of at least three letters, allowing an inflection of up to three
-- ('storing' finds 'ICT-verstoring' and 'verstoringen', 'voorraad' finds 'werkvoorraad');
-- such a match weighs 0.8 of an exact one, so exact matches rank first. Rows are ranked with
-- Okapi BM25 (k1 = 1.2, b = 0.75, the formula of fts's match_bm25): a row matching more of the
-- terms, or rarer ones, scores higher; any one term is enough to match. Dutch stop words
-- ('de', 'bij', ...) are ignored; a query of stop words only matches nothing.
--
-- One row per question: a question printed in both the questions document and the answer
-- letter is one hit (document_kind says which copy is shown, printed_in lists both).
--
-- Why not PRAGMA create_fts_index + match_bm25: on ~1 million blocks the PRAGMA stems every
-- token (minutes) and match_bm25 is a per-row correlated macro (seconds per query). Here the
-- index is a term-sorted postings table built by refresh() (search_build.sql) that stems each
-- distinct word once, and the macro reads only the postings of the query's terms and the rows
-- of its best hits.
-- Needs the fts extension for stem(): etl.load.warehouse.connect() places it (from the
-- duckdb-extension-fts wheel, no network) and DuckDB loads it on first use.

-- The fts extension's tokenizer: fold, then split on digits, punctuation and white space.
CREATE OR REPLACE MACRO nl_tokenize(s) AS
    list_filter(
        string_split_regex(
            regexp_replace(lower(strip_accents(CAST(s AS VARCHAR))),
                           '[0-9!@#$%^&*()_+={}\[\]:;<>,.?~\\/\|''"`-]+', ' ', 'g'),
            '\s+'),
        w -> w <> '');

-- Dutch stop words (the Snowball list): too frequent to help ranking, and their postings
-- would make every query slow. Neither indexed nor searched for.
CREATE OR REPLACE TABLE _search_stopwords AS
SELECT word FROM (VALUES
    ('aan'), ('al'), ('alles'), ('als'), ('altijd'), ('andere'), ('ben'), ('bij'), ('daar'), ('dan'), ('dat'), ('de'),
    ('der'), ('deze'), ('die'), ('dit'), ('doch'), ('doen'), ('door'), ('dus'), ('een'), ('eens'), ('en'), ('er'),
    ('ge'), ('geen'), ('geweest'), ('haar'), ('had'), ('heb'), ('hebben'), ('heeft'), ('hem'), ('het'), ('hier'), ('hij'),
    ('hoe'), ('hun'), ('iemand'), ('iets'), ('ik'), ('in'), ('is'), ('ja'), ('je'), ('kan'), ('kon'), ('kunnen'),
    ('maar'), ('me'), ('meer'), ('men'), ('met'), ('mij'), ('mijn'), ('moet'), ('na'), ('naar'), ('niet'), ('niets'),
    ('nog'), ('nu'), ('of'), ('om'), ('omdat'), ('onder'), ('ons'), ('ook'), ('op'), ('over'), ('reeds'), ('te'),
    ('tegen'), ('toch'), ('toen'), ('tot'), ('u'), ('uit'), ('uw'), ('van'), ('veel'), ('voor'), ('want'), ('waren'),
    ('was'), ('wat'), ('werd'), ('wezen'), ('wie'), ('wil'), ('worden'), ('wordt'), ('zal'), ('ze'), ('zelf'), ('zich'),
    ('zij'), ('zijn'), ('zo'), ('zonder'), ('zou')
) AS t(word);

-- Empty index tables so the macro binds on a new warehouse; refresh() fills them
-- (search_update.sql) and drops them for a rebuild (search_reset.sql).
CREATE TABLE IF NOT EXISTS _search_terms (termid INTEGER, term VARCHAR, df INTEGER);
CREATE TABLE IF NOT EXISTS _search_vocab (word VARCHAR, termid INTEGER);
CREATE TABLE IF NOT EXISTS _search_postings (termid INTEGER, docid INTEGER, tf INTEGER, len INTEGER);
CREATE TABLE IF NOT EXISTS _search_units (
    docid INTEGER, unit_id VARCHAR, kind VARCHAR, len INTEGER, question_set_number VARCHAR,
    document_number VARCHAR, document_date DATE, label VARCHAR, numbers VARCHAR[], text VARCHAR,
    document_id VARCHAR, question_set_id VARCHAR, document_kind VARCHAR, printed_in VARCHAR[]);
CREATE TABLE IF NOT EXISTS _search_retired (docid INTEGER);
CREATE TABLE IF NOT EXISTS _search_stats (num_docs BIGINT, sum_len BIGINT, avgdl DOUBLE);
-- A warehouse indexed by an older release: add what the macro reads (the empty vocabulary
-- then makes the next refresh() rebuild the index in this shape).
ALTER TABLE _search_units ADD COLUMN IF NOT EXISTS document_kind VARCHAR;
ALTER TABLE _search_units ADD COLUMN IF NOT EXISTS printed_in VARCHAR[];
ALTER TABLE _search_stats ADD COLUMN IF NOT EXISTS sum_len BIGINT;

-- max_results defaults to 50: up to 50 hits DuckDB fetches the winning blocks by rowid
-- (dynamic_or_filter_threshold); more hits cost a scan of every block's text.
CREATE OR REPLACE MACRO search_qa(query_text, max_results := 50) AS TABLE
WITH query_words AS (
    SELECT DISTINCT w
    FROM (SELECT unnest(nl_tokenize(query_text)) AS w)
    WHERE w NOT IN (SELECT word FROM _search_stopwords)
),
query_parts AS (
    -- what a compound may end in: the word as typed and its stem (five letters or more)
    SELECT DISTINCT p
    FROM (SELECT w AS p FROM query_words UNION ALL SELECT stem(w, 'dutch') FROM query_words)
    WHERE length(p) >= 5 AND regexp_full_match(p, '[a-z]+')
),
matched AS (
    SELECT t.termid, 1.0 AS weight
    FROM _search_terms t
    WHERE t.term IN (SELECT stem(w, 'dutch') FROM query_words)
    UNION ALL
    SELECT v.termid, 0.8
    FROM _search_vocab v, query_parts q
    WHERE contains(v.word, q.p) AND regexp_full_match(v.word, '.{3,}' || q.p || '.{0,3}')
),
query_terms AS (
    SELECT t.termid, t.df, max(m.weight) AS weight
    FROM matched m
    JOIN _search_terms t ON t.termid = m.termid
    GROUP BY t.termid, t.df
),
hits AS (
    SELECT
        p.docid,
        sum(
            q.weight
            * log(((st.num_docs - q.df) + 0.5) / (q.df + 0.5) + 1)
            * (p.tf * (1.2 + 1)) / (p.tf + 1.2 * ((1 - 0.75) + 0.75 * (p.len / st.avgdl)))
        ) AS score
    FROM _search_postings p
    JOIN query_terms q ON q.termid = p.termid
    CROSS JOIN _search_stats st
    WHERE p.docid NOT IN (SELECT docid FROM _search_retired)  -- blocks replaced since the last rebuild
    GROUP BY p.docid
),
top_hits AS (
    SELECT docid, score FROM hits ORDER BY score DESC, docid LIMIT max_results
)
SELECT
    h.score,
    u.kind,
    u.unit_id,
    u.question_set_number,
    u.document_number,
    u.document_date,
    u.label,
    u.numbers,
    u.text,
    u.document_id,
    u.question_set_id,
    u.document_kind,
    u.printed_in
FROM top_hits h
JOIN _search_units u ON u.rowid = h.docid AND u.docid = h.docid  -- a rowid fetch, checked
ORDER BY h.score DESC, u.unit_id;
