-- refresh_derived.sql — recompute what is derived from the loaded rows, in dependency
-- order: document links -> parsed rows' question set -> qa_pairs -> question_sets columns.
-- Deterministic (no clock): the same loaded rows always give the same derived rows.
-- Only the sets and documents in _scope_sets / _scope_docs (refresh_scope.sql) are touched, so
-- a daily run that reloaded fifty letters rewrites their rows, not the whole archive. Rows
-- with long texts are fetched by rowid through a join (refresh() raises
-- dynamic_or_filter_threshold so DuckDB fetches them directly instead of scanning).

-- 1. Documents: numbers of their question sets and the two official links.
-- DuckDB rewrites list columns slowly in UPDATE, so changed rows are deleted and inserted
-- again (only the rows whose derived values differ, so a steady-state refresh is cheap).
CREATE OR REPLACE TEMP TABLE _documents_changed AS
WITH derived AS (
    SELECT
        d2.document_id,
        coalesce(list(qs.number ORDER BY l.position) FILTER (WHERE qs.number IS NOT NULL), []) AS question_set_numbers,
        CASE WHEN d2.number IS NOT NULL AND first(qs.number ORDER BY l.position) IS NOT NULL
             THEN 'https://www.tweedekamer.nl/kamerstukken/kamervragen/detail?id='
                  || first(qs.number ORDER BY l.position) || '&did=' || d2.number
        END AS tk_url,
        CASE WHEN d2.koop_id IS NOT NULL
             THEN 'https://zoek.officielebekendmakingen.nl/' || d2.koop_id || '.html'
        END AS koop_url
    FROM documents d2
    LEFT JOIN document_question_sets l ON l.document_id = d2.document_id
    LEFT JOIN question_sets qs ON qs.question_set_id = l.question_set_id
    WHERE d2.document_id IN (SELECT document_id FROM _scope_docs)
    GROUP BY d2.document_id, d2.number, d2.koop_id
)
SELECT d.* REPLACE (x.question_set_numbers AS question_set_numbers, x.tk_url AS tk_url, x.koop_url AS koop_url)
FROM documents d
JOIN (SELECT rowid AS r FROM documents WHERE document_id IN (SELECT document_id FROM _scope_docs)) s
    ON d.rowid = s.r  -- fetched by rowid: a scan would read every letter's intro
JOIN derived x ON x.document_id = d.document_id
WHERE ROW(d.question_set_numbers, d.tk_url, d.koop_url) IS DISTINCT FROM ROW(x.question_set_numbers, x.tk_url, x.koop_url);

DELETE FROM documents WHERE document_id IN (SELECT document_id FROM _documents_changed);
INSERT INTO documents BY NAME SELECT * FROM _documents_changed;
DROP TABLE _documents_changed;

-- 2. Parsed rows belong to their letter's primary question set (links can change later).
CREATE OR REPLACE TEMP TABLE _primary_sets AS
SELECT s.document_id, l.question_set_id
FROM _scope_docs s
LEFT JOIN document_question_sets l ON l.document_id = s.document_id AND l.position = 0;

UPDATE questions AS q SET question_set_id = p.question_set_id
FROM _primary_sets p
WHERE q.document_id = p.document_id AND q.question_set_id IS DISTINCT FROM p.question_set_id;

UPDATE answers AS a SET question_set_id = p.question_set_id
FROM _primary_sets p
WHERE a.document_id = p.document_id AND a.question_set_id IS DISTINCT FROM p.question_set_id;

DROP TABLE _primary_sets;

-- 3. qa_pairs: one row per question number x answer block that answers it, rebuilt per set.
DELETE FROM qa_pairs
WHERE (SELECT full_rebuild FROM refresh_params)
   OR question_set_id IN (SELECT question_set_id FROM _scope_sets)
   OR answer_document_id IN (SELECT document_id FROM _scope_docs);

