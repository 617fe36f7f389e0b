-- analyst_columns.sql — the columns of every relation in schema main whose name does not start
-- with '_' (the relations of analyst_relations.sql): relation, name, type, comment, in table
-- order. One catalogue read for all of them (etl.load.schema.declared_relations).
SELECT table_name, column_name, data_type, comment
FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = 'main' AND NOT starts_with(table_name, '_')
ORDER BY table_name, column_index;
