-- enrichment_load.sql — statements of etl.load.enrichment (load_enrichment, enrichment_plan,
-- refresh_commitment_status), each run inside the loader's one transaction. The staged_*
-- relations are Arrow tables the loader registers for the duration of the load:
-- staged_<table> holds the new rows, staged_documents(document_id) the documents whose rows are
-- replaced in an incremental load. A full load empties every enrichment table and refills it;
-- an incremental load deletes and re-inserts the rows of the staged documents only. Both are
-- idempotent. Each statement follows a "-- name: <name>" line; statements with $n parameters
-- are single statements (parameters are bound by the loader).

-- name: clear
DELETE FROM theme_links;
DELETE FROM events;
DELETE FROM commitments;
DELETE FROM doc_references;
DELETE FROM question_set_links;
DELETE FROM themes;
DELETE FROM _enriched_documents;

-- name: clear_documents
-- Incremental load: the rows (and the record) of the staged documents go; tombstoned
-- documents are staged too, so their rows go without new ones coming in.
DELETE FROM theme_links WHERE document_id IN (SELECT document_id FROM staged_documents);
DELETE FROM events WHERE document_id IN (SELECT document_id FROM staged_documents);
DELETE FROM commitments WHERE document_id IN (SELECT document_id FROM staged_documents);
DELETE FROM doc_references WHERE document_id IN (SELECT document_id FROM staged_documents);
DELETE FROM question_set_links WHERE document_id IN (SELECT document_id FROM staged_documents);
DELETE FROM _enriched_documents WHERE document_id IN (SELECT document_id FROM staged_documents);

-- name: insert_themes
INSERT INTO themes (theme_id, label, description, rules, subjects, theme_file_version, theme_file, scope)
SELECT theme_id, label, description, rules, subjects, theme_file_version, theme_file, scope
FROM staged_themes;

-- name: insert_theme_links
INSERT INTO theme_links (unit_id, document_id, unit_kind, block_index, theme_id, rule, evidence,
                         char_start, char_end, letter_date, theme_file_version, scope_evidence)
SELECT unit_id, document_id, unit_kind, block_index, theme_id, rule, evidence,
       char_start, char_end, letter_date, theme_file_version, scope_evidence
FROM staged_theme_links;

-- name: insert_events
-- Staged ids count from 1 in enrichment order; they land above every kept id (no key clash)
-- and renumber_events then gives every row its final number.
INSERT INTO events (event_id, unit_id, document_id, unit_kind, kind, theme_id, subject, date_start,
                    date_end, date_text, evidence, char_start, char_end, letter_date)
SELECT event_id + (SELECT coalesce(max(event_id), 0) FROM events), unit_id, document_id, unit_kind,
       kind, theme_id, subject, date_start, date_end, date_text, evidence, char_start, char_end,
       letter_date
FROM staged_events;

-- name: insert_commitments
INSERT INTO commitments (commitment_id, unit_id, document_id, kind, theme_id, subject, trigger,
                         date_text, due_start, due_end, status, reference_date, evidence,
                         char_start, char_end, letter_date)
SELECT commitment_id + (SELECT coalesce(max(commitment_id), 0) FROM commitments), unit_id,
       document_id, kind, theme_id, subject, trigger, date_text, due_start, due_end, status,
       reference_date, evidence, char_start, char_end, letter_date
FROM staged_commitments;

-- name: insert_references
INSERT INTO doc_references (unit_id, document_id, unit_kind, kind, target, session, chamber, dossier,
                            number, evidence, char_start, char_end)
SELECT unit_id, document_id, unit_kind, kind, target, session, chamber, dossier,
       number, evidence, char_start, char_end
FROM staged_references;

-- name: insert_question_set_links
INSERT INTO question_set_links (unit_id, document_id, target_number, relation, evidence,
                                char_start, char_end)
SELECT unit_id, document_id, target_number, relation, evidence, char_start, char_end
FROM staged_question_set_links;

-- name: renumber_events
-- event_id = row number in the order a full enrichment emits events: letters by document_id,
-- inside a letter in text order (ids of one letter always come from one load, in that order).
-- So an incremental load numbers exactly as a full one. Two steps (negative, then positive)
-- so no intermediate id clashes with the primary key; rows already right are not touched.
UPDATE events SET event_id = r.n
FROM (SELECT event_id AS old, -row_number() OVER (ORDER BY document_id, event_id) AS n FROM events) r
WHERE events.event_id = r.old AND events.event_id <> -r.n;
UPDATE events SET event_id = -event_id WHERE event_id < 0;

