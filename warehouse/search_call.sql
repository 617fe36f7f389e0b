-- search_call.sql — search_qa() with bound parameters, for etl.load.search.search():
-- $query = the search words, $max_results = how many rows (NULL = all).
SELECT score, kind, unit_id, question_set_number, document_number, document_date, label, numbers, text,
       document_id, question_set_id, document_kind, printed_in
FROM search_qa($query, max_results := $max_results);
