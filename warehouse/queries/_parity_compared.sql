-- _parity_compared.sql — what each letter's parity row was computed from, and whether it is
-- still current: the letter loaded in `documents` is from the same TK file, its KOOP id is the
-- same (a KOOP publication never changes under its id) and the parser version is this one ($1).
-- etl.pipeline's compare_koop_letters compares only the letters that are not current.
SELECT p.document_id, p.file_sha256, p.xml_sha256, p.parser_version,
       coalesce(p.file_sha256 = d.file_sha256 AND p.koop_id = d.koop_id AND p.parser_version = $1, false)
           AS current
FROM parse_parity AS p
LEFT JOIN documents AS d USING (document_id);
