-- load_metadata.sql — upsert API metadata handed over as Arrow tables registered on the
-- connection: incoming_question_sets, incoming_documents, incoming_document_links,
-- incoming_actors (each already de-duplicated on its id, last record wins).
-- Upserts replace only metadata columns: a document's file/parse columns and every derived
-- column survive a metadata reload. Run inside one transaction by etl.load.warehouse.

-- Only what differs from the stored rows is upserted and queued for refresh(): a run that
-- brings the same metadata again (every run hands over the whole raw store) then costs little.
-- A set or document differs when it is new or one of its API columns changed (the columns
-- the upserts below replace); a document also when its links changed; an actor when new or
-- changed (EXCEPT compares NULLs as equal); its set before and after is queued.
CREATE OR REPLACE TEMP TABLE _changed_sets AS
SELECT i.id
FROM incoming_question_sets i
LEFT JOIN question_sets q ON q.question_set_id = i.id
WHERE q.question_set_id IS NULL
   OR i.number IS DISTINCT FROM q.number OR i.kind IS DISTINCT FROM q.kind
   OR i.subject IS DISTINCT FROM q.subject OR i.submitted_on IS DISTINCT FROM q.submitted_on
   OR i.session IS DISTINCT FROM q.session OR i.changed_at IS DISTINCT FROM q.changed_at;

CREATE OR REPLACE TEMP TABLE _changed_documents AS
SELECT i.id
FROM incoming_documents i
LEFT JOIN documents d ON d.document_id = i.id
WHERE d.document_id IS NULL
   OR i.number IS DISTINCT FROM d.number OR i.kind IS DISTINCT FROM d.kind
   OR i.subject IS DISTINCT FROM d.subject OR i.date IS DISTINCT FROM d.document_date
   OR i.session IS DISTINCT FROM d.session OR i.content_type IS DISTINCT FROM d.declared_content_type
   OR i.content_length IS DISTINCT FROM d.declared_content_length OR i.koop_id IS DISTINCT FROM d.koop_id
   OR i.appendix_number IS DISTINCT FROM d.appendix_number OR i.changed_at IS DISTINCT FROM d.changed_at
   OR i.source_changed_at IS DISTINCT FROM d.source_changed_at
UNION
SELECT document_id FROM (
    (SELECT document_id, question_set_id, position FROM incoming_document_links
     EXCEPT
     SELECT document_id, question_set_id, position FROM document_question_sets
     WHERE document_id IN (SELECT id FROM incoming_documents))
    UNION ALL
    (SELECT document_id, question_set_id, position FROM document_question_sets
     WHERE document_id IN (SELECT id FROM incoming_documents)
     EXCEPT
     SELECT document_id, question_set_id, position FROM incoming_document_links)
);

CREATE OR REPLACE TEMP TABLE _changed_actors AS
SELECT id FROM (
    SELECT id, question_set_id, name, party, function, relation, changed_at FROM incoming_actors
    EXCEPT
    SELECT actor_id, question_set_id, name, party, function, relation, changed_at FROM actors
);

-- What refresh() must recompute: the changed sets and documents, the sets a changed document
-- was linked to before this load and the ones it is linked to now, and the sets of changed actors.
INSERT INTO _refresh_queue (question_set_id, document_id)
SELECT id, NULL FROM _changed_sets
UNION ALL SELECT NULL, id FROM _changed_documents
UNION ALL SELECT question_set_id, NULL FROM incoming_document_links WHERE document_id IN (SELECT id FROM _changed_documents)
UNION ALL SELECT question_set_id, NULL FROM document_question_sets WHERE document_id IN (SELECT id FROM _changed_documents)
UNION ALL SELECT question_set_id, NULL FROM incoming_actors WHERE id IN (SELECT id FROM _changed_actors)
UNION ALL SELECT question_set_id, NULL FROM actors WHERE actor_id IN (SELECT id FROM _changed_actors);

-- Upsert = delete-and-insert of the merged row: API columns from the incoming record, the
-- rest (derived, file and parse columns) carried over from the stored row.
CREATE OR REPLACE TEMP TABLE _question_sets_merged AS
SELECT q.* REPLACE (
    i.id AS question_set_id, i.number AS number, i.kind AS kind, i.subject AS subject,
    i.submitted_on AS submitted_on, i.session AS session, i.changed_at AS changed_at)
FROM incoming_question_sets i
LEFT JOIN question_sets q ON q.question_set_id = i.id
WHERE i.id IN (SELECT id FROM _changed_sets);

DELETE FROM question_sets WHERE question_set_id IN (SELECT id FROM _changed_sets);
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
LEFT JOIN documents d ON d.document_id = i.id
WHERE i.id IN (SELECT id FROM _changed_documents);

DELETE FROM documents WHERE document_id IN (SELECT id FROM _changed_documents);
INSERT INTO documents BY NAME SELECT * FROM _documents_merged;
DROP TABLE _documents_merged;

-- A document's links are replaced as a whole: the API record carries the full list.
DELETE FROM document_question_sets
WHERE document_id IN (SELECT id FROM _changed_documents);

INSERT INTO document_question_sets (document_id, question_set_id, position)
SELECT document_id, question_set_id, position
FROM incoming_document_links
WHERE document_id IN (SELECT id FROM _changed_documents);

DELETE FROM actors WHERE actor_id IN (SELECT id FROM _changed_actors);

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
FROM incoming_actors
WHERE id IN (SELECT id FROM _changed_actors);

DROP TABLE _changed_sets;
DROP TABLE _changed_documents;
DROP TABLE _changed_actors;
