-- _reference_date.sql — the day the report's open/overdue figures were judged on (the last
-- refresh's reference date), shown in the report's header.
SELECT max(reference_date) FROM response_times;
