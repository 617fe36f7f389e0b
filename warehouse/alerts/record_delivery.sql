-- record_delivery.sql — one sink ($sink) accepted one alert ($alert_key) at $now.
INSERT OR IGNORE INTO _alert_deliveries VALUES ($alert_key, $sink, $now::TIMESTAMP);
