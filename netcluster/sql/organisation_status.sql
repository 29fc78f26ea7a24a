-- Organisations by what is known of their country, for the summary.
--
-- Table placeholder organisations: country_status (as from organisation_codes.sql).
--
-- Output: country_status, organisations; ordered by country_status.
SELECT country_status, CAST(COUNT(*) AS BIGINT) AS organisations
FROM {organisations}
GROUP BY country_status
ORDER BY country_status NULLS LAST
