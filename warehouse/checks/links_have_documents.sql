-- links_have_documents.sql — no orphan links: every question-set link and document reference
-- comes from a text unit of a loaded document (a tombstoned letter takes its links with it).
WITH links AS (
    SELECT unit_id, document_id FROM question_set_links
    UNION ALL
    SELECT unit_id, document_id FROM doc_references
)
SELECT count(*) AS violations,
       coalesce(list(l.unit_id ORDER BY l.unit_id)[1:5], []) AS examples
FROM links l
WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.document_id = l.document_id);
