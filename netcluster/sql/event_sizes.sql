-- The size of every event: its distinct organisations and its rows.
--
-- Table placeholder events: layer, event, org, row_count (as from coded_events.sql).
--
-- Output: layer, event, size BIGINT, row_count BIGINT; unordered.
SELECT layer, event, CAST(COUNT(*) AS BIGINT) AS size, CAST(SUM(row_count) AS BIGINT) AS row_count
FROM {events}
GROUP BY layer, event
