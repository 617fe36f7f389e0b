-- late_without_notice.sql — report section "Answered late without a delay notice".
-- Per addressed portfolio: of the answered sets, the share answered after the 21-day norm with
-- no delay notice before the answer (response_times_by_ministry counts them).
SELECT
    coalesce(ministry, '(onbekend)') AS ministry,
    answered,
    late_without_notice,
    late_with_notice,
    on_time,
    round(late_without_notice / nullif(answered, 0), 3) AS share_late_without_notice
FROM response_times_by_ministry
WHERE answered > 0
ORDER BY share_late_without_notice DESC, ministry;
