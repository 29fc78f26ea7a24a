-- How many organisations changed label in a round of components_step.sql.
--
-- Table placeholder labels: code, label, changed (as from components_step.sql).
--
-- Output: one row: changed BIGINT.
SELECT CAST(COALESCE(SUM(changed), 0) AS BIGINT) AS changed
FROM {labels}
