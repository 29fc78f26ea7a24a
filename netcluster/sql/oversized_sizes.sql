-- Events with more organisations than the cap, for the oversized_events table.
--
-- Table placeholder sizes: layer, event, size (as from event_sizes.sql).
-- Value placeholder max_event_size: BIGINT (NULL for no cap: no rows).
--
-- Output: layer, event, size, ordered by layer and event (as oversized_events.sql).
SELECT layer, event, size
FROM {sizes}
WHERE size > {max_event_size}
ORDER BY layer NULLS LAST, event NULLS LAST
