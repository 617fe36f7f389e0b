-- The demo's closing summary: what the warehouse holds after a full run.
SELECT
    (SELECT count(*) FROM question_sets)                                   AS question_sets,
    (SELECT count(*) FROM documents)                                       AS documents,
    (SELECT count(*) FROM documents
      WHERE kind IN ('Antwoord schriftelijke vragen',
                     'Antwoord schriftelijke vragen (nader)',
                     'Mededeling (uitstel antwoord)'))                     AS letters,
    (SELECT count(*) FROM qa_pairs)                                        AS qa_pairs,
    (SELECT count(*) FROM theme_links)                                     AS theme_links,
    (SELECT count(DISTINCT theme_id) FROM theme_links)                        AS themes_linked;
