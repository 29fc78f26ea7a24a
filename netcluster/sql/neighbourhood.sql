-- One hop of a neighbourhood: the organisations reached so far and their partners.
--
-- Table placeholders: reached: org BIGINT, hop INTEGER (the organisations
-- reached so far, each with the fewest hops it takes from the home set; start
-- with the home set at hop 0); pairs: source BIGINT, target BIGINT (one row
-- per tie, either direction, other columns ignored).
-- Value placeholder hop: the last hop reached (0 on the first run).
--
-- Output: reached plus the partners of the organisations first reached at
-- the given hop, at that hop + 1; one row per organisation with its fewest hops.
-- Run k times, with hop = 0, 1, ..., k - 1, each run's output the next run's
-- reached, for the home set and its k-hop neighbourhood; then
-- neighbourhood_pairs.sql keeps the pairs inside it.
SELECT org, MIN(hop) AS hop
FROM (
    SELECT org, hop FROM {reached}
    UNION ALL
    SELECT p.target AS org, r.hop + 1 AS hop
    FROM {pairs} p JOIN {reached} r ON p.source = r.org
    WHERE r.hop = {hop}
    UNION ALL
    SELECT p.source AS org, r.hop + 1 AS hop
    FROM {pairs} p JOIN {reached} r ON p.target = r.org
    WHERE r.hop = {hop}
) steps
GROUP BY org
