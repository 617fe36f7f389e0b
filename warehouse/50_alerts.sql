-- 50_alerts.sql — alerts for analysts: what changed in things they watch (etl.alerts).
-- Re-runnable: CREATE ... IF NOT EXISTS / COMMENT ON.
-- Rows are only ever added (INSERT OR IGNORE on alert_key, alerts/derive.sql) and marked
-- delivered; a rerun, an incremental run or a run after a kill -9 derives the same keys again
-- and adds nothing, so every alert is raised once.

CREATE TABLE IF NOT EXISTS alerts (
    alert_key           VARCHAR PRIMARY KEY,
    kind                VARCHAR NOT NULL,
    theme_id            VARCHAR,
    question_set_numbers VARCHAR[],
    document_id         VARCHAR,
    detail              VARCHAR NOT NULL,
    evidence            VARCHAR,
    url                 VARCHAR,
    first_seen          TIMESTAMP NOT NULL,
    delivered           TIMESTAMP
);
COMMENT ON TABLE alerts IS 'Something an analyst watches changed (watch list: etl/enrich/watch.toml or KAMERSPOOR_WATCH): one row per event, raised once, kept after delivery.';
COMMENT ON COLUMN alerts.alert_key IS 'md5 of kind and what identifies the event (e.g. the document id): the same event always has the same key.';
COMMENT ON COLUMN alerts.kind IS 'new_answer (answer letter on a watched theme, set, ministry or party) | promised_date_moved (deadline_drift) | commitment_overdue | past_norm_without_notice (open set past 21 days, no delay notice) | new_delay_notice | nader_answer.';
COMMENT ON COLUMN alerts.theme_id IS 'The watched theme the event is about (the first one, alphabetically, when several); NULL when it matched on set, ministry or party only.';
COMMENT ON COLUMN alerts.question_set_numbers IS 'Question sets concerned (a delay notice or answer letter can cover several).';
COMMENT ON COLUMN alerts.document_id IS 'The document the event is in (documents.document_id); for past_norm_without_notice the questions document.';
COMMENT ON COLUMN alerts.detail IS 'One readable line: what happened.';
COMMENT ON COLUMN alerts.evidence IS 'The sentence or text excerpt the alert rests on, when there is one.';
COMMENT ON COLUMN alerts.url IS 'Where to read it: the document''s page at tweedekamer.nl.';
COMMENT ON COLUMN alerts.first_seen IS 'When the run that first derived the alert ran (UTC).';
COMMENT ON COLUMN alerts.delivered IS 'When the alert had reached every configured sink (UTC); NULL while a sink still has it pending or none is configured.';

-- Internal: which sink has received which alert (one row per alert and sink, written right
-- after the sink accepted it), so a sink that was down gets exactly the alerts it missed.
CREATE TABLE IF NOT EXISTS _alert_deliveries (
    alert_key           VARCHAR NOT NULL,  -- alerts.alert_key
    sink                VARCHAR NOT NULL,  -- the sink's name from the watch file
    delivered_at        TIMESTAMP NOT NULL,
    PRIMARY KEY (alert_key, sink)
);