INSERT INTO qa_pairs
WITH answer_documents AS (
    -- Every answer letter of a set, ranked: the earliest non-nader letter is 'first'.
    SELECT
        l.question_set_id,
        d.document_id,
        d.kind,
        d.document_date,
        row_number() OVER (
            PARTITION BY l.question_set_id
            ORDER BY coalesce(d.kind ILIKE '%nader%', false), d.document_date NULLS LAST, d.number, d.document_id
        ) AS rank_in_set
    FROM documents d
    JOIN document_question_sets l ON l.document_id = d.document_id AND l.position = 0
    WHERE l.question_set_id IN (SELECT question_set_id FROM _scope_sets)
      AND (d.kind ILIKE 'antwoord%'
           OR d.document_id IN (SELECT document_id FROM answers
                                WHERE document_id IN (SELECT document_id FROM _scope_docs)))
),
answer_rows AS (
    SELECT
        a.question_set_id,
        a.answer_id,
        a.document_id,
        a.block_index,
        a.label,
        a.text,
        a.parser_version,
        len(list_distinct(a.numbers)) > 1 AS grouped,
        unnest(list_distinct(a.numbers)) AS question_number
    FROM answers a
    JOIN (SELECT rowid AS r FROM answers WHERE question_set_id IN (SELECT question_set_id FROM _scope_sets)) s
        ON a.rowid = s.r  -- fetched by rowid: a scan would read every answer's text
),
question_rows AS (
    SELECT
        q.question_set_id,
        q.question_id,
        q.document_id,
        q.block_index,
        q.text,
        unnest(list_distinct(q.numbers)) AS question_number
    FROM questions q
    JOIN (SELECT rowid AS r FROM questions WHERE question_set_id IN (SELECT question_set_id FROM _scope_sets)) s
        ON q.rowid = s.r
),
matched AS (
    -- The question printed in the answer letter itself wins; else the earliest other letter.
    SELECT
        ar.*,
        qr.question_id,
        qr.text AS question_text
    FROM answer_rows ar
    LEFT JOIN question_rows qr
        ON qr.question_set_id = ar.question_set_id AND qr.question_number = ar.question_number
    LEFT JOIN documents qd ON qd.document_id = qr.document_id
    QUALIFY row_number() OVER (
        PARTITION BY ar.answer_id, ar.question_number
        ORDER BY (qr.document_id = ar.document_id) DESC NULLS LAST, qd.document_date NULLS LAST,
                 qr.document_id, qr.block_index
    ) = 1
)
SELECT
    m.question_set_id,
    qs.number,
    m.question_number,
    m.question_id,
    m.question_text,
    m.answer_id,
    m.label,
    m.text,
    m.grouped,
    m.document_id,
    ad.kind,
    CASE WHEN ad.rank_in_set = 1 THEN 'first' ELSE 'nader' END,
    ad.document_date,
    m.parser_version
FROM matched m
JOIN answer_documents ad ON ad.document_id = m.document_id AND ad.question_set_id = m.question_set_id
LEFT JOIN question_sets qs ON qs.question_set_id = m.question_set_id
ORDER BY m.question_set_id, m.document_id, m.block_index, m.question_number;

