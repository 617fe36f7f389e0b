-- latest_answers.sql — report table "Latest answers per theme" ($per_theme rows per theme).
-- The newest answer blocks linked to each theme, with the letter's pages at the Tweede Kamer
-- (tk_url) and at officielebekendmakingen (koop_url).
SELECT theme, letter_date, question_sets, label, excerpt, tk_url, koop_url
FROM (
    SELECT
        coalesce(th.label, t.theme_id) AS theme,
        d.document_date AS letter_date,
        array_to_string(d.question_set_numbers, ', ') AS question_sets,
        a.label,
        left(a.text, 220) AS excerpt,
        d.tk_url,
        d.koop_url,
        row_number() OVER (PARTITION BY t.theme_id
                           ORDER BY d.document_date DESC NULLS LAST, a.block_index) AS rank
    FROM theme_links t
    JOIN answers a ON a.answer_id = t.unit_id
    JOIN documents d ON d.document_id = a.document_id
    LEFT JOIN themes th ON th.theme_id = t.theme_id
    WHERE t.unit_kind = 'answer'
)
WHERE rank <= $per_theme
ORDER BY theme, rank;
