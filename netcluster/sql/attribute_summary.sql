-- Count the rows of an organisations file by what the pipeline does with them.
--
-- Table placeholders:
--   attributes: org, country, region (the organisations file).
--   organisations: code, org (as from organisation_codes.sql).
--
-- Ids are matched as text, as in organisation_codes.sql.
--
-- Output: one row: row_count, rows_without_org, rows_unused (an id no event
-- record names), rows_repeated (rows beyond the first of an id the records
-- name; the smallest country and region are used).
WITH used AS (
    SELECT CAST(org AS STRING) AS org_text FROM {organisations}
),
listed AS (
    SELECT CAST(org AS STRING) AS org_text, COUNT(*) AS row_count
    FROM {attributes}
    WHERE org IS NOT NULL
    GROUP BY CAST(org AS STRING)
)
SELECT
    CAST((SELECT COUNT(*) FROM {attributes}) AS BIGINT) AS row_count,
    CAST((SELECT COUNT(*) FROM {attributes} WHERE org IS NULL) AS BIGINT) AS rows_without_org,
    CAST(COALESCE(SUM(CASE WHEN u.org_text IS NULL THEN l.row_count ELSE 0 END), 0) AS BIGINT)
        AS rows_unused,
    CAST(COALESCE(SUM(CASE WHEN u.org_text IS NOT NULL THEN l.row_count - 1 ELSE 0 END), 0) AS BIGINT)
        AS rows_repeated
FROM listed l
LEFT JOIN used u ON u.org_text = l.org_text
