-- The digest recorded under one mark of _load_marks ($mark: 'schema' or 'metadata'; no row:
-- never recorded). Python: etl.load.warehouse.load_mark; fails with a CatalogException on a
-- warehouse older than 90_load_marks.sql.
SELECT digest FROM _load_marks WHERE mark = $mark;
