-- Record the digest of the DDL just applied (one row, replaced).
-- Python: etl.load.warehouse.apply_schema, inside its transaction.
INSERT OR REPLACE INTO _schema_applied (singleton, digest) VALUES (true, $digest);
