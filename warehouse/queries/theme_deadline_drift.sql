-- Promised dates that moved between letters, for one theme (all themes when $theme is NULL).
-- Python: con.execute(read_sql("queries/theme_deadline_drift.sql"), {"theme": "strafvordering"})
SELECT subject, previous_letter_date, previous_date_text, previous_date_end,
       letter_date, date_text, date_end, shift_days, direction, previous_document_id, document_id,
       evidence
FROM deadline_drift
WHERE $theme IS NULL OR theme_id = $theme
ORDER BY subject, letter_date;
