-- _parity_by_month.sql — the run summary's parity line (etl.load.parity.parity_by_month).
SELECT month, letters, agreeing, share_agreeing FROM parity_by_month ORDER BY month NULLS LAST;
