-- The organisations output: codes, attributes and component.
--
-- Table placeholders:
--   organisations: as from organisation_codes.sql.
--   labels: code, label (converged components_step.sql labels).
--   components: component, smallest_code (as from components_summary.sql).
--
-- Output, ordered by code: code, org, country, region, country_status,
-- attribute_rows, component.
SELECT
    o.code,
    o.org,
    o.country,
    o.region,
    o.country_status,
    o.attribute_rows,
    c.component
FROM {organisations} o
JOIN {labels} l ON l.code = o.code
JOIN {components} c ON c.smallest_code = l.label
ORDER BY o.code NULLS LAST
