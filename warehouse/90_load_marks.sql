-- 90_load_marks.sql — what this warehouse was last built from, so a run can tell "unchanged"
-- without redoing the work. One row per mark:
--   'schema'   sha256 of the DDL files (etl.load.warehouse.apply_schema runs them, this one
--              last, then records it; a current warehouse skips ~130 ms of CREATE OR REPLACE);
--   'metadata' sha256 of the raw store's merged metadata and of the code and DDL that map it
--              (etl.pipeline.load_warehouse skips load_metadata when it is unchanged).
CREATE TABLE IF NOT EXISTS _load_marks (
    mark VARCHAR PRIMARY KEY,
    digest VARCHAR NOT NULL
);
COMMENT ON TABLE _load_marks IS 'Internal: digests of what the warehouse was last built from (schema, metadata), so unchanged work is skipped.';
