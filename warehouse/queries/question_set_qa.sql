-- The questions and answers of one question set, in question order, the first answer before
-- any nader answer. Bind $number (e.g. '2025Z20557').
SELECT
    question_number,
    question_text,
    answer_label,
    grouped,
    answer_order,
    answer_date,
    answer_text
FROM qa_pairs
WHERE question_set_number = $number
ORDER BY
    try_cast(regexp_extract(question_number, '^\d+') AS INTEGER) NULLS LAST,
    question_number,
    answer_date,
    answer_order,
    answer_id;
