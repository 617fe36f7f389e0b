-- Everything on one theme in date order: the blocks linked to it, the dated events and the
-- commitments, each with its evidence. Only enrichment tables are read.
-- Python: con.execute(read_sql("queries/theme_history.sql"), {"theme": "ict_incidents"})
SELECT letter_date, document_id, unit_id, what, detail, date_start, date_end, evidence
FROM (
    SELECT letter_date, document_id, unit_id, 'link' AS what, rule AS detail,
           NULL::DATE AS date_start, NULL::DATE AS date_end, evidence, 0 AS sort_kind
    FROM theme_links
    WHERE theme_id = $theme
    UNION ALL
    SELECT letter_date, document_id, unit_id, 'event:' || kind, date_text, date_start, date_end,
           evidence, 1
    FROM events
    WHERE theme_id = $theme
    UNION ALL
    SELECT letter_date, document_id, unit_id, kind || ':' || status, date_text, due_start, due_end,
           evidence, 2
    FROM commitments
    WHERE theme_id = $theme
)
ORDER BY letter_date NULLS LAST, document_id, unit_id, sort_kind, date_start NULLS LAST;
