-- Give every organisation of the event records an integer code, with its attributes.
--
-- Table placeholders:
--   events: org (any type; the organisation id), event; rows without an
--     event or an organisation are left out.
--   attributes: org, country, region (any types; NULL where missing), from
--     the organisations file; ids are matched as text, exactly as written.
--
-- Codes are 0, 1, ... in the order of the ids (as the events file types
-- them: text order for CSV, numeric order for integer Parquet columns), so
-- the same records give the same codes on every engine and run.
--
-- Countries are expected as ISO 3166-1 alpha-2 codes: trimmed and upper-cased;
-- CORDIS's UK and EL become GB and GR; NA stays Namibia. A value that is not
-- two letters A-Z is unreadable and the country is then unknown (NULL).
-- When the organisations file has several rows for an id, the smallest
-- country and region are taken and attribute_rows counts the rows.
-- The locality key is the region trimmed and lower-cased (compared within a
-- country only).
--
-- Output, ordered by code: code, org, country, region, locality,
-- attribute_rows (0 when the organisations file does not list the id),
-- country_status: ok, missing (listed without a country), unreadable (a
-- country that is not an ISO code) or unlisted.
WITH ids AS (
    SELECT DISTINCT org
    FROM {events}
    WHERE event IS NOT NULL AND org IS NOT NULL
),
coded AS (
    SELECT org, ROW_NUMBER() OVER (ORDER BY org NULLS LAST) - 1 AS code
    FROM ids
),
listed AS (
    SELECT
        CAST(org AS STRING) AS org_text,
        MIN(UPPER(TRIM(CAST(country AS STRING)))) AS country_text,
        MIN(TRIM(CAST(region AS STRING))) AS region,
        COUNT(*) AS attribute_rows
    FROM {attributes}
    WHERE org IS NOT NULL
    GROUP BY CAST(org AS STRING)
),
named AS (
    SELECT
        c.code,
        c.org,
        CASE
            WHEN l.country_text = 'UK' THEN 'GB'
            WHEN l.country_text = 'EL' THEN 'GR'
            ELSE l.country_text
        END AS country_text,
        CASE WHEN l.region = '' THEN NULL ELSE l.region END AS region,
        COALESCE(l.attribute_rows, 0) AS attribute_rows
    FROM coded c
    LEFT JOIN listed l ON l.org_text = CAST(c.org AS STRING)
),
checked AS (
    SELECT
        code,
        org,
        country_text,
        region,
        attribute_rows,
        CASE
            WHEN LENGTH(country_text) = 2
                AND SUBSTRING(country_text, 1, 1) BETWEEN 'A' AND 'Z'
                AND SUBSTRING(country_text, 2, 1) BETWEEN 'A' AND 'Z'
                THEN country_text
        END AS country
    FROM named
)
SELECT
    CAST(code AS BIGINT) AS code,
    org,
    country,
    region,
    LOWER(region) AS locality,
    CAST(attribute_rows AS BIGINT) AS attribute_rows,
    CASE
        WHEN attribute_rows = 0 THEN 'unlisted'
        WHEN country IS NOT NULL THEN 'ok'
        WHEN country_text IS NULL OR country_text = '' THEN 'missing'
        ELSE 'unreadable'
    END AS country_status
FROM checked
ORDER BY code NULLS LAST
