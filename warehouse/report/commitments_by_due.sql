-- commitments_by_due.sql — report section "Commitments by due date per theme".
-- Every dated promise or expectation with its status on the enrichment's reference date
-- (open / due / overdue, and superseded where the enrich layer marks a later promise on the
-- same subject). Undated promises have no place on a time axis and are left out.
SELECT
    coalesce(th.label, c.theme_id, '(geen thema)') AS theme,
    c.status,
    c.kind,
    c.due_end AS due_on,
    c.date_text,
    c.letter_date,
    left(c.evidence, 160) AS evidence
FROM commitments c
LEFT JOIN themes th ON th.theme_id = c.theme_id
WHERE c.due_end IS NOT NULL
ORDER BY theme, due_on;
