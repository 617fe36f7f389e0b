-- Which file (by sha256) and parser version each document's parsed rows came from; the load
-- step skips letters whose pair is unchanged, so a rerun after no change loads nothing.
SELECT document_id, file_sha256, parser_version
FROM documents
WHERE file_sha256 IS NOT NULL;
