-- refresh_state.sql — what refresh() weighs before choosing a full rebuild or an incremental
-- update: question sets queued by loads, all question sets, words in the search vocabulary,
-- question and answer blocks, search units ever written, and those retired since the last rebuild
-- (a rebuild once they pass a tenth: their postings still cost every query a little).
SELECT
    (SELECT count(DISTINCT question_set_id) FROM _refresh_queue),
    (SELECT count(*) FROM question_sets),
    (SELECT count(*) FROM _search_vocab),
    (SELECT (EXISTS (SELECT 1 FROM questions) OR EXISTS (SELECT 1 FROM answers))::INTEGER),
    (SELECT count(*) FROM _search_units),
    (SELECT count(*) FROM _search_retired);
