-- refresh_response_times.sql — rebuild the response_times rows of the scope's question sets
-- and of every unanswered set (whose days_open moves with the reference date) from
-- question_sets (run after refresh_derived.sql). The reference date for open sets comes from
-- the one-row temp table refresh_params(reference_date), filled with a bound parameter by
-- etl.load.warehouse.refresh.
-- Working days use a calendar generated from the Dutch holiday macros in 10_core.sql: the
-- running count of working days per day, so a difference of two counts is the working days
-- after the first day up to and including the second.

CREATE OR REPLACE TEMP TABLE _response_scope AS
SELECT question_set_id FROM _scope_sets
UNION
SELECT question_set_id FROM question_sets WHERE first_answer_on IS NULL
UNION
SELECT question_set_id FROM response_times WHERE first_answer_on IS NULL;

DELETE FROM response_times
WHERE (SELECT full_rebuild FROM refresh_params)
   OR question_set_id IN (SELECT question_set_id FROM _response_scope);

INSERT INTO response_times
WITH params AS (
    SELECT reference_date FROM refresh_params
),
scoped AS (
    SELECT * FROM question_sets WHERE question_set_id IN (SELECT question_set_id FROM _response_scope)
),
bounds AS (
    -- working-day counts are only ever subtracted, so the calendar may start at any day
    -- on or before the first one needed
    SELECT
        coalesce(min(submitted_on), (SELECT reference_date FROM params)) AS lo,
        greatest(coalesce(max(first_answer_on), (SELECT reference_date FROM params)),
                 (SELECT reference_date FROM params)) AS hi
    FROM scoped
),
calendar AS (
    SELECT
        day::DATE AS day,
        sum(CASE WHEN nl_is_working_day(day) THEN 1 ELSE 0 END) OVER (ORDER BY day) AS working_index
    FROM bounds, generate_series(bounds.lo::TIMESTAMP, bounds.hi::TIMESTAMP, INTERVAL 1 DAY) AS g(day)
),
sets AS (
    SELECT
        qs.*,
        qs.submitted_on + 21 AS due_on,
        qs.delay_notice_dates[1] AS first_delay_notice_on,
        CASE WHEN qs.first_answer_on IS NULL THEN (SELECT reference_date FROM params) END AS reference_date
    FROM scoped qs
)
SELECT
    s.question_set_id,
    s.number,
    s.subject,
    s.submitted_on,
    s.due_on,
    s.first_answer_on,
    s.first_answer_on - s.submitted_on AS days_to_first_answer,
    (ca.working_index - cs.working_index)::INTEGER AS working_days_to_first_answer,
    CASE WHEN s.first_answer_on IS NULL AND s.status <> 'withdrawn'
         THEN s.reference_date - s.submitted_on END AS days_open,
    s.delay_notice_count,
    s.delay_notice_dates,
    s.first_delay_notice_on,
    CASE WHEN s.first_delay_notice_on IS NOT NULL THEN s.first_delay_notice_on <= s.due_on END AS notice_within_term,
    CASE
        WHEN s.submitted_on IS NULL THEN 'unknown'
        WHEN s.first_answer_on IS NULL AND s.status = 'withdrawn' THEN 'withdrawn'
        WHEN s.first_answer_on IS NULL AND s.reference_date > s.due_on THEN 'open_overdue'
        WHEN s.first_answer_on IS NULL THEN 'open_within_term'
        WHEN s.first_answer_on <= s.due_on THEN 'on_time'
        WHEN s.first_delay_notice_on IS NOT NULL AND s.first_delay_notice_on <= s.first_answer_on THEN 'late_with_notice'
        ELSE 'late_without_notice'
    END AS norm_status,
    s.status,
    s.ministries,
    s.asker_parties,
    s.reference_date
FROM sets s
LEFT JOIN calendar cs ON cs.day = s.submitted_on
LEFT JOIN calendar ca ON ca.day = s.first_answer_on
ORDER BY s.question_set_id;

DROP TABLE _response_scope;
DROP TABLE refresh_params;
