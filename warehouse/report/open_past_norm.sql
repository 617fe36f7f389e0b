-- open_past_norm.sql — report table "Open question sets past the norm".
-- Unanswered sets whose 21 days had passed on the reference date, longest waiting first, with
-- the questions' page at the Tweede Kamer.
SELECT
    r.number,
    r.subject,
    r.submitted_on,
    r.due_on,
    r.days_open,
    r.delay_notice_count,
    array_to_string(r.ministries, ', ') AS ministries,
    (SELECT min(d.tk_url)
       FROM document_question_sets l
       JOIN documents d ON d.document_id = l.document_id
      WHERE l.question_set_id = r.question_set_id AND d.kind = 'Schriftelijke vragen') AS tk_url,
    r.reference_date
FROM response_times r
WHERE r.norm_status = 'open_overdue'
ORDER BY r.days_open DESC, r.number;
