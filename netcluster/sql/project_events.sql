-- Project events onto organisation pairs: one row per pair, layer and year.
--
-- Table placeholder events: event VARCHAR, org BIGINT (organisation code),
-- layer VARCHAR, year INTEGER. Rows without a layer, event or organisation
-- are ignored; repeated (layer, event, org) rows count once.
-- Value placeholders: max_event_size BIGINT (NULL for no cap), fractional
-- BOOLEAN, downweight BOOLEAN.
--
-- An event is a (layer, event) pair; its size k is the number of distinct
-- organisations. An organisation's year in an event is the earliest year of
-- its rows there (a project's start, a patent's filing, a member's joining),
-- and a pair's year is the later of its two organisations' years: the first
-- year in which both took part (for a project or patent all rows share one
-- year; for a group it is when the later of the two joined). An event gives
-- each of its k(k-1)/2 pairs weight 1 (full counting) or 1/(k-1) (fractional
-- counting, Newman 2001). Events with k = 1 give no pair. Events with
-- k > max_event_size are left out, or, when downweight is true, projected with
-- the fractional weight whatever the counting rule.
--
-- Weights are summed as DECIMAL(38, 18), exactly, so that the sums do not
-- depend on the order in which threads or partitions meet the rows: the same
-- input gives the same bits on every run, whatever the number of threads.
--
-- Output: source < target, layer, year, weight (DOUBLE, sum over the events),
-- records (number of events behind the row), ordered by layer, year, source,
-- target.
WITH layers AS (
    -- Layer names sorted, numbered from 1: pairs are grouped and sorted by
    -- this number, as integer keys are cheaper to hash and sort than text.
    SELECT layer, DENSE_RANK() OVER (ORDER BY layer NULLS LAST) AS layer_code
    FROM (SELECT DISTINCT layer FROM {events} WHERE layer IS NOT NULL) named
),
members AS (
    SELECT l.layer_code, e.event, e.org, MIN(e.year) AS year
    FROM {events} e
    JOIN layers l ON l.layer = e.layer
    WHERE e.event IS NOT NULL AND e.org IS NOT NULL
    GROUP BY l.layer_code, e.event, e.org
),
sized AS (
    SELECT layer_code, event, COUNT(*) AS size
    FROM members
    GROUP BY layer_code, event
),
kept AS (
    SELECT
        layer_code,
        event,
        CASE
            WHEN size > 1 AND ({fractional} OR size > {max_event_size})
                THEN CAST(CAST(1 AS DOUBLE) / CAST(size - 1 AS DOUBLE) AS DECIMAL(38, 18))
            ELSE CAST(1 AS DECIMAL(38, 18))
        END AS weight
    FROM sized
    WHERE size > 1
        AND ({max_event_size} IS NULL OR size <= {max_event_size} OR {downweight})
),
pairs AS (
    SELECT
        a.org AS source,
        b.org AS target,
        k.layer_code,
        CASE
            WHEN a.year IS NULL THEN b.year
            WHEN b.year IS NULL OR a.year >= b.year THEN a.year
            ELSE b.year
        END AS year,
        k.weight
    FROM kept k
    JOIN members a ON a.layer_code = k.layer_code AND a.event = k.event
    JOIN members b ON b.layer_code = k.layer_code AND b.event = k.event AND a.org < b.org
),
summed AS (
    SELECT layer_code, year, source, target, SUM(weight) AS weight, COUNT(*) AS records
    FROM pairs
    GROUP BY layer_code, year, source, target
)
SELECT s.source, s.target, l.layer, s.year, CAST(s.weight AS DOUBLE) AS weight, s.records
FROM summed s
JOIN layers l ON l.layer_code = s.layer_code
ORDER BY s.layer_code NULLS LAST, s.year NULLS LAST, s.source NULLS LAST, s.target NULLS LAST
