-- load_metadata.sql — upsert API metadata handed over as Arrow tables registered on the
-- connection: incoming_question_sets, incoming_documents, incoming_document_links,
-- incoming_actors (each already de-duplicated on its id, last record wins).
-- Upserts touch only metadata columns: a document's file/parse columns and every derived
-- column survive a metadata reload. Run inside one transaction by etl.load.warehouse.

INSERT INTO question_sets (question_set_id, number, kind, subject, submitted_on, session, changed_at)
SELECT id, number, kind, subject, submitted_on, session, changed_at
FROM incoming_question_sets
ON CONFLICT (question_set_id) DO UPDATE SET
    number = excluded.number,
    kind = excluded.kind,
    subject = excluded.subject,
    submitted_on = excluded.submitted_on,
    session = excluded.session,
    changed_at = excluded.changed_at;

INSERT INTO documents (document_id, number, kind, subject, document_date, session,
                       declared_content_type, declared_content_length, koop_id, appendix_number,
                       changed_at, source_changed_at)
SELECT id, number, kind, subject, date, session, content_type, content_length, koop_id,
       appendix_number, changed_at, source_changed_at
FROM incoming_documents
ON CONFLICT (document_id) DO UPDATE SET
    number = excluded.number,
    kind = excluded.kind,
    subject = excluded.subject,
    document_date = excluded.document_date,
    session = excluded.session,
    declared_content_type = excluded.declared_content_type,
    declared_content_length = excluded.declared_content_length,
    koop_id = excluded.koop_id,
    appendix_number = excluded.appendix_number,
    changed_at = excluded.changed_at,
    source_changed_at = excluded.source_changed_at;

-- A document's links are replaced as a whole: the API record carries the full list.
DELETE FROM document_question_sets
WHERE document_id IN (SELECT id FROM incoming_documents);

INSERT INTO document_question_sets (document_id, question_set_id, position)
SELECT document_id, question_set_id, position
FROM incoming_document_links;

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
ON CONFLICT (actor_id) DO UPDATE SET
    question_set_id = excluded.question_set_id,
    name = excluded.name,
    party = excluded.party,
    function = excluded.function,
    relation = excluded.relation,
    role = excluded.role,
    ministry = excluded.ministry,
    changed_at = excluded.changed_at;
