-- Each organisation's partners (degree) and tie weight (strength) by scope.
--
-- Table placeholders:
--   pairs: source BIGINT, target BIGINT, weight (DOUBLE or DECIMAL);
--     undirected with source < target, one row per pair: merge several rows
--     of a pair (layers, years) first with pair_weights.sql. (The pairs of
--     aggregate_records are of one layer and so already one row per pair.)
--   orgs: code BIGINT, country VARCHAR, locality VARCHAR; NULL where unknown.
--
-- Scope of a pair (see netcluster.geography): unknown when either country is
-- NULL; international when the countries differ; local when the country and
-- both (known) localities are equal; national otherwise.
--
-- Strengths are summed as DECIMAL(38, 18) (exact, whatever the order of the
-- rows), so weights must be below 1e20 in magnitude; 18 decimals are kept.
--
-- Output: one row per organisation, isolates included, ordered by code:
-- code, local_degree, national_degree, international_degree, unknown_degree,
-- local_strength, national_strength, international_strength, unknown_strength.
WITH scoped AS (
    SELECT
        m.source,
        m.target,
        CAST(m.weight AS DECIMAL(38, 18)) AS weight,
        CASE
            WHEN s.country IS NULL OR t.country IS NULL THEN 'unknown'
            WHEN s.country <> t.country THEN 'international'
            WHEN s.locality IS NOT NULL AND t.locality IS NOT NULL AND s.locality = t.locality
                THEN 'local'
            ELSE 'national'
        END AS scope
    FROM {pairs} m
    JOIN {orgs} s ON s.code = m.source
    JOIN {orgs} t ON t.code = m.target
),
ends AS (
    SELECT source AS code, scope, weight FROM scoped
    UNION ALL
    SELECT target AS code, scope, weight FROM scoped
)
SELECT
    o.code,
    CAST(SUM(CASE WHEN e.scope = 'local' THEN 1 ELSE 0 END) AS BIGINT) AS local_degree,
    CAST(SUM(CASE WHEN e.scope = 'national' THEN 1 ELSE 0 END) AS BIGINT) AS national_degree,
    CAST(SUM(CASE WHEN e.scope = 'international' THEN 1 ELSE 0 END) AS BIGINT) AS international_degree,
    CAST(SUM(CASE WHEN e.scope = 'unknown' THEN 1 ELSE 0 END) AS BIGINT) AS unknown_degree,
    CAST(SUM(CASE WHEN e.scope = 'local' THEN e.weight ELSE CAST(0 AS DECIMAL(38, 18)) END)
        AS DOUBLE) AS local_strength,
    CAST(SUM(CASE WHEN e.scope = 'national' THEN e.weight ELSE CAST(0 AS DECIMAL(38, 18)) END)
        AS DOUBLE) AS national_strength,
    CAST(SUM(CASE WHEN e.scope = 'international' THEN e.weight ELSE CAST(0 AS DECIMAL(38, 18)) END)
        AS DOUBLE) AS international_strength,
    CAST(SUM(CASE WHEN e.scope = 'unknown' THEN e.weight ELSE CAST(0 AS DECIMAL(38, 18)) END)
        AS DOUBLE) AS unknown_strength
FROM {orgs} o
LEFT JOIN ends e ON e.code = o.code
GROUP BY o.code
ORDER BY o.code NULLS LAST
