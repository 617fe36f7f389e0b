-- _parity_compared.sql — what each letter's parity row was computed from (etl.pipeline's
-- compare_koop_letters skips a letter whose TK file, KOOP XML and parser version are unchanged).
SELECT document_id, file_sha256, xml_sha256, parser_version
FROM parse_parity;
