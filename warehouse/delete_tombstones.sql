-- delete_tombstones.sql — remove what the API deleted. Registered Arrow tables:
-- doomed_documents(id), doomed_question_sets(id), doomed_actors(id).
-- A deleted document takes everything parsed from it along; a deleted question set takes its
-- actors and links (its documents have their own tombstones). Derived tables (qa_pairs,
-- response_times, derived columns) follow at the next refresh().

-- Queue for refresh(): the doomed documents, their sets, the doomed sets and the sets of doomed actors.
INSERT INTO _refresh_queue (question_set_id, document_id)
SELECT NULL, id FROM doomed_documents
UNION ALL SELECT question_set_id, NULL FROM document_question_sets WHERE document_id IN (SELECT id FROM doomed_documents)
UNION ALL SELECT id, NULL FROM doomed_question_sets
UNION ALL SELECT question_set_id, NULL FROM actors WHERE actor_id IN (SELECT id FROM doomed_actors);

DELETE FROM questions WHERE document_id IN (SELECT id FROM doomed_documents);
DELETE FROM answers WHERE document_id IN (SELECT id FROM doomed_documents);
DELETE FROM footnotes WHERE document_id IN (SELECT id FROM doomed_documents);
DELETE FROM parse_issues WHERE document_id IN (SELECT id FROM doomed_documents);
DELETE FROM qa_pairs WHERE answer_document_id IN (SELECT id FROM doomed_documents);
DELETE FROM document_question_sets WHERE document_id IN (SELECT id FROM doomed_documents);
DELETE FROM documents WHERE document_id IN (SELECT id FROM doomed_documents);

DELETE FROM actors WHERE question_set_id IN (SELECT id FROM doomed_question_sets);
DELETE FROM actors WHERE actor_id IN (SELECT id FROM doomed_actors);
DELETE FROM document_question_sets WHERE question_set_id IN (SELECT id FROM doomed_question_sets);
DELETE FROM qa_pairs WHERE question_set_id IN (SELECT id FROM doomed_question_sets);
DELETE FROM response_times WHERE question_set_id IN (SELECT id FROM doomed_question_sets);
DELETE FROM question_sets WHERE question_set_id IN (SELECT id FROM doomed_question_sets);
