-- Late answers per ministry: which portfolios miss the three-week norm most often, and how
-- often they announce it with a delay notice. Sets answered since :since (a DATE).
--   duckdb kamerspoor.duckdb -c ".read warehouse/queries/late_answers_per_ministry.sql"
-- with $since bound (Python: con.execute(sql, {"since": date(2024, 1, 1)})).
SELECT
    ministry,
    count(*) AS answered,
    count(*) FILTER (WHERE norm_status = 'late_with_notice') AS late_with_notice,
    count(*) FILTER (WHERE norm_status = 'late_without_notice') AS late_without_notice,
    round(count(*) FILTER (WHERE norm_status LIKE 'late%') / count(*), 3) AS share_late,
    median(days_to_first_answer) AS median_days
FROM (SELECT unnest(ministries) AS ministry, * FROM response_times)
WHERE first_answer_on >= $since
GROUP BY ministry
ORDER BY share_late DESC, answered DESC, ministry;
