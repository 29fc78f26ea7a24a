-- Merge the rows of each pair into one, for scope_counts.sql.
--
-- Table placeholder pairs: source BIGINT, target BIGINT, weight DOUBLE;
-- several rows of one pair (layers, years) allowed.
--
-- Weights are summed as DECIMAL(38, 18) (exact, whatever the order of the
-- rows), so they must be below 1e20 in magnitude; 18 decimals are kept, and
-- the sum stays a decimal so that scope_counts.sql sums it without rounding.
--
-- Output: one row per (source, target): weight DECIMAL(38, 18); unordered.
SELECT source, target, SUM(CAST(weight AS DECIMAL(38, 18))) AS weight
FROM {pairs}
GROUP BY source, target
