-- Project distinct memberships of known size onto organisation pairs: one row per pair and year.
--
-- Table placeholders:
--   events: event, org (the organisation's id), year, one row per (event,
--     organisation) (as from memberships.sql).
--   sizes: event, size, the event's distinct organisations (as from
--     event_sizes.sql).
--   organisations: code, org (as from organisation_codes.sql): the pairs
--     join the codes, not the ids.
-- Value placeholders: layer STRING, the layer of every event; max_event_size
--   BIGINT (NULL for no cap); fractional BOOLEAN; downweight BOOLEAN.
--
-- The rules are those of project_events.sql (pair year, weight 1 or
-- 1/(k-1), events of one organisation give no pair, oversized events left
-- out or downweighted), which takes raw rows of several layers and first
-- merges them into memberships and counts each event's organisations. The
-- records pipeline has done both already (memberships.sql, event_sizes.sql),
-- so this statement starts from the memberships and their sizes and does not
-- repeat those two groupings.
--
-- When every weight is 1 (full counting, no downweighted event), the sum of
-- the weights is the number of events, and it is counted as such. Otherwise
-- weights are summed as DECIMAL(38, 18), exactly, so that the sums do not
-- depend on the order in which threads or partitions meet the rows.
--
-- Output: source < target, layer, year, weight (DOUBLE, sum over the events),
-- records (number of events behind the row), ordered by year, source, target:
-- the columns and order of project_events.sql for one layer.
WITH members AS (
    SELECT e.event, o.code AS org, e.year, s.size
    FROM {events} e
    JOIN {sizes} s ON s.event = e.event
    JOIN {organisations} o ON o.org = e.org
    WHERE s.size > 1 AND ({max_event_size} IS NULL OR s.size <= {max_event_size} OR {downweight})
),
pairs AS (
    SELECT
        a.org AS source,
        b.org AS target,
        CASE
            WHEN a.year IS NULL THEN b.year
            WHEN b.year IS NULL OR a.year >= b.year THEN a.year
            ELSE b.year
        END AS year,
        CASE
            WHEN {fractional} OR a.size > {max_event_size}
                THEN CAST(CAST(1 AS DOUBLE) / CAST(a.size - 1 AS DOUBLE) AS DECIMAL(38, 18))
            ELSE CAST(1 AS DECIMAL(38, 18))
        END AS weight
    FROM members a
    JOIN members b ON b.event = a.event AND a.org < b.org
)
SELECT
    source,
    target,
    {layer} AS layer,
    year,
    CASE
        WHEN {fractional} OR {downweight} THEN CAST(SUM(weight) AS DOUBLE)
        ELSE CAST(COUNT(*) AS DOUBLE)
    END AS weight,
    CAST(COUNT(*) AS BIGINT) AS records
FROM pairs
GROUP BY year, source, target
ORDER BY year NULLS LAST, source NULLS LAST, target NULLS LAST
