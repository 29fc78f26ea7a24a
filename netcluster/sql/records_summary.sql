-- Count the rows of an event-records file before anything is dropped, for the summary.
--
-- Table placeholder events: event, org (any type; NULL where missing), year
-- (text or integer).
-- Value placeholder integer_years: BOOLEAN, true when year is an integer
--   column (then it is used as it is; the text check below is skipped).
--
-- A row needs an event and an organisation; a year given as text that is not
-- a whole number of 1 to 9 digits (surrounding spaces allowed) is read as
-- missing (the row is kept) and counted here. The check is written with
-- TRANSLATE (no TRY_CAST, which is not in the portable subset).
--
-- Output: one row: row_count, rows_without_event, rows_without_org (rows with an
-- event but no organisation), unreadable_years.
SELECT
    CAST(COUNT(*) AS BIGINT) AS row_count,
    CAST(SUM(CASE WHEN event IS NULL THEN 1 ELSE 0 END) AS BIGINT) AS rows_without_event,
    CAST(SUM(CASE WHEN event IS NOT NULL AND org IS NULL THEN 1 ELSE 0 END) AS BIGINT)
        AS rows_without_org,
    CAST(SUM(CASE WHEN year IS NOT NULL AND (CASE
        WHEN {integer_years} THEN CAST(year AS INT)
        WHEN LENGTH(TRIM(CAST(year AS STRING))) BETWEEN 1 AND 9
            AND TRANSLATE(TRIM(CAST(year AS STRING)), '0123456789', '') = ''
            THEN CAST(TRIM(CAST(year AS STRING)) AS INT)
    END) IS NULL THEN 1 ELSE 0 END)
        AS BIGINT) AS unreadable_years
FROM {events}
