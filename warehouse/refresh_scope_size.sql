-- refresh_scope_size.sql — how many question sets and documents refresh_scope.sql put in
-- scope. An incremental refresh with both at zero skips refresh_derived.sql and
-- search_update.sql, which would change nothing (response_times still runs: open sets move
-- with the reference date). Python: etl.load.warehouse.refresh.
SELECT (SELECT count(*) FROM _scope_sets) AS sets, (SELECT count(*) FROM _scope_docs) AS docs;
