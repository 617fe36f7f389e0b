-- 30_views.sql — analyst views over the core tables. Re-runnable (CREATE OR REPLACE VIEW).
-- A set addressed to two ministries counts for both; a set asked by members of two parties
-- counts for both parties.

-- One aggregate for both breakdowns: each response_times row once per addressed portfolio
-- (dimension 'ministry') and once per party of its askers (dimension 'party'). Internal ('_').
CREATE OR REPLACE VIEW _response_time_stats AS
SELECT
    dimension,
    grp,
    count(*) AS question_sets,
    count(*) FILTER (WHERE first_answer_on IS NOT NULL) AS answered,
    count(*) FILTER (WHERE norm_status = 'on_time') AS on_time,
    count(*) FILTER (WHERE norm_status = 'late_with_notice') AS late_with_notice,
    count(*) FILTER (WHERE norm_status = 'late_without_notice') AS late_without_notice,
    count(*) FILTER (WHERE norm_status = 'open_within_term') AS open_within_term,
    count(*) FILTER (WHERE norm_status = 'open_overdue') AS open_overdue,
    round(count(*) FILTER (WHERE norm_status = 'on_time')
          / nullif(count(*) FILTER (WHERE first_answer_on IS NOT NULL), 0), 3) AS share_on_time,
    median(days_to_first_answer) AS median_days,
    round(avg(days_to_first_answer), 1) AS avg_days,
    median(working_days_to_first_answer) AS median_working_days,
    sum(delay_notice_count) AS delay_notices
FROM (
    SELECT 'ministry' AS dimension,
           unnest(CASE WHEN len(ministries) = 0 THEN [NULL::VARCHAR] ELSE ministries END) AS grp, *
    FROM response_times
    UNION ALL BY NAME
    SELECT 'party' AS dimension,
           unnest(CASE WHEN len(asker_parties) = 0 THEN [NULL::VARCHAR] ELSE asker_parties END) AS grp, *
    FROM response_times
)
GROUP BY dimension, grp;

CREATE OR REPLACE VIEW response_times_by_ministry AS
SELECT grp AS ministry, question_sets, answered, on_time, late_with_notice, late_without_notice,
       open_within_term, open_overdue, share_on_time, median_days, avg_days,
       median_working_days, delay_notices
FROM _response_time_stats
WHERE dimension = 'ministry';

COMMENT ON VIEW response_times_by_ministry IS 'Response times against the three-week norm per addressed portfolio (NULL = no addressee known).';
COMMENT ON COLUMN response_times_by_ministry.ministry IS 'Portfolio addressed, e.g. ''Justitie en Veiligheid'' (actors.ministry).';
COMMENT ON COLUMN response_times_by_ministry.question_sets IS 'Question sets addressed to it.';
COMMENT ON COLUMN response_times_by_ministry.answered IS 'Sets with a first answer.';
COMMENT ON COLUMN response_times_by_ministry.on_time IS 'Answered within 21 calendar days.';
COMMENT ON COLUMN response_times_by_ministry.late_with_notice IS 'Answered late after a delay notice.';
COMMENT ON COLUMN response_times_by_ministry.late_without_notice IS 'Answered late with no delay notice before the answer.';
COMMENT ON COLUMN response_times_by_ministry.open_within_term IS 'Unanswered, still within 21 days of the reference date.';
COMMENT ON COLUMN response_times_by_ministry.open_overdue IS 'Unanswered and past the 21 days on the reference date.';
COMMENT ON COLUMN response_times_by_ministry.share_on_time IS 'on_time / answered.';
COMMENT ON COLUMN response_times_by_ministry.median_days IS 'Median calendar days to the first answer.';
COMMENT ON COLUMN response_times_by_ministry.avg_days IS 'Mean calendar days to the first answer.';
COMMENT ON COLUMN response_times_by_ministry.median_working_days IS 'Median working days to the first answer.';
COMMENT ON COLUMN response_times_by_ministry.delay_notices IS 'Delay notices sent.';

CREATE OR REPLACE VIEW response_times_by_party AS
SELECT grp AS party, question_sets, answered, on_time, late_with_notice, late_without_notice,
       open_within_term, open_overdue, share_on_time, median_days, avg_days,
       median_working_days, delay_notices
FROM _response_time_stats
WHERE dimension = 'party';

COMMENT ON VIEW response_times_by_party IS 'Response times against the three-week norm per party of the askers (NULL = no party known).';
COMMENT ON COLUMN response_times_by_party.party IS 'Party of an asker (actors.party).';
COMMENT ON COLUMN response_times_by_party.question_sets IS 'Question sets its members asked.';
COMMENT ON COLUMN response_times_by_party.answered IS 'Sets with a first answer.';
COMMENT ON COLUMN response_times_by_party.on_time IS 'Answered within 21 calendar days.';
COMMENT ON COLUMN response_times_by_party.late_with_notice IS 'Answered late after a delay notice.';
COMMENT ON COLUMN response_times_by_party.late_without_notice IS 'Answered late with no delay notice before the answer.';
COMMENT ON COLUMN response_times_by_party.open_within_term IS 'Unanswered, still within 21 days of the reference date.';
COMMENT ON COLUMN response_times_by_party.open_overdue IS 'Unanswered and past the 21 days on the reference date.';
COMMENT ON COLUMN response_times_by_party.share_on_time IS 'on_time / answered.';
COMMENT ON COLUMN response_times_by_party.median_days IS 'Median calendar days to the first answer.';
COMMENT ON COLUMN response_times_by_party.avg_days IS 'Mean calendar days to the first answer.';
COMMENT ON COLUMN response_times_by_party.median_working_days IS 'Median working days to the first answer.';
COMMENT ON COLUMN response_times_by_party.delay_notices IS 'Delay notices sent.';
