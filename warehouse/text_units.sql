-- text_units.sql — every piece of letter text the enrich layer reads (etl.models.TextUnit):
-- question and answer blocks, footnotes and closing text, with the letter's date.
-- unit_id scheme: <document_id>:q:<i> / :a:<i> / :fn:<n> / :closing.
-- _wanted_documents: the documents to read (one column, document_id; registered by the caller);
-- $1: TRUE to read every document instead (a full enrichment).
-- Ordered by document, then position in the letter: enrich_units numbers events in this order.

WITH wanted AS (
    SELECT document_id
    FROM documents
    WHERE $1::BOOLEAN
       OR document_id IN (SELECT document_id FROM _wanted_documents)
)
SELECT unit_id, document_id, kind, numbers, text, letter_date
FROM (
    SELECT q.question_id AS unit_id, q.document_id, 'question' AS kind, q.numbers, q.text,
           coalesce(d.document_date, d.letter_date_answered) AS letter_date, 0 AS kind_order, q.block_index AS pos
    FROM questions q JOIN documents d ON d.document_id = q.document_id
    WHERE q.document_id IN (SELECT document_id FROM wanted)
    UNION ALL
    SELECT a.answer_id, a.document_id, 'answer', a.numbers, a.text,
           coalesce(d.document_date, d.letter_date_answered), 1, a.block_index
    FROM answers a JOIN documents d ON d.document_id = a.document_id
    WHERE a.document_id IN (SELECT document_id FROM wanted)
    UNION ALL
    SELECT f.footnote_id, f.document_id, 'footnote', []::VARCHAR[], f.text,
           coalesce(d.document_date, d.letter_date_answered), 2, f.position
    FROM footnotes f JOIN documents d ON d.document_id = f.document_id
    WHERE f.document_id IN (SELECT document_id FROM wanted)
    UNION ALL
    SELECT d.document_id || ':closing', d.document_id, 'closing', []::VARCHAR[], d.closing,
           coalesce(d.document_date, d.letter_date_answered), 3, 0
    FROM documents d
    WHERE d.closing IS NOT NULL AND d.closing <> ''
      AND d.document_id IN (SELECT document_id FROM wanted)
)
ORDER BY document_id, kind_order, pos;