-- 4. question_sets: askers, addressees, status, answer and delay-notice dates, counts.
-- Same delete-and-insert of changed rows as for documents (list columns).
CREATE OR REPLACE TEMP TABLE _question_sets_changed AS
    WITH asker_rows AS (
        -- the first asker (Indiener) first, then co-askers by name
        SELECT question_set_id, name, party,
               row_number() OVER (PARTITION BY question_set_id ORDER BY (role = 'co_asker'), name, actor_id) AS pos
        FROM actors
        WHERE role IN ('asker', 'co_asker') AND question_set_id IN (SELECT question_set_id FROM _scope_sets)
    ),
    party_rows AS (
        SELECT question_set_id, party, min(pos) AS pos
        FROM asker_rows
        WHERE party IS NOT NULL
        GROUP BY question_set_id, party
    ),
    parties AS (
        SELECT question_set_id, list(party ORDER BY pos) AS asker_parties
        FROM party_rows
        GROUP BY question_set_id
    ),
    people AS (
        SELECT
            question_set_id,
            list(name ORDER BY (role = 'co_asker'), name, actor_id) FILTER (WHERE role IN ('asker', 'co_asker') AND name IS NOT NULL) AS askers,
            list(DISTINCT function ORDER BY function) FILTER (WHERE role = 'addressee' AND function IS NOT NULL) AS addressees,
            list(DISTINCT ministry ORDER BY ministry) FILTER (WHERE role = 'addressee' AND ministry IS NOT NULL) AS ministries
        FROM actors
        WHERE question_set_id IN (SELECT question_set_id FROM _scope_sets)
        GROUP BY question_set_id
    ),
    docs AS (
        SELECT
            l.question_set_id,
            min(d.document_date) FILTER (WHERE d.kind ILIKE 'antwoord%') AS first_answer_on,
            max(d.document_date) FILTER (WHERE d.kind ILIKE 'antwoord%') AS last_answer_on,
            count(*) FILTER (WHERE d.kind ILIKE 'antwoord%') AS answer_document_count,
            count(*) FILTER (WHERE d.kind ILIKE '%uitstel%') AS delay_notice_count,
            list(d.document_date ORDER BY d.document_date) FILTER (WHERE d.kind ILIKE '%uitstel%' AND d.document_date IS NOT NULL) AS delay_notice_dates,
            bool_or(d.kind ILIKE 'mededeling%' AND d.kind NOT ILIKE '%uitstel%'
                    AND (d.subject ILIKE '%ingetrokken%' OR d.subject ILIKE '%intrek%')) AS has_withdrawal
        FROM document_question_sets l
        JOIN documents d ON d.document_id = l.document_id
        WHERE l.question_set_id IN (SELECT question_set_id FROM _scope_sets)
        GROUP BY l.question_set_id
    ),
    asked AS (
        SELECT question_set_id, count(DISTINCT n) AS question_count
        FROM (SELECT q.question_set_id, unnest(q.numbers) AS n
              FROM questions q
              JOIN (SELECT rowid AS r FROM questions WHERE question_set_id IN (SELECT question_set_id FROM _scope_sets)) s
                  ON q.rowid = s.r)
        GROUP BY question_set_id
    ),
    answered AS (
        SELECT question_set_id, count(DISTINCT question_number) AS answered_question_count
        FROM qa_pairs
        WHERE question_set_id IN (SELECT question_set_id FROM _scope_sets)
        GROUP BY question_set_id
    ),
    derived AS (
    SELECT
        s.question_set_id,
        coalesce(p.askers, []) AS askers,
        coalesce(pa.asker_parties, []) AS asker_parties,
        coalesce(p.addressees, []) AS addressees,
        coalesce(p.ministries, []) AS ministries,
        CASE
            WHEN coalesce(dc.answer_document_count, 0) > 0
                 AND coalesce(q.question_count, 0) > coalesce(an.answered_question_count, 0) THEN 'partly answered'
            WHEN coalesce(dc.answer_document_count, 0) > 0 THEN 'answered'
            WHEN coalesce(dc.has_withdrawal, false) THEN 'withdrawn'
            ELSE 'open'
        END AS status,
        dc.first_answer_on,
        dc.last_answer_on,
        coalesce(dc.answer_document_count, 0) AS answer_document_count,
        coalesce(dc.delay_notice_count, 0) AS delay_notice_count,
        coalesce(dc.delay_notice_dates, []) AS delay_notice_dates,
        coalesce(q.question_count, 0) AS question_count,
        coalesce(an.answered_question_count, 0) AS answered_question_count
    FROM question_sets s
    LEFT JOIN people p ON p.question_set_id = s.question_set_id
    LEFT JOIN docs dc ON dc.question_set_id = s.question_set_id
    LEFT JOIN asked q ON q.question_set_id = s.question_set_id
    LEFT JOIN answered an ON an.question_set_id = s.question_set_id
    LEFT JOIN parties pa ON pa.question_set_id = s.question_set_id
    WHERE s.question_set_id IN (SELECT question_set_id FROM _scope_sets)
    )
SELECT qs.* REPLACE (
    x.askers AS askers, x.asker_parties AS asker_parties, x.addressees AS addressees,
    x.ministries AS ministries, x.status AS status, x.first_answer_on AS first_answer_on,
    x.last_answer_on AS last_answer_on, x.answer_document_count AS answer_document_count,
    x.delay_notice_count AS delay_notice_count, x.delay_notice_dates AS delay_notice_dates,
    x.question_count AS question_count, x.answered_question_count AS answered_question_count)
FROM question_sets qs
JOIN derived x ON x.question_set_id = qs.question_set_id
WHERE qs.question_set_id IN (SELECT question_set_id FROM _scope_sets)
  AND ROW(qs.askers, qs.asker_parties, qs.addressees, qs.ministries, qs.status, qs.first_answer_on,
          qs.last_answer_on, qs.answer_document_count, qs.delay_notice_count, qs.delay_notice_dates,
          qs.question_count, qs.answered_question_count)
      IS DISTINCT FROM
      ROW(x.askers, x.asker_parties, x.addressees, x.ministries, x.status, x.first_answer_on,
          x.last_answer_on, x.answer_document_count, x.delay_notice_count, x.delay_notice_dates,
          x.question_count, x.answered_question_count);

DELETE FROM question_sets WHERE question_set_id IN (SELECT question_set_id FROM _question_sets_changed);
INSERT INTO question_sets BY NAME SELECT * FROM _question_sets_changed;
DROP TABLE _question_sets_changed;

