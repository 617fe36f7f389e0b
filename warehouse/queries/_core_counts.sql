-- Row counts of the core relations, reported after each load (run metadata, CLI summary).
SELECT 'question_sets' AS relation, count(*) AS n FROM question_sets
UNION ALL SELECT 'documents', count(*) FROM documents
UNION ALL SELECT 'questions', count(*) FROM questions
UNION ALL SELECT 'answers', count(*) FROM answers
UNION ALL SELECT 'qa_pairs', count(*) FROM qa_pairs;
