-- Events by what the projection does with them, for the summary.
--
-- Table placeholder sizes: event, size, row_count (as from event_sizes.sql).
-- Value placeholder max_event_size: BIGINT, or NULL for no cap.
--
-- Output: one row: events, memberships, repeated_rows (rows beyond the
-- first of each membership), single_events and single_memberships (events of
-- one organisation, which give no pair), oversized_events and
-- oversized_memberships (more organisations than the cap).
SELECT
    CAST(COUNT(*) AS BIGINT) AS events,
    CAST(COALESCE(SUM(size), 0) AS BIGINT) AS memberships,
    CAST(COALESCE(SUM(row_count - size), 0) AS BIGINT) AS repeated_rows,
    CAST(COALESCE(SUM(CASE WHEN size = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS single_events,
    CAST(COALESCE(SUM(CASE WHEN size = 1 THEN size ELSE 0 END), 0) AS BIGINT) AS single_memberships,
    CAST(COALESCE(SUM(CASE WHEN size > {max_event_size} THEN 1 ELSE 0 END), 0) AS BIGINT)
        AS oversized_events,
    CAST(COALESCE(SUM(CASE WHEN size > {max_event_size} THEN size ELSE 0 END), 0) AS BIGINT)
        AS oversized_memberships
FROM {sizes}
