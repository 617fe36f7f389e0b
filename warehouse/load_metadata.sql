-- load_metadata.sql — upsert API metadata handed over as Arrow tables registered on the
-- connection: incoming_question_sets, incoming_documents, incoming_document_links,
-- incoming_actors (each already de-duplicated on its id, last record wins).
-- Upserts replace only metadata columns: a document's file/parse columns and every derived
-- column survive a metadata reload. Run inside one transaction by etl.load.warehouse.

-- What refresh() must recompute: the incoming sets and documents, the sets a document was
-- linked to before this load and the ones it is linked to now, and the sets of incoming actors.
INSERT INTO _refresh_queue (question_set_id, document_id)
SELECT id, NULL FROM incoming_question_sets
UNION ALL SELECT NULL, id FROM incoming_documents
UNION ALL SELECT question_set_id, NULL FROM incoming_document_links
UNION ALL SELECT question_set_id, NULL FROM document_question_sets WHERE document_id IN (SELECT id FROM incoming_documents)
UNION ALL SELECT question_set_id, NULL FROM incoming_actors;

-- Upsert = delete-and-insert of the merged row: API columns from the incoming record, the
-- rest (derived, file and parse columns) carried over from the stored row.
CREATE OR REPLACE TEMP TABLE _question_sets_merged AS
SELECT q.* REPLACE (
    i.id AS question_set_id, i.number AS number, i.kind AS kind, i.subject AS subject,
    i.submitted_on AS submitted_on, i.session AS session, i.changed_at AS changed_at)
FROM incoming_question_sets i
LEFT JOIN question_sets q ON q.question_set_id = i.id;

DELETE FROM question_sets WHERE question_set_id IN (SELECT id FROM incoming_question_sets);
INSERT INTO question_sets BY NAME SELECT * FROM _question_sets_merged;
DROP TABLE _question_sets_merged;

CREATE OR REPLACE TEMP TABLE _documents_merged AS
SELECT d.* REPLACE (
    i.id AS document_id, i.number AS number, i.kind AS kind, i.subject AS subject,
    i.date AS document_date, i.session AS session, i.content_type AS declared_content_type,
    i.content_length AS declared_content_length, i.koop_id AS koop_id,
    i.appendix_number AS appendix_number, i.changed_at AS changed_at,
    i.source_changed_at AS source_changed_at,
    coalesce(d.parse_status, 'not_parsed') AS parse_status)
FROM incoming_documents i
LEFT JOIN documents d ON d.document_id = i.id;

DELETE FROM documents WHERE document_id IN (SELECT id FROM incoming_documents);
INSERT INTO documents BY NAME SELECT * FROM _documents_merged;
DROP TABLE _documents_merged;

-- A document's links are replaced as a whole: the API record carries the full list.
DELETE FROM document_question_sets
WHERE document_id IN (SELECT id FROM incoming_documents);

INSERT INTO document_question_sets (document_id, question_set_id, position)
SELECT document_id, question_set_id, position
FROM incoming_document_links;

DELETE FROM actors WHERE actor_id IN (SELECT id FROM incoming_actors);

INSERT INTO actors (actor_id, question_set_id, name, party, function, relation, role, ministry, changed_at)
SELECT
    id,
    question_set_id,
    name,
    party,
    function,
    relation,
    CASE lower(trim(relation))
        WHEN 'indiener' THEN 'asker'
        WHEN 'medeindiener' THEN 'co_asker'
        WHEN 'gericht aan' THEN 'addressee'
        ELSE 'other'
    END,
    CASE WHEN lower(trim(relation)) = 'gericht aan'
         THEN nullif(trim(regexp_extract(function, '\b(?:van|voor)\s+(.+)$', 1)), '')
    END,
    changed_at
FROM incoming_actors;
