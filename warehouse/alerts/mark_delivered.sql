-- mark_delivered.sql — stamp alerts that every configured sink ($sinks, VARCHAR[]) has received.
UPDATE alerts SET delivered = $now::TIMESTAMP
WHERE delivered IS NULL AND len($sinks::VARCHAR[]) > 0
  AND (SELECT count(DISTINCT d.sink) FROM _alert_deliveries d
        WHERE d.alert_key = alerts.alert_key AND list_contains($sinks::VARCHAR[], d.sink)) = len($sinks::VARCHAR[]);
