-- The pairs inside a neighbourhood: both ends reached.
--
-- Table placeholders: pairs: source BIGINT, target BIGINT and any other
-- columns; reached: org BIGINT (as from neighbourhood.sql).
--
-- Output: every column of the pairs whose source and target are both in
-- reached, in no particular order.
SELECT p.*
FROM {pairs} p
WHERE p.source IN (SELECT org FROM {reached})
  AND p.target IN (SELECT org FROM {reached})
