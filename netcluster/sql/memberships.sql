-- Event records merged into memberships: one row per (event, organisation).
--
-- Table placeholder events: event, org, year, as in records_summary.sql.
-- Value placeholder integer_years: BOOLEAN, as in records_summary.sql.
--
-- Rows without an event or an organisation are left out (records_summary.sql
-- counts them). Repeated (event, organisation) rows become one membership;
-- row_count counts them, so that the repeated rows can be reported. A
-- membership's year is the earliest year of its rows that is a whole number
-- (as in records_summary.sql; NULL when none). Organisations keep their ids:
-- most events have one organisation and give no pair, so the codes are
-- joined to the memberships of the projected events only
-- (project_memberships.sql), not to every row (at 100 million synthetic
-- rows this statement takes 13 s without that join, against 18 s with it).
--
-- Output: event, org (the id, as in events), year INT, row_count BIGINT;
-- unordered.
SELECT
    event,
    org,
    MIN(CASE
        WHEN {integer_years} THEN CAST(year AS INT)
        WHEN LENGTH(TRIM(CAST(year AS STRING))) BETWEEN 1 AND 9
            AND TRANSLATE(TRIM(CAST(year AS STRING)), '0123456789', '') = ''
            THEN CAST(TRIM(CAST(year AS STRING)) AS INT)
    END) AS year,
    CAST(COUNT(*) AS BIGINT) AS row_count
FROM {events}
WHERE event IS NOT NULL AND org IS NOT NULL
GROUP BY event, org
