-- 10_core.sql — the core analyst tables of kamerspoor.
--
-- Re-runnable: every statement is CREATE ... IF NOT EXISTS or COMMENT ON (comments are simply
-- set again). Columns marked "derived" are recomputed by etl.load.warehouse.refresh() from the
-- loaded rows (refresh_derived.sql); all other columns are written by the load functions.
-- Identifiers are the Tweede Kamer API ids (GUIDs) so rows can be traced back to the source.
-- Keys are unique by construction (loads delete a key's rows before inserting them) but not
-- declared PRIMARY KEY: DuckDB's key indexes make bulk deletes and re-inserts several times
-- slower, and every write here is a bulk delete-and-insert.

CREATE TABLE IF NOT EXISTS question_sets (
    question_set_id     VARCHAR NOT NULL,
    number              VARCHAR,
    kind                VARCHAR,
    subject             VARCHAR,
    submitted_on        DATE,
    session             VARCHAR,
    changed_at          TIMESTAMP,
    askers              VARCHAR[],
    asker_parties       VARCHAR[],
    addressees          VARCHAR[],
    ministries          VARCHAR[],
    status              VARCHAR,
    first_answer_on     DATE,
    last_answer_on      DATE,
    answer_document_count INTEGER,
    delay_notice_count  INTEGER,
    delay_notice_dates  DATE[],
    question_count      INTEGER,
    answered_question_count INTEGER
);

COMMENT ON TABLE question_sets IS 'One row per set of written questions (Kamervragen; API entity Zaak with Soort ''Schriftelijke vragen''). Derived columns are current as of the last refresh().';
COMMENT ON COLUMN question_sets.question_set_id IS 'API id of the Zaak (GUID); stable key.';
COMMENT ON COLUMN question_sets.number IS 'Zaak number as printed, e.g. 2025Z20557.';
COMMENT ON COLUMN question_sets.kind IS 'Zaak.Soort verbatim, normally ''Schriftelijke vragen''.';
COMMENT ON COLUMN question_sets.subject IS 'Subject line (Zaak.Onderwerp).';
COMMENT ON COLUMN question_sets.submitted_on IS 'Date the questions were submitted (Zaak.GestartOp, Dutch calendar date).';
COMMENT ON COLUMN question_sets.session IS 'Parliamentary year (Vergaderjaar), e.g. 2025-2026.';
COMMENT ON COLUMN question_sets.changed_at IS 'Last change in the API (ApiGewijzigdOp, UTC).';
COMMENT ON COLUMN question_sets.askers IS 'Derived: names of the members who asked, first asker (Indiener) first, then co-askers (Medeindiener).';
COMMENT ON COLUMN question_sets.asker_parties IS 'Derived: distinct parties of the askers, in asker order.';
COMMENT ON COLUMN question_sets.addressees IS 'Derived: functions of the ministers / state secretaries addressed (Gericht aan), e.g. ''minister van Justitie en Veiligheid''.';
COMMENT ON COLUMN question_sets.ministries IS 'Derived: portfolio of each addressee, the text after ''van''/''voor'' in its function, e.g. ''Justitie en Veiligheid''.';
COMMENT ON COLUMN question_sets.status IS 'Derived: answered | partly answered | open | withdrawn. partly answered = an answer letter exists but a parsed question number has no answer block; withdrawn = a Mededeling whose subject mentions ingetrokken/intrekken and no answer.';
COMMENT ON COLUMN question_sets.first_answer_on IS 'Derived: date of the first answer document (Soort starting with ''Antwoord'').';
COMMENT ON COLUMN question_sets.last_answer_on IS 'Derived: date of the last answer document (later than first_answer_on when a ''nader'' answer followed).';
COMMENT ON COLUMN question_sets.answer_document_count IS 'Derived: number of answer documents (first answer plus nader answers).';
COMMENT ON COLUMN question_sets.delay_notice_count IS 'Derived: number of delay notices (Mededeling (uitstel antwoord)).';
COMMENT ON COLUMN question_sets.delay_notice_dates IS 'Derived: dates of the delay notices, ascending.';
COMMENT ON COLUMN question_sets.question_count IS 'Derived: distinct question numbers parsed from the set''s letters (0 when nothing parsed yet).';
COMMENT ON COLUMN question_sets.answered_question_count IS 'Derived: distinct question numbers that have at least one answer block (rows in qa_pairs).';

CREATE TABLE IF NOT EXISTS documents (
    document_id         VARCHAR NOT NULL,
    number              VARCHAR,
    kind                VARCHAR,
    subject             VARCHAR,
    document_date       DATE,
    session             VARCHAR,
    declared_content_type VARCHAR,
    declared_content_length BIGINT,
    koop_id             VARCHAR,
    appendix_number     VARCHAR,
    changed_at          TIMESTAMP,
    source_changed_at   TIMESTAMP,
    question_set_numbers VARCHAR[],
    tk_url              VARCHAR,
    koop_url            VARCHAR,
    file_sha256         VARCHAR,
    file_size           BIGINT,
    file_type           VARCHAR,
    parse_status        VARCHAR DEFAULT 'not_parsed',
    parser_version      VARCHAR,
    pages               INTEGER,
    source_format       VARCHAR,
    letter_title        VARCHAR,
    letter_date_submitted DATE,
    letter_date_answered DATE,
    letter_askers       VARCHAR[],
    letter_addressees   VARCHAR[],
    letter_answered_by  VARCHAR[],
    letter_question_set_numbers VARCHAR[],
    see_also            VARCHAR[],
    intro               VARCHAR,
    closing             VARCHAR
);

COMMENT ON TABLE documents IS 'One row per document of a question set: the questions, answer letters (first and nader), delay notices and other notices. Metadata from the API; file and parse columns from the last load_letter().';
COMMENT ON COLUMN documents.document_id IS 'API id of the Document (GUID); stable key.';
COMMENT ON COLUMN documents.number IS 'Document number, e.g. 2025D48811.';
COMMENT ON COLUMN documents.kind IS 'Document.Soort verbatim: ''Schriftelijke vragen'', ''Antwoord schriftelijke vragen'', ''Antwoord schriftelijke vragen (nader)'', ''Mededeling (uitstel antwoord)'', ...';
COMMENT ON COLUMN documents.subject IS 'Subject line (Document.Onderwerp).';
COMMENT ON COLUMN documents.document_date IS 'Document date (Document.Datum, Dutch calendar date); for an answer letter the date it was sent.';
COMMENT ON COLUMN documents.session IS 'Parliamentary year (Vergaderjaar).';
COMMENT ON COLUMN documents.declared_content_type IS 'Content type declared by the API (may be wrong; see file_type).';
COMMENT ON COLUMN documents.declared_content_length IS 'File size declared by the API in bytes.';
COMMENT ON COLUMN documents.koop_id IS 'Identifier at officielebekendmakingen (DocumentVersie.ExterneIdentifier), e.g. ah-tk-20252026-512.';
COMMENT ON COLUMN documents.appendix_number IS 'Aanhangselnummer of the Handelingen appendix, when published there.';
COMMENT ON COLUMN documents.changed_at IS 'Last change in the API (ApiGewijzigdOp, UTC).';
COMMENT ON COLUMN documents.source_changed_at IS 'Last change at the source (GewijzigdOp), converted to UTC.';
COMMENT ON COLUMN documents.question_set_numbers IS 'Derived: numbers of the question sets this document belongs to (see document_question_sets).';
COMMENT ON COLUMN documents.tk_url IS 'Derived: official page at tweedekamer.nl (needs the set number and the document number).';
COMMENT ON COLUMN documents.koop_url IS 'Derived: publication at zoek.officielebekendmakingen.nl (needs koop_id).';
COMMENT ON COLUMN documents.file_sha256 IS 'sha256 of the stored file bytes in the raw store (provenance of every parsed row).';
COMMENT ON COLUMN documents.file_size IS 'Size of the stored file in bytes.';
COMMENT ON COLUMN documents.file_type IS 'File type sniffed from the bytes: pdf, docx, doc, rtf, txt, html or unknown.';
COMMENT ON COLUMN documents.parse_status IS 'not_parsed | parsed | parsed_with_warnings | failed (details in parse_issues).';
COMMENT ON COLUMN documents.parser_version IS 'Version of the parser that produced this document''s rows.';
COMMENT ON COLUMN documents.pages IS 'Number of pages in the letter as parsed.';
COMMENT ON COLUMN documents.source_format IS 'Format the parser read: pdf, docx or txt.';
COMMENT ON COLUMN documents.letter_title IS 'Title as printed in the letter.';
COMMENT ON COLUMN documents.letter_date_submitted IS 'Submission date as printed in the letter (''ingezonden'').';
COMMENT ON COLUMN documents.letter_date_answered IS 'Answer date as printed in the letter (''Ontvangen'').';
COMMENT ON COLUMN documents.letter_askers IS 'Askers as printed in the letter.';
COMMENT ON COLUMN documents.letter_addressees IS 'Addressees as printed in the letter.';
COMMENT ON COLUMN documents.letter_answered_by IS 'Who signed the answer, as printed.';
COMMENT ON COLUMN documents.letter_question_set_numbers IS 'Question set numbers printed in the letter (e.g. 2025Z20557).';
COMMENT ON COLUMN documents.see_also IS 'Cross references printed in the letter (''Zie ook Aanhangsel Handelingen ...'').';
COMMENT ON COLUMN documents.intro IS 'Text before the first question (salutation, introduction).';
COMMENT ON COLUMN documents.closing IS 'Text after the last answer (closing, signature), when present.';

CREATE TABLE IF NOT EXISTS document_question_sets (
    document_id         VARCHAR NOT NULL,
    question_set_id     VARCHAR NOT NULL,
    position            INTEGER NOT NULL
);

COMMENT ON TABLE document_question_sets IS 'Link table: which question set(s) a document belongs to (many-to-many; one answer letter can answer several sets).';
COMMENT ON COLUMN document_question_sets.document_id IS 'The document (documents.document_id).';
COMMENT ON COLUMN document_question_sets.question_set_id IS 'The question set (question_sets.question_set_id); may point to a set not loaded (yet).';
COMMENT ON COLUMN document_question_sets.position IS 'Order of the link as delivered by the API; position 0 is the primary set, to which the document''s parsed rows are attributed.';

CREATE TABLE IF NOT EXISTS actors (
    actor_id            VARCHAR NOT NULL,
    question_set_id     VARCHAR NOT NULL,
    name                VARCHAR,
    party               VARCHAR,
    function            VARCHAR,
    relation            VARCHAR,
    role                VARCHAR,
    ministry            VARCHAR,
    changed_at          TIMESTAMP
);

COMMENT ON TABLE actors IS 'Who asked and who was asked, per question set (API entity ZaakActor).';
COMMENT ON COLUMN actors.actor_id IS 'API id of the ZaakActor (GUID).';
COMMENT ON COLUMN actors.question_set_id IS 'The question set (question_sets.question_set_id).';
COMMENT ON COLUMN actors.name IS 'Name as given by the API (ActorNaam).';
COMMENT ON COLUMN actors.party IS 'Party of a member (ActorFractie); NULL for ministers.';
COMMENT ON COLUMN actors.function IS 'Function, e.g. ''Tweede Kamerlid'' or ''minister van Justitie en Veiligheid''.';
COMMENT ON COLUMN actors.relation IS 'Relatie verbatim: Indiener, Medeindiener, Gericht aan, ...';
COMMENT ON COLUMN actors.role IS 'Normalised relation: asker (Indiener), co_asker (Medeindiener), addressee (Gericht aan) or other.';
COMMENT ON COLUMN actors.ministry IS 'For addressees: the portfolio, text after ''van''/''voor'' in the function (e.g. ''Justitie en Veiligheid''); NULL otherwise.';
COMMENT ON COLUMN actors.changed_at IS 'Last change in the API (ApiGewijzigdOp, UTC).';

CREATE TABLE IF NOT EXISTS questions (
    question_id         VARCHAR NOT NULL,
    document_id         VARCHAR NOT NULL,
    question_set_id     VARCHAR,
    block_index         INTEGER NOT NULL,
    label               VARCHAR,
    numbers             VARCHAR[],
    text                VARCHAR,
    page_start          INTEGER,
    page_end            INTEGER,
    char_start          INTEGER,
    char_end            INTEGER,
    parser_version      VARCHAR
);

COMMENT ON TABLE questions IS 'Question blocks as printed in a letter (answer letters repeat the questions), in document order.';
COMMENT ON COLUMN questions.question_id IS 'Stable id <document_id>:q:<block_index> (same as the enrich layer''s unit_id).';
COMMENT ON COLUMN questions.document_id IS 'The letter the block was parsed from (documents.document_id).';
COMMENT ON COLUMN questions.question_set_id IS 'The letter''s primary question set (document_question_sets position 0).';
COMMENT ON COLUMN questions.block_index IS '0-based position of the block among the letter''s question blocks.';
COMMENT ON COLUMN questions.label IS 'Label as printed, e.g. ''Vraag 2'' or ''Vraag 2 en 3''.';
COMMENT ON COLUMN questions.numbers IS 'Question numbers the label covers (a grouped label covers several).';
COMMENT ON COLUMN questions.text IS 'Question text; footnote markers stay as Unicode superscript digits.';
COMMENT ON COLUMN questions.page_start IS 'Page (1-based) where the block starts.';
COMMENT ON COLUMN questions.page_end IS 'Page where the block ends.';
COMMENT ON COLUMN questions.char_start IS 'Start offset in the parser''s extracted text.';
COMMENT ON COLUMN questions.char_end IS 'End offset (exclusive) in the parser''s extracted text.';
COMMENT ON COLUMN questions.parser_version IS 'Parser version that produced the row.';

CREATE TABLE IF NOT EXISTS answers (
    answer_id           VARCHAR NOT NULL,
    document_id         VARCHAR NOT NULL,
    question_set_id     VARCHAR,
    block_index         INTEGER NOT NULL,
    label               VARCHAR,
    numbers             VARCHAR[],
    text                VARCHAR,
    refers_to           VARCHAR[],
    page_start          INTEGER,
    page_end            INTEGER,
    char_start          INTEGER,
    char_end            INTEGER,
    parser_version      VARCHAR
);

COMMENT ON TABLE answers IS 'Answer blocks as printed in an answer letter, in document order.';
COMMENT ON COLUMN answers.answer_id IS 'Stable id <document_id>:a:<block_index> (same as the enrich layer''s unit_id).';
COMMENT ON COLUMN answers.document_id IS 'The answer letter (documents.document_id).';
COMMENT ON COLUMN answers.question_set_id IS 'The letter''s primary question set (document_question_sets position 0).';
COMMENT ON COLUMN answers.block_index IS '0-based position of the block among the letter''s answer blocks.';
COMMENT ON COLUMN answers.label IS 'Label as printed, e.g. ''Antwoord 4'' or ''Antwoord op vragen 2 en 3''.';
COMMENT ON COLUMN answers.numbers IS 'Question numbers this block answers (several for a grouped answer).';
COMMENT ON COLUMN answers.text IS 'Answer text; footnote markers stay as Unicode superscript digits.';
COMMENT ON COLUMN answers.refers_to IS 'Question numbers the text points to (''zie het antwoord op vraag 3'').';
COMMENT ON COLUMN answers.page_start IS 'Page (1-based) where the block starts.';
COMMENT ON COLUMN answers.page_end IS 'Page where the block ends.';
COMMENT ON COLUMN answers.char_start IS 'Start offset in the parser''s extracted text.';
COMMENT ON COLUMN answers.char_end IS 'End offset (exclusive) in the parser''s extracted text.';
COMMENT ON COLUMN answers.parser_version IS 'Parser version that produced the row.';

CREATE TABLE IF NOT EXISTS footnotes (
    footnote_id         VARCHAR NOT NULL,
    document_id         VARCHAR NOT NULL,
    position            INTEGER NOT NULL,
    n                   VARCHAR,
    text                VARCHAR,
    page                INTEGER,
    parser_version      VARCHAR
);

COMMENT ON TABLE footnotes IS 'Footnotes printed at the bottom of a letter''s pages.';
COMMENT ON COLUMN footnotes.footnote_id IS 'Id <document_id>:fn:<n> (same as the enrich layer''s unit_id).';
COMMENT ON COLUMN footnotes.document_id IS 'The letter (documents.document_id).';
COMMENT ON COLUMN footnotes.position IS '0-based order of the footnote in the letter.';
COMMENT ON COLUMN footnotes.n IS 'Footnote marker as printed (''1'', ''2'', ...).';
COMMENT ON COLUMN footnotes.text IS 'Footnote text (often a URL or a reference to a Kamerstuk).';
COMMENT ON COLUMN footnotes.page IS 'Page the footnote is printed on, when known.';
COMMENT ON COLUMN footnotes.parser_version IS 'Parser version that produced the row.';

CREATE TABLE IF NOT EXISTS parse_issues (
    document_id         VARCHAR NOT NULL,
    position            INTEGER NOT NULL,
    severity            VARCHAR NOT NULL,
    code                VARCHAR NOT NULL,
    message             VARCHAR,
    file_sha256         VARCHAR,
    parser_version      VARCHAR
);

COMMENT ON TABLE parse_issues IS 'Problems met while parsing a letter: one error row when the file could not be read at all (parse_status failed), one warning row per parser warning.';
COMMENT ON COLUMN parse_issues.document_id IS 'The document (documents.document_id).';
COMMENT ON COLUMN parse_issues.position IS '0-based order of the issue within the document.';
COMMENT ON COLUMN parse_issues.severity IS 'error (nothing parsed) or warning (parsed, but check).';
COMMENT ON COLUMN parse_issues.code IS 'Stable code: for errors missing, unreadable, encrypted, empty, no_text_layer, unsupported_type, too_large (over a parse cap, e.g. a decompression bomb), quarantined (the file hit a parser process''s memory or time limit, or killed it; not retried until the parser version changes), parser_error or no_file; for warnings the code the parser put before a colon, else parse_warning.';
COMMENT ON COLUMN parse_issues.message IS 'Human-readable explanation.';
COMMENT ON COLUMN parse_issues.file_sha256 IS 'sha256 of the file that was parsed (NULL when there was no file).';
COMMENT ON COLUMN parse_issues.parser_version IS 'Parser version that reported the issue.';

CREATE TABLE IF NOT EXISTS qa_pairs (
    question_set_id     VARCHAR NOT NULL,
    question_set_number VARCHAR,
    question_number     VARCHAR NOT NULL,
    question_id         VARCHAR,
    question_text       VARCHAR,
    answer_id           VARCHAR NOT NULL,
    answer_label        VARCHAR,
    answer_text         VARCHAR,
    grouped             BOOLEAN NOT NULL,
    answer_document_id  VARCHAR NOT NULL,
    answer_document_kind VARCHAR,
    answer_order        VARCHAR NOT NULL,
    answer_date         DATE,
    parser_version      VARCHAR
);

COMMENT ON TABLE qa_pairs IS 'Derived (rebuilt by refresh()): one row per question number and the answer block that answers it. An unanswered set has no pairs; a question answered first and again in a nader letter has two.';
COMMENT ON COLUMN qa_pairs.question_set_id IS 'The question set (primary set of the answer letter).';
COMMENT ON COLUMN qa_pairs.question_set_number IS 'Its number, e.g. 2025Z20557.';
COMMENT ON COLUMN qa_pairs.question_number IS 'The question number (''1'', ''2'', ''2a'', ...).';
COMMENT ON COLUMN qa_pairs.question_id IS 'The question block with this number: from the answer letter itself, else from another letter of the set; NULL when no letter printed the question.';
COMMENT ON COLUMN qa_pairs.question_text IS 'Text of that question block.';
COMMENT ON COLUMN qa_pairs.answer_id IS 'The answer block (answers.answer_id).';
COMMENT ON COLUMN qa_pairs.answer_label IS 'Label of the answer block as printed.';
COMMENT ON COLUMN qa_pairs.answer_text IS 'Text of the answer block.';
COMMENT ON COLUMN qa_pairs.grouped IS 'True when the answer block answers several questions at once (''Antwoord op vragen 2 en 3'').';
COMMENT ON COLUMN qa_pairs.answer_document_id IS 'The answer letter (documents.document_id).';
COMMENT ON COLUMN qa_pairs.answer_document_kind IS 'Soort of the answer letter.';
COMMENT ON COLUMN qa_pairs.answer_order IS 'first = the set''s earliest answer letter; nader = a later (supplementary) answer letter.';
COMMENT ON COLUMN qa_pairs.answer_date IS 'Date of the answer letter (documents.document_date).';
COMMENT ON COLUMN qa_pairs.parser_version IS 'Parser version of the answer letter.';

CREATE TABLE IF NOT EXISTS response_times (
    question_set_id     VARCHAR NOT NULL,
    number              VARCHAR,
    subject             VARCHAR,
    submitted_on        DATE,
    due_on              DATE,
    first_answer_on     DATE,
    days_to_first_answer INTEGER,
    working_days_to_first_answer INTEGER,
    days_open           INTEGER,
    delay_notice_count  INTEGER,
    delay_notice_dates  DATE[],
    first_delay_notice_on DATE,
    notice_within_term  BOOLEAN,
    norm_status         VARCHAR,
    status              VARCHAR,
    ministries          VARCHAR[],
    asker_parties       VARCHAR[],
    reference_date      DATE
);

COMMENT ON TABLE response_times IS 'Derived (rebuilt by refresh()): how long each question set took to be answered against the three-week norm (21 calendar days).';
COMMENT ON COLUMN response_times.question_set_id IS 'The question set.';
COMMENT ON COLUMN response_times.number IS 'Its number.';
COMMENT ON COLUMN response_times.subject IS 'Its subject.';
COMMENT ON COLUMN response_times.submitted_on IS 'Submission date.';
COMMENT ON COLUMN response_times.due_on IS 'submitted_on + 21 calendar days: the last on-time day.';
COMMENT ON COLUMN response_times.first_answer_on IS 'Date of the first answer letter; NULL when unanswered.';
COMMENT ON COLUMN response_times.days_to_first_answer IS 'Calendar days from submission to the first answer.';
COMMENT ON COLUMN response_times.working_days_to_first_answer IS 'Working days (Mon-Fri, not a Dutch public holiday under the Algemene termijnenwet) after the submission day up to and including the answer day.';
COMMENT ON COLUMN response_times.days_open IS 'For an open set: calendar days from submission to reference_date.';
COMMENT ON COLUMN response_times.delay_notice_count IS 'Number of delay notices.';
COMMENT ON COLUMN response_times.delay_notice_dates IS 'Dates of the delay notices, ascending.';
COMMENT ON COLUMN response_times.first_delay_notice_on IS 'Date of the first delay notice.';
COMMENT ON COLUMN response_times.notice_within_term IS 'True when the first delay notice came on or before due_on.';
COMMENT ON COLUMN response_times.norm_status IS 'on_time | late_with_notice (answered after due_on, a delay notice came before the answer) | late_without_notice | open_within_term | open_overdue (no answer and reference_date after due_on) | withdrawn | unknown (no submission date).';
COMMENT ON COLUMN response_times.status IS 'question_sets.status at refresh time.';
COMMENT ON COLUMN response_times.ministries IS 'Portfolios addressed (question_sets.ministries).';
COMMENT ON COLUMN response_times.asker_parties IS 'Parties of the askers (question_sets.asker_parties).';
COMMENT ON COLUMN response_times.reference_date IS 'For a set without an answer: the date it was measured against (refresh(reference_date=...), default today); NULL once answered, as nothing in the row depends on it then.';

-- ------------------------------------------------------------------ Dutch calendar macros
-- Working days for response times: Monday-Friday except the public holidays of the Algemene
-- termijnenwet (art. 3): Nieuwjaarsdag, Goede Vrijdag, Eerste en Tweede Paasdag, Koningsdag,
-- Bevrijdingsdag (5 mei), Hemelvaartsdag, Eerste en Tweede Pinksterdag, Eerste en Tweede
-- Kerstdag. Computed, never listed: Easter by the anonymous Gregorian algorithm (Meeus).

CREATE OR REPLACE MACRO nl_easter_h(y) AS
    (19 * (y % 19) + y // 100 - (y // 100) // 4 - ((y // 100) - ((y // 100) + 8) // 25 + 1) // 3 + 15) % 30;
CREATE OR REPLACE MACRO nl_easter_l(y) AS
    (32 + 2 * ((y // 100) % 4) + 2 * ((y % 100) // 4) - nl_easter_h(y) - ((y % 100) % 4)) % 7;
CREATE OR REPLACE MACRO nl_easter_hlm(y) AS
    nl_easter_h(y) + nl_easter_l(y) - 7 * (((y % 19) + 11 * nl_easter_h(y) + 22 * nl_easter_l(y)) // 451) + 114;

-- Easter Sunday of year y (Gregorian calendar).
CREATE OR REPLACE MACRO nl_easter(y) AS
    make_date(y::BIGINT, (nl_easter_hlm(y) // 31)::BIGINT, (nl_easter_hlm(y) % 31 + 1)::BIGINT);

-- King's / Queen's Day: 27 April since 2014 (26 April when the 27th is a Sunday); before 2014
-- 30 April (29 April when the 30th is a Sunday).
CREATE OR REPLACE MACRO nl_kings_day(y) AS
    CASE
        WHEN y >= 2014 THEN
            CASE WHEN isodow(make_date(y::BIGINT, 4, 27)) = 7 THEN make_date(y::BIGINT, 4, 26) ELSE make_date(y::BIGINT, 4, 27) END
        ELSE
            CASE WHEN isodow(make_date(y::BIGINT, 4, 30)) = 7 THEN make_date(y::BIGINT, 4, 29) ELSE make_date(y::BIGINT, 4, 30) END
    END;

-- True when d is a Dutch public holiday (Algemene termijnenwet), whatever the weekday.
CREATE OR REPLACE MACRO nl_is_public_holiday(d) AS
    strftime(d, '%m-%d') IN ('01-01', '05-05', '12-25', '12-26')
    OR d::DATE = nl_kings_day(year(d))
    OR (d::DATE - nl_easter(year(d))) IN (-2, 0, 1, 39, 49, 50);

-- True when d is a working day: Monday-Friday and not a public holiday.
CREATE OR REPLACE MACRO nl_is_working_day(d) AS
    isodow(d) <= 5 AND NOT nl_is_public_holiday(d);

-- Internal: what changed since the last refresh(). Every load appends the question sets and
-- documents it touched (in the same transaction as the load, so a killed run loses nothing);
-- refresh() recomputes the derived rows of just those sets and documents and empties it.
CREATE TABLE IF NOT EXISTS _refresh_queue (
    question_set_id VARCHAR,
    document_id     VARCHAR
);
COMMENT ON TABLE _refresh_queue IS 'Internal: question sets and documents touched by loads since the last refresh() (incremental refresh).';
