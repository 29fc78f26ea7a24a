-- The size of every event: its distinct organisations and its rows.
--
-- Table placeholder events: event, org, row_count (as from memberships.sql).
--
-- Output: event, size BIGINT, row_count BIGINT; unordered.
SELECT event, CAST(COUNT(*) AS BIGINT) AS size, CAST(SUM(row_count) AS BIGINT) AS row_count
FROM {events}
GROUP BY event
