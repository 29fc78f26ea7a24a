-- Events with more organisations than the cap, for the oversized_events table.
--
-- Table placeholder sizes: event, size (as from event_sizes.sql).
-- Value placeholders: layer STRING (the layer of every event); max_event_size
--   BIGINT (NULL for no cap: no rows).
--
-- Output: layer, event, size, ordered by event (as oversized_events.sql).
SELECT {layer} AS layer, event, size
FROM {sizes}
WHERE size > {max_event_size}
ORDER BY event NULLS LAST
