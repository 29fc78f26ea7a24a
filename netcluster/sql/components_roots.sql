-- The starting labels of the graph of labels: every label its own.
--
-- Table placeholder labels: code BIGINT, label BIGINT (one row per
-- organisation, as from components_first.sql).
--
-- Output: code (each distinct label once), label (= code), changed (0), the
-- columns of components_step.sql; unordered.
SELECT DISTINCT label AS code, label, 0 AS changed
FROM {labels}
