-- promised_dates.sql — report section "Promised dates per subject across letters".
-- For each named subject (theme:subject), the date each letter promised, the latest-ending
-- one when a letter names several: the same per-letter promise deadline_drift compares, so a
-- rising line is a promise that moved.
SELECT
    subject,
    document_id,
    max(letter_date) AS letter_date,
    max(date_end) AS promised_on,
    arg_max(date_text, date_end) AS date_text
FROM events
WHERE kind IN ('deadline', 'expectation', 'commitment')
  AND subject LIKE '%:%'
  AND date_end IS NOT NULL
  AND letter_date IS NOT NULL
GROUP BY subject, document_id
ORDER BY subject, letter_date;
