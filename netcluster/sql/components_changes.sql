-- How many organisations changed label in a round of components_step.sql.
--
-- Table placeholders before, after: code BIGINT, label BIGINT.
--
-- Output: one row: changed BIGINT.
SELECT CAST(COUNT(*) AS BIGINT) AS changed
FROM {before} b
JOIN {after} a ON a.code = b.code
WHERE a.label <> b.label
