-- Pairs for the later rounds of connected components: the pairs contracted onto the labels.
--
-- Table placeholders:
--   labels: code BIGINT, label BIGINT (one row per organisation, as from
--     components_step.sql after a few rounds).
--   pairs: source BIGINT, target BIGINT (the undirected ties).
--
-- A label always names an organisation of the same component, so the graph
-- made of (1) each pair whose ends hold different labels, carried to those
-- two labels, and (2) each organisation linked to its label, has the same
-- connected components as the pairs. After two rounds nearly every pair
-- joins two ends that hold the same label and drops out: components_step.sql
-- then reads these few rows (at most the organisations, plus the unsettled
-- pairs) instead of every pair in each remaining round, and gives the same
-- labels at convergence (the smallest code of each component).
--
-- Output: source, target with source < target (repeats allowed); unordered.
WITH ends AS (
    SELECT s.label AS source_label, COALESCE(t.label, s.label) AS target_label
    FROM {pairs} p
    JOIN {labels} s ON s.code = p.source
    LEFT JOIN {labels} t ON t.code = p.target
),
unsettled AS (
    SELECT DISTINCT
        LEAST(source_label, target_label) AS source,
        GREATEST(source_label, target_label) AS target
    FROM ends
    WHERE source_label <> target_label
)
SELECT source, target FROM unsettled
UNION ALL
SELECT label AS source, code AS target FROM {labels} WHERE label < code
