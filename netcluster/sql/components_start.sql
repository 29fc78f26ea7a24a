-- The starting labels of connected components: every organisation its own.
--
-- Table placeholder organisations: code BIGINT.
--
-- Output: code, label (= code), changed (0); unordered.
SELECT code, code AS label, 0 AS changed
FROM {organisations}
