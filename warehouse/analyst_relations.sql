-- analyst_relations.sql — the relations an analyst sees (and export writes): every table and
-- view in schema main of the warehouse database, except names starting with '_'.
SELECT table_name, 'table' AS kind, comment
FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary
  AND NOT starts_with(table_name, '_')
UNION ALL
SELECT view_name, 'view', comment
FROM duckdb_views()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary AND NOT internal
  AND NOT starts_with(view_name, '_')
ORDER BY 1;
