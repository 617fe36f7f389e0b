-- 20_enrichment.sql — what the enrich layer (etl.enrich) found in the letter text: themes,
-- theme links, the timeline of events, commitments and expectations, references and
-- follow-up chains between question sets, plus the deadline_drift view.
-- Re-runnable: CREATE ... IF NOT EXISTS / CREATE OR REPLACE VIEW / COMMENT ON.
-- Written only by etl.load.enrichment.load_enrichment: either every row is replaced, or only the
-- rows of some documents (incremental run), always in one transaction together with the
-- internal bookkeeping table _enriched_documents below.
-- Every row keeps its evidence: the exact text and its character offsets [char_start, char_end)
-- inside the unit's text (answers.text, questions.text, footnotes.text or documents.closing).
-- unit_id is the same id as questions.question_id / answers.answer_id: <document_id>:q:<i>,
-- <document_id>:a:<i>, <document_id>:fn:<n>, <document_id>:closing.

CREATE TABLE IF NOT EXISTS themes (
    theme_id            VARCHAR PRIMARY KEY,
    label               VARCHAR NOT NULL,
    description         VARCHAR,
    rules               VARCHAR[],
    subjects            VARCHAR[],
    theme_file_version  VARCHAR NOT NULL,
    theme_file          VARCHAR,
    scope               VARCHAR
);
-- Warehouses made before themes had scopes get the column (no-op on new ones).
ALTER TABLE themes ADD COLUMN IF NOT EXISTS scope VARCHAR;
COMMENT ON TABLE themes IS 'Theme definitions from the versioned theme file (etl/enrich/themes.toml or an analyst''s own file).';
COMMENT ON COLUMN themes.theme_id IS 'Stable theme id, e.g. ict_incidents, backlogs, strafvordering.';
COMMENT ON COLUMN themes.label IS 'Human-readable Dutch label.';
COMMENT ON COLUMN themes.description IS 'What the theme covers.';
COMMENT ON COLUMN themes.rules IS 'Matching rules as kind:term (stem:verstoring, word:ict, acronym:OM, phrase:nieuwe wetboek, pattern:1); supported:kind:term = a rule that counts only with the scope close by.';
COMMENT ON COLUMN themes.subjects IS 'Named subjects within the theme (name=stem|stem) that deadline_drift groups on.';
COMMENT ON COLUMN themes.theme_file_version IS 'The version string of the theme file these links were made with.';
COMMENT ON COLUMN themes.theme_file IS 'Path of the theme file that was loaded.';
COMMENT ON COLUMN themes.scope IS 'What the theme must be about beyond its words: general, or scope_id: label (names, ministries), e.g. ''om: Het Openbaar Ministerie''.';

CREATE TABLE IF NOT EXISTS theme_links (
    unit_id             VARCHAR NOT NULL,
    document_id         VARCHAR NOT NULL,
    unit_kind           VARCHAR NOT NULL,
    block_index         INTEGER,
    theme_id            VARCHAR NOT NULL,
    rule                VARCHAR NOT NULL,
    evidence            VARCHAR NOT NULL,
    char_start          INTEGER NOT NULL,
    char_end            INTEGER NOT NULL,
    letter_date         DATE,
    theme_file_version  VARCHAR,
    scope_evidence      VARCHAR,
    PRIMARY KEY (unit_id, theme_id)
);
ALTER TABLE theme_links ADD COLUMN IF NOT EXISTS scope_evidence VARCHAR;
COMMENT ON TABLE theme_links IS 'A question, answer, footnote or closing text is about a theme: one row per unit and theme, with the first rule that fired.';
COMMENT ON COLUMN theme_links.unit_id IS 'The text unit (= questions.question_id / answers.answer_id for question and answer blocks).';
COMMENT ON COLUMN theme_links.document_id IS 'The letter (documents.document_id).';
COMMENT ON COLUMN theme_links.unit_kind IS 'question, answer, footnote or closing.';
COMMENT ON COLUMN theme_links.block_index IS 'Block position in the letter (0-based) for questions and answers, else NULL.';
COMMENT ON COLUMN theme_links.theme_id IS 'themes.theme_id.';
COMMENT ON COLUMN theme_links.rule IS 'The rule that fired, kind:term (e.g. stem:verstoring matched "ICT-verstoringen"; supported:stem:storing = a common word admitted by its scope close by).';
COMMENT ON COLUMN theme_links.evidence IS 'The matched text exactly as printed.';
COMMENT ON COLUMN theme_links.char_start IS 'Start offset of the evidence in the unit text (0-based).';
COMMENT ON COLUMN theme_links.char_end IS 'End offset (exclusive) of the evidence in the unit text.';
COMMENT ON COLUMN theme_links.letter_date IS 'Date of the letter the unit belongs to (for date-ordered theme histories).';
COMMENT ON COLUMN theme_links.theme_file_version IS 'Version of the theme file that made the link.';
COMMENT ON COLUMN theme_links.scope_evidence IS 'Why the theme''s scope admitted the link, level:text: general (the theme has no scope), block:OM (a scope name in the block), neighbours:OM (a:3) (in the previous/next block or the paired question/answer), title:Openbaar Ministerie (in the letter title), letter:OM (q:2) (elsewhere in the letter; main rules only), context (a context stem in a letter already linked).';

