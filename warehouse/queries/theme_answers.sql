-- Every answer about a theme, in the order the letters were sent, with the full answer text and
-- the evidence that linked it. Joins the core tables answers and documents (10_core.sql).
-- Python: con.execute(read_sql("queries/theme_answers.sql"), {"theme": "backlogs"})
SELECT
    d.document_date,
    d.number AS document_number,
    d.koop_id,
    a.answer_id,
    a.numbers AS answers_questions,
    tl.rule,
    tl.evidence,
    a.text AS answer_text
FROM theme_links tl
JOIN answers a ON a.answer_id = tl.unit_id
JOIN documents d ON d.document_id = a.document_id
WHERE tl.theme_id = $theme
ORDER BY d.document_date NULLS LAST, d.document_id, a.block_index;
