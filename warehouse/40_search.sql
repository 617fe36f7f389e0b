-- 40_search.sql — full-text search over questions and answers.
--
--   SELECT * FROM search_qa('storing');            -- best matches first
--   SELECT * FROM search_qa('achterstand OM') LIMIT 10;
--
-- Terms are stemmed with the Dutch Snowball stemmer ('storingen' ~ 'storing'), accents and case
-- are ignored, and rows are ranked by BM25 (a row matching more of the terms, or rarer ones,
-- scores higher; any one term is enough to match). Needs the fts extension, which
-- etl.load.warehouse.connect() loads from the duckdb-extension-fts wheel with no network; the
-- index (schemas fts_main_questions / fts_main_answers) is rebuilt by refresh().

CREATE OR REPLACE MACRO search_qa(query_text) AS TABLE
WITH hits AS (
    SELECT 'question' AS kind, question_id AS unit_id, document_id, question_set_id, label, numbers, text,
           fts_main_questions.match_bm25(question_id, query_text) AS score
    FROM questions
    UNION ALL
    SELECT 'answer' AS kind, answer_id AS unit_id, document_id, question_set_id, label, numbers, text,
           fts_main_answers.match_bm25(answer_id, query_text) AS score
    FROM answers
)
SELECT
    h.score,
    h.kind,
    h.unit_id,
    qs.number AS question_set_number,
    d.number AS document_number,
    d.document_date,
    h.label,
    h.numbers,
    h.text,
    h.document_id,
    h.question_set_id
FROM hits h
LEFT JOIN documents d ON d.document_id = h.document_id
LEFT JOIN question_sets qs ON qs.question_set_id = h.question_set_id
WHERE h.score IS NOT NULL
ORDER BY h.score DESC, h.unit_id;
