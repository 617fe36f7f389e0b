-- pending.sql — alerts one sink ($sink) has not received yet, oldest first.
SELECT a.alert_key, a.kind, a.theme_id, a.question_set_numbers, a.document_id, a.detail,
       a.evidence, a.url, a.first_seen
FROM alerts a
WHERE NOT EXISTS (SELECT 1 FROM _alert_deliveries d WHERE d.alert_key = a.alert_key AND d.sink = $sink)
ORDER BY a.first_seen, a.kind, a.alert_key;
