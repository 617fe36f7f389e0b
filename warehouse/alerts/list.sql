-- list.sql — alerts first seen on or after $since (a DATE; NULL = all), newest first.
SELECT first_seen, kind, theme_id, question_set_numbers, detail, evidence, url, document_id,
       delivered, alert_key
FROM alerts
WHERE $since::DATE IS NULL OR first_seen >= $since::DATE
ORDER BY first_seen DESC, kind, alert_key;
