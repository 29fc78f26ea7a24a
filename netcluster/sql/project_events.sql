-- Project events onto organisation pairs: one row per pair, layer and year.
--
-- Table placeholder events: event VARCHAR, org BIGINT (organisation code),
-- layer VARCHAR, year INTEGER. Rows without a layer, event or organisation
-- are ignored; repeated (layer, event, org) rows count once.
-- Value placeholders: max_event_size BIGINT (NULL for no cap), fractional
-- BOOLEAN, downweight BOOLEAN.
--
-- An event is a (layer, event) pair; its year is the earliest year among its
-- rows and its size k the number of distinct organisations. An event gives
-- each of its k(k-1)/2 pairs weight 1 (full counting) or 1/(k-1) (fractional
-- counting, Newman 2001). Events with k = 1 give no pair. Events with
-- k > max_event_size are left out, or, when downweight is true, projected with
-- the fractional weight whatever the counting rule.
--
-- Weights are summed as DECIMAL(38, 18), exactly, so that the sums do not
-- depend on the order in which threads or partitions meet the rows: the same
-- input gives the same bits on every run and on either engine.
--
-- Output: source < target, layer, year, weight (DOUBLE, sum over the events),
-- records (number of events behind the row), ordered by layer, year, source,
-- target.
WITH members AS (
    SELECT layer, event, org, MIN(year) AS year
    FROM {events}
    WHERE layer IS NOT NULL AND event IS NOT NULL AND org IS NOT NULL
    GROUP BY layer, event, org
),
sized AS (
    SELECT layer, event, MIN(year) AS year, COUNT(*) AS size
    FROM members
    GROUP BY layer, event
),
kept AS (
    SELECT
        layer,
        event,
        year,
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
    SELECT a.org AS source, b.org AS target, k.layer, k.year, k.weight
    FROM kept k
    JOIN members a ON a.layer = k.layer AND a.event = k.event
    JOIN members b ON b.layer = k.layer AND b.event = k.event AND a.org < b.org
)
SELECT source, target, layer, year, CAST(SUM(weight) AS DOUBLE) AS weight, COUNT(*) AS records
FROM pairs
GROUP BY layer, year, source, target
ORDER BY layer NULLS LAST, year NULLS LAST, source NULLS LAST, target NULLS LAST
