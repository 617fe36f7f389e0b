-- refresh_params.sql — the parameters of one refresh() run, as a one-row temp table the
-- refresh SQL files read. $1 = reference date for open question sets.
CREATE OR REPLACE TEMP TABLE refresh_params AS
SELECT CAST($1 AS DATE) AS reference_date;
