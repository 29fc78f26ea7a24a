-- Event records with organisation codes, repeated rows merged.
--
-- Table placeholders:
--   events: event, org, year, as in records_summary.sql.
--   organisations: code, org (as from organisation_codes.sql).
-- Value placeholder integer_years: BOOLEAN, as in records_summary.sql.
--
-- Rows without an event or an organisation are left out (records_summary.sql
-- counts them). Repeated (event, organisation) rows become one membership;
-- row_count counts them, so that the repeated rows can be reported. A
-- membership's year is the earliest year of its rows that is a whole number
-- (as in records_summary.sql; NULL when none).
--
-- Output: event, org (the code), year INT, row_count BIGINT; unordered.
SELECT
    e.event,
    o.code AS org,
    MIN(CASE
        WHEN {integer_years} THEN CAST(e.year AS INT)
        WHEN LENGTH(TRIM(CAST(e.year AS STRING))) BETWEEN 1 AND 9
            AND TRANSLATE(TRIM(CAST(e.year AS STRING)), '0123456789', '') = ''
            THEN CAST(TRIM(CAST(e.year AS STRING)) AS INT)
    END) AS year,
    CAST(COUNT(*) AS BIGINT) AS row_count
FROM {events} e
JOIN {organisations} o ON o.org = e.org
WHERE e.event IS NOT NULL
GROUP BY e.event, o.code
