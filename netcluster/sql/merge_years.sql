-- Merge the yearly ties of each pair into one row, when every tie is of one layer.
--
-- Table placeholder ties: source BIGINT, target BIGINT, weight DOUBLE,
-- records BIGINT, year INTEGER, all of one layer (as from
-- project_memberships.sql); a layer column is not read.
-- Value placeholders: layer STRING, the layer of every tie; unit_weights
--   BOOLEAN, as in merge_pairs.sql.
--
-- The rows and sums of merge_pairs.sql, which keeps layers apart by grouping
-- on the layer name too: with one layer that text key is the same on every
-- row, and leaving it out of the grouping takes a third of the time (at 100
-- million synthetic rows, 55 million pairs in 10 s against 17 s).
--
-- Output: one row per (source, target): source, target, layer, weight,
-- records, first_year, last_year (as merge_pairs.sql), ordered by source,
-- target.
SELECT
    source,
    target,
    {layer} AS layer,
    CASE
        WHEN {unit_weights} THEN CAST(SUM(records) AS DOUBLE)
        ELSE CAST(SUM(CAST(weight AS DECIMAL(38, 18))) AS DOUBLE)
    END AS weight,
    CAST(SUM(records) AS BIGINT) AS records,
    MIN(year) AS first_year,
    MAX(year) AS last_year
FROM {ties}
GROUP BY source, target
ORDER BY source NULLS LAST, target NULLS LAST
