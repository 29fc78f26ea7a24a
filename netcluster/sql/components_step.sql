-- One round of connected components by minimum-label propagation.
--
-- Table placeholders:
--   labels: code BIGINT, label BIGINT (one row per organisation; other
--     columns are not read).
--   pairs: source BIGINT, target BIGINT (undirected ties; repeats allowed).
--
-- Each organisation takes the smallest label among its own and its
-- partners' (propagation), then the label that organisation holds
-- (pointer jumping: labels always name an organisation of the same
-- component, so this is safe and halves the rounds a long path needs).
-- Labels never grow; the caller repeats this query until no label changes
-- (components_changes.sql sums changed), when each organisation holds the
-- smallest code of its component.
--
-- Output: code, label, changed (1 when the label is smaller than before,
-- else 0); unordered.
WITH offers AS (
    SELECT p.target AS code, l.label
    FROM {pairs} p
    JOIN {labels} l ON l.code = p.source
    UNION ALL
    SELECT p.source AS code, l.label
    FROM {pairs} p
    JOIN {labels} l ON l.code = p.target
),
best AS (
    SELECT code, MIN(label) AS label
    FROM offers
    GROUP BY code
),
spread AS (
    SELECT l.code, l.label AS before, LEAST(l.label, COALESCE(b.label, l.label)) AS label
    FROM {labels} l
    LEFT JOIN best b ON b.code = l.code
)
SELECT
    s.code,
    LEAST(s.label, j.label) AS label,
    CASE WHEN LEAST(s.label, j.label) < s.before THEN 1 ELSE 0 END AS changed
FROM spread s
JOIN spread j ON j.code = s.label
