-- refresh_params.sql — the parameters of one refresh() run, as a one-row temp table the
-- refresh SQL files read. $1 = reference date for open question sets; $2 = true for a full
-- rebuild (every set and document in scope), false to recompute only what _refresh_queue names.
CREATE OR REPLACE TEMP TABLE refresh_params AS
SELECT CAST($1 AS DATE) AS reference_date, CAST($2 AS BOOLEAN) AS full_rebuild;
