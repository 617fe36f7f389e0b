-- one_response_time_per_set.sql — response_times has exactly one row per question set:
-- none missing, none doubled.
WITH per_set AS (
    SELECT qs.question_set_id, count(rt.question_set_id) AS n
    FROM question_sets qs
    LEFT JOIN response_times rt ON rt.question_set_id = qs.question_set_id
    GROUP BY qs.question_set_id
    UNION ALL
    -- rows for sets that are not (or no longer) in question_sets
    SELECT rt.question_set_id, 0 AS n
    FROM response_times rt
    WHERE NOT EXISTS (SELECT 1 FROM question_sets qs WHERE qs.question_set_id = rt.question_set_id)
)
SELECT count(*) AS violations,
       coalesce(list(question_set_id ORDER BY question_set_id)[1:5], []) AS examples
FROM per_set
WHERE n <> 1;
