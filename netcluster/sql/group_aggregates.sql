-- Per-group aggregates: every country, every locality and the home set.
--
-- Table placeholders:
--   pairs: source BIGINT, target BIGINT: one row per tie (as from
--     merge_years.sql, which aggregate_records writes).
--   organisations: code BIGINT, org, country, region, locality (as from
--     organisation_codes.sql).
--   scopes: code BIGINT, international_degree BIGINT (as from scope_counts.sql).
--   home: org STRING, the ids of the home set's organisations (may be empty).
-- Value placeholders: home_country STRING and home_region STRING (NULL when
--   not used): organisations of that country, or of that region (compared
--   as the locality key: trimmed, lower case), are in the home set too.
--
-- Groups: kind country (organisations of known country), kind locality
-- (organisations of known country and region; a locality lies within one
-- country) and kind home (one row, even when the home set is empty).
-- For a group of n organisations:
--   internal_ties: distinct pairs with both ends in the group;
--   density: 2 internal_ties / (n (n - 1)), NULL when n < 2;
--   local_ties, national_ties, international_ties, unknown_ties: distinct
--     pairs with at least one end in the group, by scope (as in
--     scope_counts.sql);
--   share_international: share of the n organisations with at least one
--     international tie, NULL when n = 0.
--
-- The pairs are first counted by what the groups read of their two ends
-- (country, country/locality key, home flag): at most one row per
-- combination, far fewer than the pairs, which the per-group sums then read
-- instead of every pair.
--
-- Output, ordered by kind (country, locality, home) and key: kind, key
-- (country code; country/locality key; home), name (country code; the
-- smallest spelling of the region; home), organisations, internal_ties,
-- density, local_ties, national_ties, international_ties, unknown_ties,
-- share_international.
WITH places AS (
    SELECT
        code,
        country,
        CASE WHEN country IS NOT NULL AND locality IS NOT NULL THEN CONCAT(country, '/', locality) END
            AS place,
        CASE
            WHEN CAST(org AS STRING) IN (SELECT h.org FROM {home} h)
                OR country = UPPER(TRIM({home_country}))
                OR locality = LOWER(TRIM({home_region}))
                THEN 1
            ELSE 0
        END AS home
    FROM {organisations}
),
groups AS (
    SELECT 1 AS kind_rank, 'country' AS kind, country AS gkey, country AS name
    FROM {organisations}
    WHERE country IS NOT NULL
    GROUP BY country
    UNION ALL
    SELECT 2 AS kind_rank, 'locality' AS kind, CONCAT(country, '/', locality) AS gkey, MIN(region) AS name
    FROM {organisations}
    WHERE country IS NOT NULL AND locality IS NOT NULL
    GROUP BY country, locality
    UNION ALL
    SELECT 3 AS kind_rank, 'home' AS kind, 'home' AS gkey, 'home' AS name
),
ties AS (
    SELECT
        source_country, target_country, source_place, target_place, source_home, target_home,
        CASE
            WHEN source_country IS NULL OR target_country IS NULL THEN 'unknown'
            WHEN source_country <> target_country THEN 'international'
            WHEN source_place IS NOT NULL AND target_place IS NOT NULL AND source_place = target_place
                THEN 'local'
            ELSE 'national'
        END AS scope,
        n
    FROM (
        SELECT
            s.country AS source_country,
            t.country AS target_country,
            s.place AS source_place,
            t.place AS target_place,
            s.home AS source_home,
            t.home AS target_home,
            COUNT(*) AS n
        FROM {pairs} d
        JOIN places s ON s.code = d.source
        JOIN places t ON t.code = d.target
        GROUP BY s.country, t.country, s.place, t.place, s.home, t.home
    ) c
),
-- Each row's n ties once per group they touch: from the source's group, and
-- from the target's group when that is another one; inside = 1 when both
-- ends are in.
ends AS (
    SELECT 1 AS kind_rank, source_country AS gkey, scope,
        CASE WHEN source_country = target_country THEN 1 ELSE 0 END AS inside, n
    FROM ties
    WHERE source_country IS NOT NULL
    UNION ALL
    SELECT 1 AS kind_rank, target_country AS gkey, scope, 0 AS inside, n
    FROM ties
    WHERE target_country IS NOT NULL AND (source_country IS NULL OR source_country <> target_country)
    UNION ALL
    SELECT 2 AS kind_rank, source_place AS gkey, scope,
        CASE WHEN source_place = target_place THEN 1 ELSE 0 END AS inside, n
    FROM ties
    WHERE source_place IS NOT NULL
    UNION ALL
    SELECT 2 AS kind_rank, target_place AS gkey, scope, 0 AS inside, n
    FROM ties
    WHERE target_place IS NOT NULL AND (source_place IS NULL OR source_place <> target_place)
    UNION ALL
    SELECT 3 AS kind_rank, 'home' AS gkey, scope, source_home * target_home AS inside, n
    FROM ties
    WHERE source_home = 1 OR target_home = 1
),
tie_counts AS (
    SELECT
        kind_rank,
        gkey,
        SUM(inside * n) AS internal_ties,
        SUM(CASE WHEN scope = 'local' THEN n ELSE 0 END) AS local_ties,
        SUM(CASE WHEN scope = 'national' THEN n ELSE 0 END) AS national_ties,
        SUM(CASE WHEN scope = 'international' THEN n ELSE 0 END) AS international_ties,
        SUM(CASE WHEN scope = 'unknown' THEN n ELSE 0 END) AS unknown_ties
    FROM ends
    GROUP BY kind_rank, gkey
),
members AS (
    SELECT p.country, p.place, p.home, CASE WHEN s.international_degree > 0 THEN 1 ELSE 0 END AS abroad
    FROM places p
    JOIN {scopes} s ON s.code = p.code
),
member_counts AS (
    SELECT 1 AS kind_rank, country AS gkey, COUNT(*) AS organisations, SUM(abroad) AS international_members
    FROM members
    WHERE country IS NOT NULL
    GROUP BY country
    UNION ALL
    SELECT 2 AS kind_rank, place AS gkey, COUNT(*) AS organisations, SUM(abroad) AS international_members
    FROM members
    WHERE place IS NOT NULL
    GROUP BY place
    UNION ALL
    SELECT 3 AS kind_rank, 'home' AS gkey, COUNT(*) AS organisations, SUM(abroad) AS international_members
    FROM members
    WHERE home = 1
)
SELECT
    g.kind,
    g.gkey AS key,
    g.name,
    CAST(COALESCE(c.organisations, 0) AS BIGINT) AS organisations,
    CAST(COALESCE(t.internal_ties, 0) AS BIGINT) AS internal_ties,
    CASE
        WHEN c.organisations > 1
            THEN CAST(2 * COALESCE(t.internal_ties, 0) AS DOUBLE)
                / CAST(c.organisations * (c.organisations - 1) AS DOUBLE)
    END AS density,
    CAST(COALESCE(t.local_ties, 0) AS BIGINT) AS local_ties,
    CAST(COALESCE(t.national_ties, 0) AS BIGINT) AS national_ties,
    CAST(COALESCE(t.international_ties, 0) AS BIGINT) AS international_ties,
    CAST(COALESCE(t.unknown_ties, 0) AS BIGINT) AS unknown_ties,
    CASE
        WHEN c.organisations > 0
            THEN CAST(c.international_members AS DOUBLE) / CAST(c.organisations AS DOUBLE)
    END AS share_international
FROM groups g
LEFT JOIN member_counts c ON c.kind_rank = g.kind_rank AND c.gkey = g.gkey
LEFT JOIN tie_counts t ON t.kind_rank = g.kind_rank AND t.gkey = g.gkey
ORDER BY g.kind_rank NULLS LAST, g.gkey NULLS LAST
