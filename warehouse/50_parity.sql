-- 50_parity.sql — PDF ↔ KOOP XML parity: the production accuracy monitor of the parser.
-- When a letter exists both as the TK file (PDF/DOCX) and as KOOP XML (officielebekendmakingen.nl),
-- both are parsed and compared block by block (etl.parse.parity.compare_letters). One row per
-- letter; written only by etl.load.parity.load_parity (delete-then-insert per document, one
-- transaction). Re-runnable: CREATE ... IF NOT EXISTS / CREATE OR REPLACE VIEW / COMMENT ON.

CREATE TABLE IF NOT EXISTS parse_parity (
    document_id         VARCHAR NOT NULL,
    koop_id             VARCHAR NOT NULL,
    file_sha256         VARCHAR,
    xml_sha256          VARCHAR,
    letter_month        DATE,
    agrees              BOOLEAN NOT NULL,
    structure_agrees    BOOLEAN NOT NULL,
    footnotes_agree     BOOLEAN NOT NULL,
    dates_agree         BOOLEAN NOT NULL,
    blocks              INTEGER NOT NULL,
    blocks_agreeing     INTEGER NOT NULL,
    min_text_ratio      DOUBLE,
    chosen_source       VARCHAR NOT NULL,
    reasons             VARCHAR[],
    parser_version      VARCHAR
);

COMMENT ON TABLE parse_parity IS 'One row per letter that has both a TK file and a KOOP XML twin: do the two parses agree block by block (numbers, labels, normalised text, footnotes, dates)?';
COMMENT ON COLUMN parse_parity.document_id IS 'The letter (documents.document_id).';
COMMENT ON COLUMN parse_parity.koop_id IS 'KOOP publication id of the XML twin (documents.koop_id), e.g. ah-tk-20252026-38.';
COMMENT ON COLUMN parse_parity.file_sha256 IS 'sha256 of the TK file (PDF/DOCX) that was parsed.';
COMMENT ON COLUMN parse_parity.xml_sha256 IS 'sha256 of the KOOP XML that was parsed.';
COMMENT ON COLUMN parse_parity.letter_month IS 'First day of the month the letter was answered (received date, else the document date); the run summary groups on it.';
COMMENT ON COLUMN parse_parity.agrees IS 'True when every block, the footnotes and both dates agree (reasons is then empty).';
COMMENT ON COLUMN parse_parity.structure_agrees IS 'Same number of blocks with the same question numbers and labels on both sides.';
COMMENT ON COLUMN parse_parity.footnotes_agree IS 'Same footnote numbers, and texts whose normalised ratio is at least 0.95.';
COMMENT ON COLUMN parse_parity.dates_agree IS 'Same submission and answer dates.';
COMMENT ON COLUMN parse_parity.blocks IS 'Question and answer block positions compared (the larger count of the two sides).';
COMMENT ON COLUMN parse_parity.blocks_agreeing IS 'Positions where numbers and label match and the normalised text ratio is at least 0.95.';
COMMENT ON COLUMN parse_parity.min_text_ratio IS 'Lowest normalised text similarity over the compared blocks (1.0 = identical after NFKC, whitespace and dashes removed, case folded).';
COMMENT ON COLUMN parse_parity.chosen_source IS 'Whose blocks the questions/answers tables hold: pdf (the TK file, with page provenance) or xml (KOOP, taken because the structures disagree).';
COMMENT ON COLUMN parse_parity.reasons IS 'Each disagreement in one line, e.g. ''answer block 9 (Antwoord 9) missing in the PDF''.';
COMMENT ON COLUMN parse_parity.parser_version IS 'Parser version of both parses.';

CREATE OR REPLACE VIEW parity_by_month AS
SELECT
    letter_month AS month,
    count(*) AS letters,
    count(*) FILTER (WHERE agrees) AS agreeing,
    round(count(*) FILTER (WHERE agrees) / count(*), 4) AS share_agreeing,
    count(*) FILTER (WHERE chosen_source = 'xml') AS xml_chosen
FROM parse_parity
GROUP BY letter_month
ORDER BY letter_month;

COMMENT ON VIEW parity_by_month IS 'Per month: letters with both sources, how many agree and the share (the number the run summary reports).';
COMMENT ON COLUMN parity_by_month.month IS 'First day of the month (parse_parity.letter_month); NULL when the letter has no date.';
COMMENT ON COLUMN parity_by_month.letters IS 'Letters compared that month.';
COMMENT ON COLUMN parity_by_month.agreeing IS 'Letters whose PDF and XML parses agree.';
COMMENT ON COLUMN parity_by_month.share_agreeing IS 'agreeing / letters, rounded to 4 decimals.';
COMMENT ON COLUMN parity_by_month.xml_chosen IS 'Letters whose blocks were taken from the XML because the structures disagree.';
