-- letter_names.sql — a readable name per letter (publication id, else document number, else id).
SELECT document_id, coalesce(koop_id, number, document_id) AS letter_name
FROM documents;
