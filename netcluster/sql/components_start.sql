-- The starting labels of connected components: every organisation its own.
--
-- Table placeholder organisations: code BIGINT.
--
-- Output: code, label (= code); unordered.
SELECT code, code AS label
FROM {organisations}
