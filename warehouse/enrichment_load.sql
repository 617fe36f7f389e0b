-- enrichment_load.sql — statements of etl.load.enrichment.load_enrichment, run in one
-- transaction. The staged_* relations are Arrow tables the loader registers for the duration of
-- the load. Every enrichment table is emptied and refilled, so a load is idempotent.
-- Each statement follows a "-- name: <name>" line.

-- name: clear
DELETE FROM theme_links;
DELETE FROM events;
DELETE FROM commitments;
DELETE FROM doc_references;
DELETE FROM question_set_links;
DELETE FROM themes;

-- name: insert_themes
INSERT INTO themes (theme_id, label, description, rules, subjects, theme_file_version, theme_file)
SELECT theme_id, label, description, rules, subjects, theme_file_version, theme_file
FROM staged_themes;

-- name: insert_theme_links
INSERT INTO theme_links (unit_id, document_id, unit_kind, block_index, theme_id, rule, evidence,
                         char_start, char_end, letter_date, theme_file_version)
SELECT unit_id, document_id, unit_kind, block_index, theme_id, rule, evidence,
       char_start, char_end, letter_date, theme_file_version
FROM staged_theme_links;

-- name: insert_events
INSERT INTO events (event_id, unit_id, document_id, unit_kind, kind, theme_id, subject, date_start,
                    date_end, date_text, evidence, char_start, char_end, letter_date)
SELECT event_id, unit_id, document_id, unit_kind, kind, theme_id, subject, date_start,
       date_end, date_text, evidence, char_start, char_end, letter_date
FROM staged_events;

-- name: insert_commitments
INSERT INTO commitments (commitment_id, unit_id, document_id, kind, theme_id, subject, trigger,
                         date_text, due_start, due_end, status, reference_date, evidence,
                         char_start, char_end, letter_date)
SELECT commitment_id, unit_id, document_id, kind, theme_id, subject, trigger,
       date_text, due_start, due_end, status, reference_date, evidence,
       char_start, char_end, letter_date
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
