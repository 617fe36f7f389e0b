-- theme_check_current.sql — the theme links the warehouse holds now (made by the theme file it
-- was last enriched with), for `kamerspoor themes check`: the links a candidate file would gain
-- or lose.
SELECT unit_id, theme_id
FROM theme_links
ORDER BY unit_id, theme_id;
