-- answer_letters_parsed.sql — every answer letter (Soort starting with 'Antwoord') whose file
-- was loaded has answer blocks, or a parse issue saying why it has none.
-- Returns one row: the number of violations and up to five document ids as examples.
SELECT count(*) AS violations,
       coalesce(list(d.document_id ORDER BY d.document_id)[1:5], []) AS examples
FROM documents d
WHERE d.kind LIKE 'Antwoord%'
  AND d.file_sha256 IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM answers a WHERE a.document_id = d.document_id)
  AND NOT EXISTS (SELECT 1 FROM parse_issues p WHERE p.document_id = d.document_id);