CREATE TABLE IF NOT EXISTS events (
    event_id            INTEGER PRIMARY KEY,
    unit_id             VARCHAR NOT NULL,
    document_id         VARCHAR NOT NULL,
    unit_kind           VARCHAR NOT NULL,
    kind                VARCHAR NOT NULL,
    theme_id            VARCHAR,
    subject             VARCHAR,
    date_start          DATE,
    date_end            DATE,
    date_text           VARCHAR NOT NULL,
    evidence            VARCHAR NOT NULL,
    char_start          INTEGER NOT NULL,
    char_end            INTEGER NOT NULL,
    letter_date         DATE
);
COMMENT ON TABLE events IS 'Timeline: dated statements in questions and answers, classified as incident, deadline, expectation, commitment or figure.';
COMMENT ON COLUMN events.event_id IS 'Row number in the order document_id, then position in the letter (renumbered at each load: not stable when letters change).';
COMMENT ON COLUMN events.unit_id IS 'The question or answer block the statement is in.';
COMMENT ON COLUMN events.document_id IS 'The letter (documents.document_id).';
COMMENT ON COLUMN events.unit_kind IS 'question or answer.';
COMMENT ON COLUMN events.kind IS 'incident, deadline, expectation, commitment or figure.';
COMMENT ON COLUMN events.theme_id IS 'Theme of the sentence (earliest theme hit in it; else the unit''s only theme); NULL when unknown.';
COMMENT ON COLUMN events.subject IS 'theme_id or theme_id:subject (see themes.subjects); what deadline_drift compares.';
COMMENT ON COLUMN events.date_start IS 'First day of the date range (inclusive); NULL for a vague phrase.';
COMMENT ON COLUMN events.date_end IS 'Last day of the date range (inclusive); NULL for a vague phrase.';
COMMENT ON COLUMN events.date_text IS 'The date phrase as printed ("in het eerste kwartaal van 2026").';
COMMENT ON COLUMN events.evidence IS 'The sentence the statement is in.';
COMMENT ON COLUMN events.char_start IS 'Start offset of the sentence in the unit text.';
COMMENT ON COLUMN events.char_end IS 'End offset (exclusive) of the sentence in the unit text.';
COMMENT ON COLUMN events.letter_date IS 'Date of the letter (the date a promise was made).';

