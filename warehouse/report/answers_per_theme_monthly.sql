-- answers_per_theme_monthly.sql — report section "Answers per theme per month".
-- Answer blocks linked to each theme, counted by the month of the answer letter.
SELECT
    t.theme_id,
    coalesce(th.label, t.theme_id) AS theme,
    date_trunc('month', t.letter_date)::DATE AS month,
    count(DISTINCT t.unit_id) AS answers
FROM theme_links t
LEFT JOIN themes th ON th.theme_id = t.theme_id
WHERE t.unit_kind = 'answer' AND t.letter_date IS NOT NULL
GROUP BY ALL
ORDER BY theme, month;
