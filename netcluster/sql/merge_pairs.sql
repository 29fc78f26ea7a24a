-- Merge the yearly ties of each pair and layer into one row.
--
-- Table placeholder ties: source BIGINT, target BIGINT, layer VARCHAR,
-- weight DOUBLE, records BIGINT, year INTEGER (as from project_events.sql).
-- Value placeholder unit_weights: BOOLEAN, true when every event behind the
--   ties weighed 1 (full counting, no event downweighted), so that each
--   row's weight equals its records.
--
-- Weights are summed as DECIMAL(38, 18) (exact, whatever the order of the
-- rows), so they must be below 1e20 in magnitude; 18 decimals are kept. With
-- unit_weights the weight is the sum of records: the same value, without the
-- 128-bit sums.
--
-- Output: one row per (source, target, layer) with weight and records summed,
-- first_year and last_year (NULL when no row has a year), ordered by layer,
-- source, target.
SELECT
    source,
    target,
    layer,
    CASE
        WHEN {unit_weights} THEN CAST(SUM(records) AS DOUBLE)
        ELSE CAST(SUM(CAST(weight AS DECIMAL(38, 18))) AS DOUBLE)
    END AS weight,
    CAST(SUM(records) AS BIGINT) AS records,
    MIN(year) AS first_year,
    MAX(year) AS last_year
FROM {ties}
GROUP BY layer, source, target
ORDER BY layer NULLS LAST, source NULLS LAST, target NULLS LAST
