-- Follow-up chains between question sets: the set a letter belongs to, and the earlier set it
-- cites ("ter aanvulling op eerdere vragen ... 2025Z20552"). A cited set that is not loaded yet
-- still shows, with NULL subject. Joins document_question_sets and question_sets (10_core.sql).
-- Python: con.execute(read_sql("queries/theme_follow_up_chains.sql"))
SELECT
    qs.number AS question_set_number,
    qs.subject AS question_set_subject,
    l.relation,
    l.target_number AS cited_question_set_number,
    cited.subject AS cited_question_set_subject,
    cited.submitted_on AS cited_submitted_on,
    l.document_id,
    l.evidence
FROM question_set_links l
LEFT JOIN document_question_sets dqs ON dqs.document_id = l.document_id AND dqs.position = 0
LEFT JOIN question_sets qs ON qs.question_set_id = dqs.question_set_id
LEFT JOIN question_sets cited ON cited.number = l.target_number
ORDER BY qs.number NULLS LAST, l.target_number;