CREATE TABLE IF NOT EXISTS commitments (
    commitment_id       INTEGER PRIMARY KEY,
    unit_id             VARCHAR NOT NULL,
    document_id         VARCHAR NOT NULL,
    kind                VARCHAR NOT NULL,
    theme_id            VARCHAR,
    subject             VARCHAR,
    trigger             VARCHAR,
    date_text           VARCHAR,
    due_start           DATE,
    due_end             DATE,
    status              VARCHAR NOT NULL,
    reference_date      DATE NOT NULL,
    evidence            VARCHAR NOT NULL,
    char_start          INTEGER NOT NULL,
    char_end            INTEGER NOT NULL,
    letter_date         DATE,
    superseded_by       VARCHAR
);
ALTER TABLE commitments ADD COLUMN IF NOT EXISTS superseded_by VARCHAR;
COMMENT ON TABLE commitments IS 'Promises ("ik informeer uw Kamer voor de zomer") and expectations ("het OM verwacht dat ...") stated in answers.';
COMMENT ON COLUMN commitments.commitment_id IS 'Row number in the order unit_id, char_start (renumbered at each load: not stable when letters change).';
COMMENT ON COLUMN commitments.unit_id IS 'The answer block (answers.answer_id).';
COMMENT ON COLUMN commitments.document_id IS 'The letter (documents.document_id).';
COMMENT ON COLUMN commitments.kind IS 'commitment (the government promises) or expectation (something is expected to happen).';
COMMENT ON COLUMN commitments.theme_id IS 'Theme of the sentence, NULL when none.';
COMMENT ON COLUMN commitments.subject IS 'theme_id or theme_id:subject; what deadline_drift compares.';
COMMENT ON COLUMN commitments.trigger IS 'The words that made the sentence a commitment ("ik informeer", "verwacht").';
COMMENT ON COLUMN commitments.date_text IS 'The due date phrase as printed; empty when the promise names no date; a vague phrase ("de komende jaren") has no due dates.';
COMMENT ON COLUMN commitments.due_start IS 'First day of the due range (inclusive).';
COMMENT ON COLUMN commitments.due_end IS 'Last day of the due range (inclusive).';
COMMENT ON COLUMN commitments.status IS 'superseded (a later letter promised a later date on the same subject: superseded_by), else open (before due_start or undated), due (inside the range) or overdue (after due_end) on reference_date; see commitments_today for the status on the current date.';
COMMENT ON COLUMN commitments.superseded_by IS 'The later letter (documents.document_id) that promised a later date on the same named subject (theme:subject, as deadline_drift compares); NULL when none.';
COMMENT ON COLUMN commitments.reference_date IS 'The day status was judged on: the reference date of the last enrichment run (every row is re-judged at each run, also rows of letters that were not re-enriched).';
COMMENT ON COLUMN commitments.evidence IS 'The sentence.';
COMMENT ON COLUMN commitments.char_start IS 'Start offset of the sentence in the answer text.';
COMMENT ON COLUMN commitments.char_end IS 'End offset (exclusive) of the sentence in the answer text.';
COMMENT ON COLUMN commitments.letter_date IS 'Date of the letter the promise was made in.';

CREATE TABLE IF NOT EXISTS doc_references (
    unit_id             VARCHAR NOT NULL,
    document_id         VARCHAR NOT NULL,
    unit_kind           VARCHAR NOT NULL,
    kind                VARCHAR NOT NULL,
    target              VARCHAR NOT NULL,
    session             VARCHAR,
    chamber             VARCHAR,
    dossier             VARCHAR,
    number              VARCHAR,
    evidence            VARCHAR NOT NULL,
    char_start          INTEGER NOT NULL,
    char_end            INTEGER NOT NULL
);
COMMENT ON TABLE doc_references IS 'Citations in letters: Kamerstukken, Aanhangsel van de Handelingen, Handelingen, question set and document numbers.';
COMMENT ON COLUMN doc_references.unit_id IS 'The unit the citation is in (footnotes: <document_id>:fn:<n>).';
COMMENT ON COLUMN doc_references.document_id IS 'The citing letter.';
COMMENT ON COLUMN doc_references.unit_kind IS 'question, answer, footnote or closing.';
COMMENT ON COLUMN doc_references.kind IS 'kamerstuk, aanhangsel, handelingen, question_set or document.';
COMMENT ON COLUMN doc_references.target IS 'Normalised id: kst-<dossier>-<nr>, ah-tk-<session>-<nr> (= documents.koop_id of an answer), h-tk-<session>-<nr>[-<item>], or the number itself (2025Z20552, 2025D48811).';
COMMENT ON COLUMN doc_references.session IS 'Parliamentary session (vergaderjaar) as 2024-2025.';
COMMENT ON COLUMN doc_references.chamber IS 'I (Eerste Kamer) or II (Tweede Kamer).';
COMMENT ON COLUMN doc_references.dossier IS 'Kamerstuk dossier number, with its part (36600-VI).';
COMMENT ON COLUMN doc_references.number IS 'Number within the dossier or publication series; the number itself for question sets.';
COMMENT ON COLUMN doc_references.evidence IS 'The citation as printed.';
COMMENT ON COLUMN doc_references.char_start IS 'Start offset in the unit text.';
COMMENT ON COLUMN doc_references.char_end IS 'End offset (exclusive) in the unit text.';

