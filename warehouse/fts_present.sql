-- fts_present.sql — 1 when both full-text indexes exist (apply_schema builds empty ones
-- before the search macro, which binds against them).
SELECT count(*) = 2
FROM duckdb_schemas()
WHERE schema_name IN ('fts_main_questions', 'fts_main_answers');
