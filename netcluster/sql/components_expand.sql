-- Every organisation's converged component label, from its label's.
--
-- Table placeholders:
--   labels: code BIGINT, label BIGINT (one row per organisation, as from
--     components_first.sql).
--   roots: code BIGINT, label BIGINT (one row per label of labels, converged
--     by components_step.sql over components_contract.sql's pairs).
--
-- Output: code, label (the smallest code of the organisation's component);
-- unordered.
SELECT l.code, r.label
FROM {labels} l
JOIN {roots} r ON r.code = l.label
