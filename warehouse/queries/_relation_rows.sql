-- Row count of one relation, named by $1 (a name from the DDL catalogue; bound, not formatted in).
SELECT count(*) AS n FROM query_table($1::VARCHAR);
