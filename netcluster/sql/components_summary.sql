-- Connected components: size and ties of each.
--
-- Table placeholders:
--   labels: code BIGINT, label BIGINT (converged, from components_step.sql).
--   pairs: source BIGINT, target BIGINT, weight DOUBLE: one row per pair
--     (as from merge_years.sql, which aggregate_records
--     writes; rows are not merged here).
--
-- A component is numbered by rank: 0 for the largest (most organisations),
-- ties broken by the smallest organisation code in it.
--
-- Output, ordered by component: component, smallest_code, organisations,
-- ties (pairs), weight (summed exactly, as DECIMAL(38, 18)).
WITH sizes AS (
    SELECT label, COUNT(*) AS organisations
    FROM {labels}
    GROUP BY label
),
tied AS (
    SELECT l.label, COUNT(*) AS ties, SUM(CAST(d.weight AS DECIMAL(38, 18))) AS weight
    FROM {pairs} d
    JOIN {labels} l ON l.code = d.source
    GROUP BY l.label
)
SELECT
    CAST(ROW_NUMBER() OVER (ORDER BY s.organisations DESC NULLS LAST, s.label NULLS LAST) - 1
        AS BIGINT) AS component,
    s.label AS smallest_code,
    CAST(s.organisations AS BIGINT) AS organisations,
    CAST(COALESCE(t.ties, 0) AS BIGINT) AS ties,
    CAST(COALESCE(t.weight, CAST(0 AS DECIMAL(38, 18))) AS DOUBLE) AS weight
FROM sizes s
LEFT JOIN tied t ON t.label = s.label
ORDER BY component NULLS LAST
