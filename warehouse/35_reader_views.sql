-- 35_reader_views.sql — views that save analysts a join. Re-runnable (CREATE OR REPLACE VIEW).
-- Applied after 10_core, 20_enrichment and 30_views, whose relations these read.

-- A theme is one join from response_times: each theme link with the question set(s) of its
-- letter. A letter that belongs to two sets (a shared delay notice, one answer letter for two
-- sets) gives one row per set; primary_set marks the set its parsed rows are attributed to.
CREATE OR REPLACE VIEW theme_links_by_question_set AS
SELECT
    l.question_set_id,
    q.number AS question_set_number,
    l.position = 0 AS primary_set,
    t.theme_id,
    t.unit_id,
    t.unit_kind,
    t.block_index,
    t.document_id,
    d.kind AS document_kind,
    t.letter_date,
    t.rule,
    t.evidence
FROM theme_links t
JOIN document_question_sets l ON l.document_id = t.document_id
LEFT JOIN question_sets q ON q.question_set_id = l.question_set_id
LEFT JOIN documents d ON d.document_id = t.document_id;

COMMENT ON VIEW theme_links_by_question_set IS 'theme_links with the question set of each letter (one row per link and set): join response_times on question_set_id or number.';
COMMENT ON COLUMN theme_links_by_question_set.question_set_id IS 'The question set the letter belongs to (question_sets.question_set_id, response_times.question_set_id).';
COMMENT ON COLUMN theme_links_by_question_set.question_set_number IS 'Its number, e.g. 2025Z16204 (question_sets.number, response_times.number); NULL when the set is not loaded.';
COMMENT ON COLUMN theme_links_by_question_set.primary_set IS 'True for the letter''s first set, to which its questions and answers are attributed.';
COMMENT ON COLUMN theme_links_by_question_set.theme_id IS 'themes.theme_id.';
COMMENT ON COLUMN theme_links_by_question_set.unit_id IS 'The text unit (questions.question_id / answers.answer_id for blocks).';
COMMENT ON COLUMN theme_links_by_question_set.unit_kind IS 'question, answer, footnote or closing.';
COMMENT ON COLUMN theme_links_by_question_set.block_index IS 'Block position in the letter (0-based) for questions and answers, else NULL.';
COMMENT ON COLUMN theme_links_by_question_set.document_id IS 'The letter (documents.document_id).';
COMMENT ON COLUMN theme_links_by_question_set.document_kind IS 'documents.kind: answer, nader answer, delay notice, questions, ...';
COMMENT ON COLUMN theme_links_by_question_set.letter_date IS 'Date of the letter the unit belongs to.';
COMMENT ON COLUMN theme_links_by_question_set.rule IS 'The rule that fired (theme_links.rule).';
COMMENT ON COLUMN theme_links_by_question_set.evidence IS 'The matched text exactly as printed.';
