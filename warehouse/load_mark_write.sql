-- Record the digest of what was just applied or loaded under one mark (the row is replaced).
-- Python: etl.load.warehouse.set_load_mark.
INSERT OR REPLACE INTO _load_marks (mark, digest) VALUES ($mark, $digest);
