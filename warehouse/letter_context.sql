-- letter_context.sql — what each letter says about itself beyond its blocks, for the themes'
-- scope checks (etl.enrich.themes.LetterContext): its title, and who it was addressed to and
-- answered by, as printed in the letter and as the API lists the question set's addressees.
-- _wanted_documents: the documents to read (one column, document_id; registered by the caller);
-- $1: TRUE to read every document instead.

SELECT d.document_id,
       coalesce(d.letter_title, '') AS title,
       list_distinct(flatten([
           coalesce(d.letter_addressees, []::VARCHAR[]),
           coalesce((SELECT flatten(list(coalesce(qs.addressees, []::VARCHAR[])))
                     FROM document_question_sets dq
                     JOIN question_sets qs ON qs.question_set_id = dq.question_set_id
                     WHERE dq.document_id = d.document_id), []::VARCHAR[])
       ])) AS addressees,
       coalesce(d.letter_answered_by, []::VARCHAR[]) AS answered_by
FROM documents d
WHERE $1::BOOLEAN
   OR d.document_id IN (SELECT document_id FROM _wanted_documents)
ORDER BY d.document_id;
