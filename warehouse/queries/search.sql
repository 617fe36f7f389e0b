-- Full-text search over questions and answers (Dutch stemming, BM25 ranking): the 20 best
-- matches for $query with their question set and letter date. Bind $query, e.g. 'storingen'.
SELECT
    round(score, 3) AS score,
    kind,
    question_set_number,
    document_date,
    label,
    text
FROM search_qa($query, max_results := 20);
