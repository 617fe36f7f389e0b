-- refresh_scope.sql — which question sets and documents this refresh() recomputes, as two
-- temp tables the other refresh files filter on: _scope_sets(question_set_id) and
-- _scope_docs(document_id). Run after refresh_params.sql.
--
-- Full rebuild: everything. Incremental: what the loads queued in _refresh_queue, closed
-- under the dependencies of the derived rows:
--   * a queued document's sets, now and as its parsed rows were attributed before (a link
--     that moved leaves pairs behind on the old set);
--   * every document of a scope set (a document's derived columns read its sets' numbers,
--     and a set's status reads all its documents).

CREATE OR REPLACE TEMP TABLE _scope_docs AS
SELECT document_id FROM documents WHERE (SELECT full_rebuild FROM refresh_params)
UNION
SELECT document_id FROM _refresh_queue WHERE document_id IS NOT NULL;

CREATE OR REPLACE TEMP TABLE _scope_sets AS
SELECT question_set_id FROM question_sets WHERE (SELECT full_rebuild FROM refresh_params)
UNION
SELECT question_set_id FROM _refresh_queue WHERE question_set_id IS NOT NULL
UNION
SELECT question_set_id FROM document_question_sets WHERE document_id IN (SELECT document_id FROM _scope_docs)
UNION
SELECT question_set_id FROM questions
WHERE document_id IN (SELECT document_id FROM _scope_docs) AND question_set_id IS NOT NULL
UNION
SELECT question_set_id FROM answers
WHERE document_id IN (SELECT document_id FROM _scope_docs) AND question_set_id IS NOT NULL;

INSERT INTO _scope_docs
SELECT DISTINCT document_id FROM document_question_sets
WHERE question_set_id IN (SELECT question_set_id FROM _scope_sets)
  AND document_id NOT IN (SELECT document_id FROM _scope_docs);

DELETE FROM _refresh_queue;
