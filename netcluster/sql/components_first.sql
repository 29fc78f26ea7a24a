-- The first round of connected components, read straight from the pairs.
--
-- Table placeholders:
--   organisations: code BIGINT (one row per organisation).
--   pairs: source BIGINT, target BIGINT with source < target (undirected
--     ties; repeats allowed), as aggregate_records writes them.
--
-- The round of components_step.sql from the starting labels (every
-- organisation its own code), without reading any labels: every pair offers
-- its source (the smaller code) to its target, each organisation takes the
-- smallest offer or its own code, then the label that organisation holds
-- (pointer jumping). The same labels as components_step.sql would give,
-- without joining every pair to the labels twice.
--
-- Output: code, label, changed (1 when the label is not the code, else 0),
-- as components_step.sql; unordered.
WITH best AS (
    SELECT target AS code, MIN(source) AS label
    FROM {pairs}
    GROUP BY target
),
spread AS (
    SELECT o.code, LEAST(o.code, COALESCE(b.label, o.code)) AS label
    FROM {organisations} o
    LEFT JOIN best b ON b.code = o.code
)
SELECT
    s.code,
    LEAST(s.label, j.label) AS label,
    CASE WHEN LEAST(s.label, j.label) < s.code THEN 1 ELSE 0 END AS changed
FROM spread s
JOIN spread j ON j.code = s.label