-- name: renumber_commitments
-- commitment_id = row number in the order unit_id, char_start (the order enrich_units sorts
-- commitments in), same two steps as renumber_events.
UPDATE commitments SET commitment_id = r.n
FROM (SELECT commitment_id AS old,
             -row_number() OVER (ORDER BY unit_id, char_start, commitment_id) AS n
      FROM commitments) r
WHERE commitments.commitment_id = r.old AND commitments.commitment_id <> -r.n;
UPDATE commitments SET commitment_id = -commitment_id WHERE commitment_id < 0;

-- name: refresh_superseded
-- Judge every commitment on the run's reference date ($1), also those of letters that were not
-- re-enriched, with the one status rule (macro commitment_status, 20_enrichment.sql): a full and
-- an incremental run on the same day give the same rows. A commitment is superseded when a later
-- letter promises a later date on the same named subject (the promises deadline_drift compares);
-- that can change when any letter is loaded, so every row is judged again.
UPDATE commitments
SET superseded_by = (
    SELECT arg_min(e.document_id, e.letter_date)
    FROM events e
    WHERE e.subject = commitments.subject
      AND e.kind IN ('deadline', 'expectation', 'commitment')
      AND e.letter_date > commitments.letter_date
      AND e.date_end > commitments.due_end
)
WHERE subject LIKE '%:%';

-- name: refresh_status
-- Every commitment judged on the run's reference date ($1) with the one rule (after
-- refresh_superseded).
UPDATE commitments
SET reference_date = $1,
    status = commitment_status(due_start, due_end, superseded_by, $1);

-- name: has_documents
-- true when the core table documents exists with the columns a record reads (a bare
-- enrichment database, as in unit tests, has none or a stand-in).
SELECT count(*) = 4 FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'documents'
  AND column_name IN ('file_sha256', 'parser_version', 'document_date', 'letter_date_answered');

-- name: record_all_documents
-- Full load: every document in documents was enriched from its current inputs.
-- $1 theme file version, $2 themes sha256, $3 enricher version, $4 reference date.
INSERT INTO _enriched_documents (document_id, file_sha256, parser_version, letter_date,
                                 theme_file_version, themes_sha256, enricher_version, reference_date)
SELECT document_id, file_sha256, parser_version, coalesce(document_date, letter_date_answered),
       $1, $2, $3, $4
FROM documents;

-- name: record_documents
-- Incremental load: the staged documents still in documents were enriched from their current
-- inputs (same parameters as record_all_documents).
INSERT INTO _enriched_documents (document_id, file_sha256, parser_version, letter_date,
                                 theme_file_version, themes_sha256, enricher_version, reference_date)
SELECT document_id, file_sha256, parser_version, coalesce(document_date, letter_date_answered),
       $1, $2, $3, $4
FROM documents
WHERE document_id IN (SELECT document_id FROM staged_documents);

-- name: plan_records
-- How many documents have a record, and how many of those were enriched with other themes or
-- other enrich code ($1 theme file version, $2 themes sha256, $3 enricher version): when none
-- have a record or any differs, the run re-enriches everything.
SELECT count(*) AS records,
       count(*) FILTER (WHERE theme_file_version IS DISTINCT FROM $1
                           OR themes_sha256 IS DISTINCT FROM $2
                           OR enricher_version IS DISTINCT FROM $3) AS outdated
FROM _enriched_documents;

-- name: stale_documents
-- Documents to (re-)enrich: new, or their file, parser version or letter date changed since
-- their record (the text units of a document depend on nothing else).
SELECT d.document_id
FROM documents d
LEFT JOIN _enriched_documents e ON e.document_id = d.document_id
WHERE e.document_id IS NULL
   OR d.file_sha256 IS DISTINCT FROM e.file_sha256
   OR d.parser_version IS DISTINCT FROM e.parser_version
   OR coalesce(d.document_date, d.letter_date_answered) IS DISTINCT FROM e.letter_date
ORDER BY d.document_id;

-- name: document_ids
-- Every document, for a full enrichment done in batches of letters.
SELECT document_id FROM documents ORDER BY document_id;

-- name: count_documents
SELECT count(*) FROM documents;

-- name: gone_documents
-- Recorded documents no longer in documents (tombstoned): their enrichment rows must go.
SELECT e.document_id
FROM _enriched_documents e
WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.document_id = e.document_id)
ORDER BY e.document_id;
