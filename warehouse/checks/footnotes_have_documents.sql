-- footnotes_have_documents.sql — no orphan footnotes: each belongs to a loaded document.
SELECT count(*) AS violations,
       coalesce(list(f.footnote_id ORDER BY f.footnote_id)[1:5], []) AS examples
FROM footnotes f
WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.document_id = f.document_id);
