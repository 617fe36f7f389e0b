-- response_times_monthly.sql — report section "Response times per ministry per month".
-- One row per addressed portfolio, month of submission and delay-notice group: the median
-- number of calendar days the sets took (answered: to the first answer; still open: until the
-- reference date), to plot against the 21-day norm. A set addressed to two portfolios counts
-- for both; a set with no known addressee is grouped under '(onbekend)'.
SELECT
    coalesce(ministry, '(onbekend)') AS ministry,
    date_trunc('month', submitted_on)::DATE AS month,
    delay_notice_count > 0 AS with_notice,
    count(*) AS question_sets,
    count(*) FILTER (WHERE first_answer_on IS NULL) AS still_open,
    median(coalesce(days_to_first_answer, days_open)) AS median_days
FROM (
    SELECT unnest(CASE WHEN len(ministries) = 0 THEN [NULL::VARCHAR] ELSE ministries END) AS ministry, *
    FROM response_times
    WHERE submitted_on IS NOT NULL AND norm_status <> 'withdrawn'
)
GROUP BY ALL
ORDER BY ministry, with_notice, month;