CREATE TABLE IF NOT EXISTS question_set_links (
    unit_id             VARCHAR NOT NULL,
    document_id         VARCHAR NOT NULL,
    target_number       VARCHAR NOT NULL,
    relation            VARCHAR NOT NULL,
    evidence            VARCHAR NOT NULL,
    char_start          INTEGER NOT NULL,
    char_end            INTEGER NOT NULL
);
COMMENT ON TABLE question_set_links IS 'Follow-up chains: a letter cites an earlier question set (one row per letter and cited set).';
COMMENT ON COLUMN question_set_links.unit_id IS 'The unit the citation is in (often <document_id>:closing, the "Toelichting").';
COMMENT ON COLUMN question_set_links.document_id IS 'The citing letter; its own question set(s) are in document_question_sets.';
COMMENT ON COLUMN question_set_links.target_number IS 'The cited question set number (question_sets.number), e.g. 2025Z20552.';
COMMENT ON COLUMN question_set_links.relation IS 'follow_up (the text says these questions add to / follow earlier ones) or cites.';
COMMENT ON COLUMN question_set_links.evidence IS 'The sentence up to and including the cited number.';
COMMENT ON COLUMN question_set_links.char_start IS 'Start offset of the evidence in the unit text.';
COMMENT ON COLUMN question_set_links.char_end IS 'End offset (exclusive) of the evidence in the unit text.';

-- Internal (name starts with '_', so no analyst relation and not exported): what each document
-- was enriched from. etl.pipeline.link_themes re-enriches a document only when its file, parser
-- version or letter date differs from this record (or it has none); a different theme file
-- (version or content) or enrich code re-enriches every document; a document that left
-- documents (tombstone) loses its enrichment rows and its record.
CREATE TABLE IF NOT EXISTS _enriched_documents (
    document_id         VARCHAR PRIMARY KEY,  -- documents.document_id
    file_sha256         VARCHAR,              -- documents.file_sha256 the units were parsed from (NULL: no file)
    parser_version      VARCHAR,              -- documents.parser_version of those units
    letter_date         DATE,                 -- the units' letter_date (document_date, else letter_date_answered)
    theme_file_version  VARCHAR,              -- the theme file's version string
    themes_sha256       VARCHAR,              -- etl.enrich.themes.themes_fingerprint of the themes used
    enricher_version    VARCHAR,              -- etl.enrich.ENRICHER_VERSION (hash of the enrich code)
    reference_date      DATE                  -- reference date of the run that enriched the document
);
COMMENT ON TABLE _enriched_documents IS 'Internal: per document, the inputs its enrichment rows were computed from (incremental enrichment).';

-- THE status rule of a commitment, used for commitments.status (judged on each run's reference
-- date, enrichment_load.sql: refresh_status) and commitments_today.status_today (current_date).
-- superseded: a later letter promised a later date on the same named subject (superseded_by).
-- etl.enrich.commitments.status_of is the per-letter provisional status of the in-memory
-- records (no later letters known); a test keeps the two equal on unsuperseded rows.
CREATE OR REPLACE MACRO commitment_status(due_start, due_end, superseded_by, day) AS
    CASE
        WHEN superseded_by IS NOT NULL THEN 'superseded'
        WHEN due_end IS NOT NULL AND day > due_end THEN 'overdue'
        WHEN due_start IS NOT NULL AND day >= due_start THEN 'due'
        WHEN due_start IS NULL AND due_end IS NOT NULL AND day = due_end THEN 'due'
        ELSE 'open'
    END;

