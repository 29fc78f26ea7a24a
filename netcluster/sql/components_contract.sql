-- The pairs of connected components contracted onto the labels: the graph of the labels.
--
-- Table placeholders:
--   labels: code BIGINT, label BIGINT (one row per organisation, as from
--     components_first.sql).
--   pairs: source BIGINT, target BIGINT (the undirected ties).
--
-- A label always names an organisation of the same component, and every
-- organisation is in the component of its label. So the components of the
-- pairs are those of the graph whose nodes are the labels
-- (components_roots.sql) and whose ties are the pairs whose ends hold
-- different labels, carried to those two labels: this statement. Each
-- organisation's component is then its label's (components_expand.sql).
-- After the first round the labels are far fewer than the organisations (at
-- 100 million synthetic rows, 0.9 million labels for 10 million
-- organisations) and nearly every pair joins two ends of one label, so the
-- later rounds of components_step.sql read these few rows instead of every
-- pair and organisation.
--
-- Output: source < target, each pair of labels once; unordered.
WITH ends AS (
    SELECT s.label AS source_label, COALESCE(t.label, s.label) AS target_label
    FROM {pairs} p
    JOIN {labels} s ON s.code = p.source
    LEFT JOIN {labels} t ON t.code = p.target
)
SELECT DISTINCT
    LEAST(source_label, target_label) AS source,
    GREATEST(source_label, target_label) AS target
FROM ends
WHERE source_label <> target_label
