-- Events with more distinct organisations than the cap, for the load report.
--
-- Table placeholder events: as in project_events.sql.
-- Value placeholder max_event_size: BIGINT (NULL for no cap: no rows).
--
-- Output: layer, event, size, ordered by layer and event.
SELECT layer, event, COUNT(DISTINCT org) AS size
FROM {events}
WHERE layer IS NOT NULL AND event IS NOT NULL AND org IS NOT NULL
GROUP BY layer, event
HAVING COUNT(DISTINCT org) > {max_event_size}
ORDER BY layer NULLS LAST, event NULLS LAST
