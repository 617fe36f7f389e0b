-- The DDL digest this warehouse was last built with (no row: never recorded).
-- Python: etl.load.warehouse.apply_schema; fails with a CatalogException on a warehouse
-- older than 90_schema_applied.sql, which apply_schema then builds.
SELECT digest FROM _schema_applied;
