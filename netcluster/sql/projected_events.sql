-- The memberships the projection uses: events of 2 or more organisations, up to the cap.
--
-- Table placeholders:
--   events: event, org, year (as from coded_events.sql).
--   sizes: event, size (as from event_sizes.sql).
-- Value placeholders: layer STRING, the layer of every event (it is added
--   here rather than carried by the larger tables before); max_event_size
--   BIGINT (NULL for no cap); downweight BOOLEAN (events above the cap are
--   projected too).
--
-- project_events.sql gives the same pairs from these rows as from all of
-- events (events of one organisation make no pair; events above the cap
-- are skipped unless downweighted) and has fewer rows to read.
--
-- Output: layer, event, org, year; unordered.
SELECT {layer} AS layer, e.event, e.org, e.year
FROM {events} e
JOIN {sizes} s ON s.event = e.event
WHERE s.size > 1 AND ({max_event_size} IS NULL OR s.size <= {max_event_size} OR {downweight})
