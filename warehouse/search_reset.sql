-- search_reset.sql — drop the full-text index so refresh() can build it again from nothing
-- (a full rebuild, or a compaction when many blocks were retired). 40_search.sql, run next,
-- declares the empty tables again; search_update.sql fills them.
DROP TABLE IF EXISTS _search_terms;
DROP TABLE IF EXISTS _search_vocab;
DROP TABLE IF EXISTS _search_postings;
DROP TABLE IF EXISTS _search_units;
DROP TABLE IF EXISTS _search_retired;
DROP TABLE IF EXISTS _search_stats;
