-- fts_build.sql — (re)build the full-text indexes over question and answer text.
-- DuckDB's fts index is a snapshot: rows loaded later are invisible until this runs again,
-- which etl.load.warehouse.refresh() does after every batch. Dutch Snowball stemmer, accents
-- stripped and lower-cased, so 'storingen' finds 'storing' and 'ICT-storing'.

PRAGMA create_fts_index('questions', 'question_id', 'text',
    stemmer = 'dutch', stopwords = 'none', strip_accents = 1, lower = 1, overwrite = 1);

PRAGMA create_fts_index('answers', 'answer_id', 'text',
    stemmer = 'dutch', stopwords = 'none', strip_accents = 1, lower = 1, overwrite = 1);
