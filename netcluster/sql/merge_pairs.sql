-- Merge the yearly ties of each pair and layer into one row.
--
-- Table placeholder ties: source BIGINT, target BIGINT, layer VARCHAR,
-- weight DOUBLE, records BIGINT, year INTEGER (as from project_events.sql).
--
-- Weights are summed as DECIMAL(38, 18) (exact, whatever the order of the
-- rows), so they must be below 1e20 in magnitude; 18 decimals are kept.
--
-- Output: one row per (source, target, layer) with weight and records summed,
-- first_year and last_year (NULL when no row has a year), ordered by layer,
-- source, target.
SELECT
    source,
    target,
    layer,
    CAST(SUM(CAST(weight AS DECIMAL(38, 18))) AS DOUBLE) AS weight,
    CAST(SUM(records) AS BIGINT) AS records,
    MIN(year) AS first_year,
    MAX(year) AS last_year
FROM {ties}
GROUP BY layer, source, target
ORDER BY layer NULLS LAST, source NULLS LAST, target NULLS LAST
