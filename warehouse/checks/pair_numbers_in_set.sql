-- pair_numbers_in_set.sql — every Q&A pair points at a question of its own question set that
-- carries the pair's question number (a pair never crosses sets or invents a number).
SELECT count(*) AS violations,
       coalesce(list(p.question_set_id || ' #' || p.question_number ORDER BY p.question_set_id, p.question_number)[1:5], []) AS examples
FROM qa_pairs p
LEFT JOIN questions q ON q.question_id = p.question_id
WHERE q.question_id IS NULL
   OR q.question_set_id IS DISTINCT FROM p.question_set_id
   OR NOT list_contains(q.numbers, p.question_number);
