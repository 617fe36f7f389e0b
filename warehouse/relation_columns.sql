-- relation_columns.sql — columns of one relation ($1 = its name) in schema main: name, type,
-- comment, in table order (used by the export manifest and the schema tests).
SELECT column_name, data_type, comment
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1
ORDER BY column_index;
