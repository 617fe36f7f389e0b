-- derive.sql — add the alerts of the current warehouse state that are not there yet.
-- Parameters: $themes, $sets, $ministries, $parties (the watch list, VARCHAR[]), $since (DATE or
-- NULL: events dated before it are history, not news) and $now (TIMESTAMP, first_seen of new
-- rows). An event matches the watch list when any of its themes, question set numbers, addressed
-- portfolios or asker parties is watched. An event's date is its document's date; for a moved
-- promise the later letter's, for an overdue promise its due date, for a set past the norm its
-- due date. Returns the new keys.
INSERT OR IGNORE INTO alerts
WITH doc_sets AS (
    SELECT l.document_id,
           list(DISTINCT q.number ORDER BY q.number) FILTER (WHERE q.number IS NOT NULL) AS sets,
           flatten(list(coalesce(q.ministries, []))) AS ministries,
           flatten(list(coalesce(q.asker_parties, []))) AS parties
    FROM document_question_sets l
    JOIN question_sets q ON q.question_set_id = l.question_set_id
    GROUP BY l.document_id
),
doc_themes AS (
    SELECT document_id, list(DISTINCT theme_id) AS themes FROM theme_links GROUP BY document_id
),
set_themes AS (
    SELECT l.question_set_id, list(DISTINCT t.theme_id) AS themes
    FROM document_question_sets l JOIN theme_links t ON t.document_id = l.document_id
    GROUP BY l.question_set_id
),
-- themes of all letters of the sets a document belongs to (a delay notice has no text of its own)
doc_set_themes AS (
    SELECT l.document_id, list_distinct(flatten(list(st.themes))) AS themes
    FROM document_question_sets l JOIN set_themes st ON st.question_set_id = l.question_set_id
    GROUP BY l.document_id
),
docs AS (
    SELECT d.document_id, d.kind, d.document_date, d.subject, d.tk_url,
           coalesce(s.sets, []) AS sets, coalesce(s.ministries, []) AS ministries,
           coalesce(s.parties, []) AS parties, coalesce(t.themes, []) AS themes,
           coalesce(dst.themes, []) AS set_themes
    FROM documents d
    LEFT JOIN doc_sets s ON s.document_id = d.document_id
    LEFT JOIN doc_themes t ON t.document_id = d.document_id
    LEFT JOIN doc_set_themes dst ON dst.document_id = d.document_id
),
events AS (
    -- an answer letter (first or nader) on something watched
    SELECT 'new_answer' AS kind, document_id AS ident, themes, sets, ministries, parties, document_id,
           'Antwoord ' || coalesce(array_to_string(sets, ', '), '') || ' (' || coalesce(document_date::VARCHAR, '?') || '): ' || coalesce(subject, '') AS detail,
           NULL::VARCHAR AS evidence, tk_url AS url, document_date AS event_date
    FROM docs WHERE kind LIKE 'Antwoord%'
    UNION ALL
    -- a nader (supplementary) answer
    SELECT 'nader_answer', document_id, list_distinct(themes || set_themes), sets, ministries, parties, document_id,
           'Nader antwoord ' || coalesce(array_to_string(sets, ', '), '') || ' (' || coalesce(document_date::VARCHAR, '?') || '): ' || coalesce(subject, ''),
           NULL, tk_url, document_date
    FROM docs WHERE kind LIKE 'Antwoord%' AND kind ILIKE '%nader%'
    UNION ALL
    -- a delay notice (one alert per notice, however many sets it covers)
    SELECT 'new_delay_notice', document_id, set_themes, sets, ministries, parties, document_id,
           'Uitstelbericht ' || coalesce(array_to_string(sets, ', '), '') || ' (' || coalesce(document_date::VARCHAR, '?') || '): ' || coalesce(subject, ''),
           NULL, tk_url, document_date
    FROM docs WHERE kind ILIKE 'Mededeling (uitstel%'
    UNION ALL
    -- a promised date that moved between letters
    SELECT 'promised_date_moved', dd.subject || '|' || dd.document_id || '|' || dd.date_end::VARCHAR,
           [dd.theme_id], d.sets, d.ministries, d.parties, dd.document_id,
           dd.subject || ': "' || coalesce(dd.previous_date_text, '') || '" (brief ' || coalesce(dd.previous_letter_date::VARCHAR, '?')
             || ') werd "' || coalesce(dd.date_text, '') || '" (brief ' || coalesce(dd.letter_date::VARCHAR, '?') || '), '
             || CASE WHEN dd.shift_days > 0 THEN '+' ELSE '' END || dd.shift_days::VARCHAR || ' dagen',
           dd.evidence, d.tk_url, dd.letter_date
    FROM deadline_drift dd JOIN docs d ON d.document_id = dd.document_id
    UNION ALL
    -- a dated promise or expectation whose due range has passed (on the enrichment's reference date)
    SELECT 'commitment_overdue',
           c.document_id || '|' || coalesce(c.subject, '') || '|' || coalesce(c.date_text, '') || '|' || c.due_end::VARCHAR,
           CASE WHEN c.theme_id IS NULL THEN [] ELSE [c.theme_id] END, d.sets, d.ministries, d.parties, c.document_id,
           CASE c.kind WHEN 'commitment' THEN 'Toezegging' ELSE 'Verwachting' END || ' "' || coalesce(c.date_text, '')
             || '" (uiterlijk ' || c.due_end::VARCHAR || ', brief ' || coalesce(c.letter_date::VARCHAR, '?') || ') is verlopen',
           c.evidence, d.tk_url, c.due_end
    FROM commitments c JOIN docs d ON d.document_id = c.document_id
    WHERE c.status = 'overdue' AND c.due_end IS NOT NULL
    UNION ALL
    -- an open set past the three-week norm without any delay notice
    SELECT 'past_norm_without_notice', r.question_set_id, coalesce(st.themes, []), [r.number],
           coalesce(r.ministries, []), coalesce(r.asker_parties, []), qd.document_id,
           r.number || ' is op ' || r.reference_date::VARCHAR || ' ' || r.days_open::VARCHAR
             || ' dagen open (termijn tot ' || r.due_on::VARCHAR || ') zonder uitstelbericht: ' || coalesce(r.subject, ''),
           NULL, qd.tk_url, r.due_on
    FROM response_times r
    LEFT JOIN set_themes st ON st.question_set_id = r.question_set_id
    LEFT JOIN (
        SELECT l.question_set_id, min(d.document_id) AS document_id, min(d.tk_url) AS tk_url
        FROM document_question_sets l JOIN documents d ON d.document_id = l.document_id
        WHERE d.kind = 'Schriftelijke vragen'
        GROUP BY l.question_set_id
    ) qd ON qd.question_set_id = r.question_set_id
    WHERE r.norm_status = 'open_overdue' AND coalesce(r.delay_notice_count, 0) = 0
),
watched AS (
    SELECT *, list_sort(list_intersect(themes, $themes::VARCHAR[])) AS watched_themes
    FROM events
    WHERE (list_has_any(themes, $themes::VARCHAR[]) OR list_has_any(sets, $sets::VARCHAR[])
           OR list_has_any(ministries, $ministries::VARCHAR[]) OR list_has_any(parties, $parties::VARCHAR[]))
      AND ($since::DATE IS NULL OR event_date IS NULL OR event_date >= $since::DATE)
)
SELECT
    md5(kind || '|' || ident) AS alert_key,
    kind,
    watched_themes[1] AS theme_id,
    sets AS question_set_numbers,
    document_id,
    detail,
    coalesce(evidence, (SELECT left(t.evidence, 300) FROM theme_links t
                         WHERE t.document_id = w.document_id AND t.theme_id = w.watched_themes[1]
                         ORDER BY t.block_index NULLS LAST, t.char_start LIMIT 1)) AS evidence,
    url,
    $now::TIMESTAMP AS first_seen,
    NULL::TIMESTAMP AS delivered
FROM watched w
ORDER BY kind, ident
RETURNING alert_key;
