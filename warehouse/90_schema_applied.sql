-- 90_schema_applied.sql — which DDL this warehouse was last built with.
-- etl.load.warehouse.apply_schema runs the NN_*.sql files in order, this one last, and then
-- records the digest of their text here in the same transaction. Every writer step of a run
-- opens the warehouse with apply_schema; with the digest current it skips re-running ~170 ms
-- of CREATE OR REPLACE statements that would change nothing.
CREATE TABLE IF NOT EXISTS _schema_applied (
    singleton BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
    digest VARCHAR NOT NULL
);
COMMENT ON TABLE _schema_applied IS 'Internal: the sha256 of the DDL files last applied (apply_schema skips a current warehouse).';
