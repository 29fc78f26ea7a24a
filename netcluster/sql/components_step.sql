-- One round of connected components by minimum-label propagation.
--
-- Table placeholders:
--   labels: code BIGINT, label BIGINT (one row per node: in aggregate_records
--     the labels of components_roots.sql; other columns are not read).
--   pairs: source BIGINT, target BIGINT (undirected ties between nodes;
--     repeats allowed): there, components_contract.sql's pairs of labels.
--
-- Each organisation takes the smallest label among its own and its
-- partners' (propagation), then the label that organisation holds
-- (pointer jumping: labels always name an organisation of the same
-- component, so this is safe and halves the rounds a long path needs).
-- Labels never grow; the caller repeats this query until no label changes
-- (components_changes.sql sums changed), when each organisation holds the
-- smallest code of its component. Only a pair whose ends hold different
-- labels offers anything, and only to the end with the larger label: the
-- other rows (after a few rounds, nearly all pairs) are dropped before the
-- grouping, which gives the same labels from far fewer rows. (The second
-- join is a LEFT JOIN, every code having a label, so that no optimizer
-- joins the two label tables first on the comparison of their labels: a
-- product of all organisations on CORDIS.)
--
-- Output: code, label, changed (1 when the label is smaller than before,
-- else 0); unordered.
WITH ends AS (
    SELECT p.source, p.target, s.label AS source_label, COALESCE(t.label, s.label) AS target_label
    FROM {pairs} p
    JOIN {labels} s ON s.code = p.source
    LEFT JOIN {labels} t ON t.code = p.target
),
offers AS (
    SELECT target AS code, source_label AS label FROM ends WHERE source_label < target_label
    UNION ALL
    SELECT source AS code, target_label AS label FROM ends WHERE target_label < source_label
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
