-- What was promised and is due or overdue today, per theme (all themes when $theme is NULL).
-- Python: con.execute(read_sql("queries/theme_open_commitments.sql"), {"theme": None})
SELECT theme_id, status_today, kind, date_text, due_start, due_end, letter_date, document_id,
       unit_id, evidence
FROM commitments_today
WHERE status_today IN ('due', 'overdue')
  AND ($theme IS NULL OR theme_id = $theme)
ORDER BY theme_id NULLS LAST, due_end, document_id;
