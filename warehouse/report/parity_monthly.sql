-- parity_monthly.sql — report section "PDF and XML compared, per month".
-- Per month of the answer letter (parity_by_month): letters that exist both as the TK file
-- (PDF/DOCX) and as KOOP XML, how many the parser read alike from both, the share, how many
-- had their blocks taken from the XML, and every disagreement reason from parse_parity,
-- prefixed with the letter's KOOP id. No rows when no letter has an XML twin.
SELECT
    m.month,
    m.letters,
    m.agreeing,
    m.share_agreeing,
    m.xml_chosen,
    coalesce(r.reasons, []) AS reasons
FROM parity_by_month AS m
LEFT JOIN (
    SELECT month, list(koop_id || ': ' || reason ORDER BY koop_id, reason) AS reasons
    FROM (SELECT letter_month AS month, koop_id, unnest(reasons) AS reason FROM parse_parity)
    GROUP BY month
) AS r ON r.month IS NOT DISTINCT FROM m.month
ORDER BY m.month NULLS LAST;
