-- evidence_inside_units.sql — every evidence span of the enrichment tables lies inside the text
-- of the unit it cites (0 <= char_start <= char_end <= length of the unit's text), and that
-- unit exists. Units follow text_units.sql: question/answer blocks, footnotes, closing text.
WITH units AS (
    SELECT question_id AS unit_id, text FROM questions
    UNION ALL SELECT answer_id, text FROM answers
    UNION ALL SELECT footnote_id, text FROM footnotes
    UNION ALL SELECT document_id || ':closing', closing FROM documents WHERE closing IS NOT NULL AND closing <> ''
),
spans AS (
    SELECT 'theme_links' AS relation, unit_id, char_start, char_end FROM theme_links
    UNION ALL SELECT 'events', unit_id, char_start, char_end FROM events
    UNION ALL SELECT 'commitments', unit_id, char_start, char_end FROM commitments
    UNION ALL SELECT 'doc_references', unit_id, char_start, char_end FROM doc_references
    UNION ALL SELECT 'question_set_links', unit_id, char_start, char_end FROM question_set_links
)
SELECT count(*) AS violations,
       coalesce(list(s.relation || ' ' || s.unit_id ORDER BY s.relation, s.unit_id)[1:5], []) AS examples
FROM spans s
LEFT JOIN units u ON u.unit_id = s.unit_id
WHERE u.unit_id IS NULL
   OR s.char_start IS NULL OR s.char_end IS NULL
   OR s.char_start < 0 OR s.char_end < s.char_start OR s.char_end > length(u.text);
