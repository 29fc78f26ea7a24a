-- One round of connected components by minimum-label propagation.
--
-- Table placeholders:
--   labels: code BIGINT, label BIGINT (one row per organisation).
--   pairs: source BIGINT, target BIGINT (undirected ties; repeats allowed).
--
-- Each organisation takes the smallest label among its own and its
-- partners' (propagation), then the label that organisation holds
-- (pointer jumping: labels always name an organisation of the same
-- component, so this is safe and halves the rounds a long path needs).
-- Labels never grow; the caller repeats this query until no label changes
-- (components_changes.sql), when each organisation holds the smallest code
-- of its component.
--
-- Output: code, label; unordered.
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
    SELECT l.code, LEAST(l.label, COALESCE(b.label, l.label)) AS label
    FROM {labels} l
    LEFT JOIN best b ON b.code = l.code
)
SELECT s.code, LEAST(s.label, j.label) AS label
FROM spread s
JOIN spread j ON j.code = s.label
