-- latest_answers.sql — report table "Latest answers per theme" ($per_theme rows per theme).
-- The newest answer blocks linked to each theme, with the letter's pages at the Tweede Kamer
-- (tk_url) and at officielebekendmakingen (koop_url).
-- The ranking reads only ids, dates and positions; texts and links are fetched for the few
-- rows kept (ranking with the texts in tow read every linked answer's text: ~0.3 s at 53,000
-- links). The answer id breaks ties, so the same warehouse always gives the same rows.
WITH ranked AS (
    SELECT
        t.theme_id,
        a.answer_id,
        a.document_id,
        row_number() OVER (PARTITION BY t.theme_id
                           ORDER BY d.document_date DESC NULLS LAST, a.block_index, a.answer_id) AS rank
    FROM theme_links t
    JOIN answers a ON a.answer_id = t.unit_id
    JOIN documents d ON d.document_id = a.document_id
    WHERE t.unit_kind = 'answer'
    QUALIFY rank <= $per_theme
)
SELECT
    coalesce(th.label, r.theme_id) AS theme,
    d.document_date AS letter_date,
    array_to_string(d.question_set_numbers, ', ') AS question_sets,
    a.label,
    left(a.text, 220) AS excerpt,
    d.tk_url,
    d.koop_url
FROM ranked r
JOIN answers a ON a.answer_id = r.answer_id
JOIN documents d ON d.document_id = r.document_id
LEFT JOIN themes th ON th.theme_id = r.theme_id
ORDER BY theme, r.rank;