-- The status of every commitment on the day the query runs (the table's status is judged at load).
CREATE OR REPLACE VIEW commitments_today AS
SELECT
    c.*,
    commitment_status(c.due_start, c.due_end, c.superseded_by, current_date) AS status_today
FROM commitments c;
COMMENT ON VIEW commitments_today IS 'commitments with status_today: open / due / overdue / superseded judged on current_date.';
-- The view repeats every column of commitments; each keeps the table's description.
COMMENT ON COLUMN commitments_today.commitment_id IS 'Row number in the order unit_id, char_start (renumbered at each load: not stable when letters change).';
COMMENT ON COLUMN commitments_today.unit_id IS 'The answer block (answers.answer_id).';
COMMENT ON COLUMN commitments_today.document_id IS 'The letter (documents.document_id).';
COMMENT ON COLUMN commitments_today.kind IS 'commitment (the government promises) or expectation (something is expected to happen).';
COMMENT ON COLUMN commitments_today.theme_id IS 'Theme of the sentence, NULL when none.';
COMMENT ON COLUMN commitments_today.subject IS 'theme_id or theme_id:subject; what deadline_drift compares.';
COMMENT ON COLUMN commitments_today.trigger IS 'The words that made the sentence a commitment ("ik informeer", "verwacht").';
COMMENT ON COLUMN commitments_today.date_text IS 'The due date phrase as printed; empty when the promise names no date; a vague phrase ("de komende jaren") has no due dates.';
COMMENT ON COLUMN commitments_today.due_start IS 'First day of the due range (inclusive).';
COMMENT ON COLUMN commitments_today.due_end IS 'Last day of the due range (inclusive).';
COMMENT ON COLUMN commitments_today.status IS 'superseded (a later letter promised a later date on the same subject: superseded_by), else open (before due_start or undated), due (inside the range) or overdue (after due_end) on reference_date; see commitments_today for the status on the current date.';
COMMENT ON COLUMN commitments_today.reference_date IS 'The day status was judged on: the reference date of the last enrichment run.';
COMMENT ON COLUMN commitments_today.evidence IS 'The sentence.';
COMMENT ON COLUMN commitments_today.char_start IS 'Start offset of the sentence in the answer text.';
COMMENT ON COLUMN commitments_today.char_end IS 'End offset (exclusive) of the sentence in the answer text.';
COMMENT ON COLUMN commitments_today.letter_date IS 'Date of the letter the promise was made in.';
COMMENT ON COLUMN commitments_today.status_today IS 'superseded (a later letter promised a later date on the same subject), else open (before due_start or undated), due (inside the due range), overdue (after due_end) on current_date.';
COMMENT ON COLUMN commitments_today.superseded_by IS 'The later letter (documents.document_id) that promised a later date on the same named subject; NULL when none.';

-- Deadline drift: per named subject (theme:subject, see themes.subjects), the promised date of
-- each letter compared with the previous letter that promised something about the same subject. One letter may state several dates for a
-- subject; the latest-ending one is its promise.
CREATE OR REPLACE VIEW deadline_drift AS
WITH promises AS (
    SELECT subject, theme_id, document_id, unit_id, kind, date_text, date_start, date_end,
           letter_date, evidence
    FROM events
    WHERE kind IN ('deadline', 'expectation', 'commitment')
      AND subject LIKE '%:%'          -- named subjects only (themes.subjects); a bare theme is too broad
      AND date_end IS NOT NULL
),
per_letter AS (
    SELECT subject, document_id,
           arg_max(theme_id, date_end) AS theme_id,
           arg_max(unit_id, date_end) AS unit_id,
           arg_max(kind, date_end) AS kind,
           arg_max(date_text, date_end) AS date_text,
           arg_max(date_start, date_end) AS date_start,
           max(date_end) AS date_end,
           max(letter_date) AS letter_date,
           arg_max(evidence, date_end) AS evidence
    FROM promises
    GROUP BY subject, document_id
),
sequenced AS (
    SELECT *,
           lag(document_id) OVER w AS previous_document_id,
           lag(unit_id) OVER w AS previous_unit_id,
           lag(letter_date) OVER w AS previous_letter_date,
           lag(date_text) OVER w AS previous_date_text,
           lag(date_start) OVER w AS previous_date_start,
           lag(date_end) OVER w AS previous_date_end,
           lag(evidence) OVER w AS previous_evidence
    FROM per_letter
    WINDOW w AS (PARTITION BY subject ORDER BY letter_date NULLS FIRST, document_id)
)
SELECT subject, theme_id,
       previous_document_id, previous_unit_id, previous_letter_date, previous_date_text,
       previous_date_start, previous_date_end,
       document_id, unit_id, letter_date, kind, date_text, date_start, date_end,
       date_end - previous_date_end AS shift_days,
       CASE WHEN date_end > previous_date_end THEN 'later' ELSE 'earlier' END AS direction,
       previous_evidence, evidence
FROM sequenced
WHERE previous_date_end IS NOT NULL AND date_end <> previous_date_end;
COMMENT ON VIEW deadline_drift IS 'Promised dates that moved: for each subject, a letter whose promised date differs from the previous letter''s promise on the same subject.';
COMMENT ON COLUMN deadline_drift.subject IS 'theme_id:subject (events.subject); only named subjects are compared.';
COMMENT ON COLUMN deadline_drift.theme_id IS 'Theme of the later promise.';
COMMENT ON COLUMN deadline_drift.previous_document_id IS 'The earlier letter.';
COMMENT ON COLUMN deadline_drift.previous_unit_id IS 'The block of the earlier promise.';
COMMENT ON COLUMN deadline_drift.previous_letter_date IS 'Date of the earlier letter.';
COMMENT ON COLUMN deadline_drift.previous_date_text IS 'The earlier date phrase as printed.';
COMMENT ON COLUMN deadline_drift.previous_date_start IS 'Start of the earlier promised range.';
COMMENT ON COLUMN deadline_drift.previous_date_end IS 'End of the earlier promised range.';
COMMENT ON COLUMN deadline_drift.document_id IS 'The later letter.';
COMMENT ON COLUMN deadline_drift.unit_id IS 'The block of the later promise.';
COMMENT ON COLUMN deadline_drift.letter_date IS 'Date of the later letter.';
COMMENT ON COLUMN deadline_drift.kind IS 'deadline, expectation or commitment (of the later promise).';
COMMENT ON COLUMN deadline_drift.date_text IS 'The later date phrase as printed.';
COMMENT ON COLUMN deadline_drift.date_start IS 'Start of the later promised range.';
COMMENT ON COLUMN deadline_drift.date_end IS 'End of the later promised range.';
COMMENT ON COLUMN deadline_drift.shift_days IS 'date_end minus previous_date_end in days (positive: postponed).';
COMMENT ON COLUMN deadline_drift.direction IS 'later (postponed) or earlier.';
COMMENT ON COLUMN deadline_drift.previous_evidence IS 'The earlier sentence.';
COMMENT ON COLUMN deadline_drift.evidence IS 'The later sentence.';

-- The timeline of one or all themes, in date order.
CREATE OR REPLACE VIEW theme_timeline AS
SELECT theme_id, subject, kind, date_start, date_end, date_text, letter_date, document_id,
       unit_id, unit_kind, evidence
FROM events
WHERE theme_id IS NOT NULL;
COMMENT ON VIEW theme_timeline IS 'Events that have a theme; ORDER BY date_start for a theme''s timeline.';
COMMENT ON COLUMN theme_timeline.theme_id IS 'themes.theme_id.';
COMMENT ON COLUMN theme_timeline.subject IS 'theme_id or theme_id:subject.';
COMMENT ON COLUMN theme_timeline.kind IS 'incident, deadline, expectation, commitment or figure.';
COMMENT ON COLUMN theme_timeline.date_start IS 'First day (inclusive).';
COMMENT ON COLUMN theme_timeline.date_end IS 'Last day (inclusive).';
COMMENT ON COLUMN theme_timeline.date_text IS 'The date phrase as printed.';
COMMENT ON COLUMN theme_timeline.letter_date IS 'Date of the letter.';
COMMENT ON COLUMN theme_timeline.document_id IS 'The letter.';
COMMENT ON COLUMN theme_timeline.unit_id IS 'The question or answer block.';
COMMENT ON COLUMN theme_timeline.unit_kind IS 'question or answer.';
COMMENT ON COLUMN theme_timeline.evidence IS 'The sentence.';
