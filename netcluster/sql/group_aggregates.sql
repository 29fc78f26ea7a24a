-- Per-group aggregates: every country, every locality and the home set.
--
-- Table placeholders:
--   pairs: source BIGINT, target BIGINT: one row per tie (as from
--     merge_years.sql, which aggregate_records writes).
--   organisations: code BIGINT, org, country, region, locality (as from
--     organisation_codes.sql).
--   scopes: code BIGINT and the four degrees by scope (as from scope_counts.sql
--     over the same pairs).
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
-- The ties are counted from the organisations' degrees by scope
-- (scope_counts.sql): a group's ends of each scope, summed over its members,
-- count every tie with one end in the group once and every tie with both
-- ends in it twice. Within a country only local and national ties have both
-- ends in it (each is then counted twice: half the sum), within a locality
-- only local ties; ties with both ends in the home set (which may be any
-- set of organisations) are counted from the pairs, of which only those
-- between two home organisations are read.
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
members AS (
    SELECT
        p.country,
        p.place,
        p.home,
        CASE WHEN s.international_degree > 0 THEN 1 ELSE 0 END AS abroad,
        s.local_degree,
        s.national_degree,
        s.international_degree,
        s.unknown_degree
    FROM places p
    JOIN {scopes} s ON s.code = p.code
),
member_counts AS (
    SELECT
        1 AS kind_rank, country AS gkey, COUNT(*) AS organisations, SUM(abroad) AS international_members,
        SUM(local_degree) AS local_ends, SUM(national_degree) AS national_ends,
        SUM(international_degree) AS international_ends, SUM(unknown_degree) AS unknown_ends
    FROM members
    WHERE country IS NOT NULL
    GROUP BY country
    UNION ALL
    SELECT
        2 AS kind_rank, place AS gkey, COUNT(*) AS organisations, SUM(abroad) AS international_members,
        SUM(local_degree) AS local_ends, SUM(national_degree) AS national_ends,
        SUM(international_degree) AS international_ends, SUM(unknown_degree) AS unknown_ends
    FROM members
    WHERE place IS NOT NULL
    GROUP BY place
    UNION ALL
    SELECT
        3 AS kind_rank, 'home' AS gkey, COUNT(*) AS organisations, SUM(abroad) AS international_members,
        SUM(local_degree) AS local_ends, SUM(national_degree) AS national_ends,
        SUM(international_degree) AS international_ends, SUM(unknown_degree) AS unknown_ends
    FROM members
    WHERE home = 1
),
home_places AS (
    SELECT code, country, place
    FROM places
    WHERE home = 1
),
-- Ties with both ends in the home set, by scope (as in scope_counts.sql).
home_inside AS (
    SELECT
        SUM(CASE WHEN scope = 0 THEN 1 ELSE 0 END) AS local_inside,
        SUM(CASE WHEN scope = 1 THEN 1 ELSE 0 END) AS national_inside,
        SUM(CASE WHEN scope = 2 THEN 1 ELSE 0 END) AS international_inside,
        SUM(CASE WHEN scope = 3 THEN 1 ELSE 0 END) AS unknown_inside
    FROM (
        SELECT
            CASE
                WHEN s.country IS NULL OR t.country IS NULL THEN 3
                WHEN s.country <> t.country THEN 2
                WHEN s.place IS NOT NULL AND t.place IS NOT NULL AND s.place = t.place THEN 0
                ELSE 1
            END AS scope
        FROM {pairs} d
        JOIN home_places s ON s.code = d.source
        JOIN home_places t ON t.code = d.target
    ) inside
),
-- Ties with both ends in each group, by scope: each counted twice in the
-- group's ends.
counts AS (
    SELECT
        c.kind_rank,
        c.gkey,
        c.organisations,
        c.international_members,
        c.local_ends,
        c.national_ends,
        c.international_ends,
        c.unknown_ends,
        CASE
            WHEN c.kind_rank = 3 THEN COALESCE(h.local_inside, 0)
            ELSE CAST(c.local_ends / 2 AS BIGINT)
        END AS local_inside,
        CASE
            WHEN c.kind_rank = 1 THEN CAST(c.national_ends / 2 AS BIGINT)
            WHEN c.kind_rank = 3 THEN COALESCE(h.national_inside, 0)
            ELSE 0
        END AS national_inside,
        CASE WHEN c.kind_rank = 3 THEN COALESCE(h.international_inside, 0) ELSE 0 END AS international_inside,
        CASE WHEN c.kind_rank = 3 THEN COALESCE(h.unknown_inside, 0) ELSE 0 END AS unknown_inside
    FROM member_counts c
    CROSS JOIN home_inside h
)
SELECT
    g.kind,
    g.gkey AS key,
    g.name,
    CAST(COALESCE(c.organisations, 0) AS BIGINT) AS organisations,
    CAST(COALESCE(c.local_inside + c.national_inside + c.international_inside + c.unknown_inside, 0)
        AS BIGINT) AS internal_ties,
    CASE
        WHEN c.organisations > 1
            THEN CAST(2 * (c.local_inside + c.national_inside + c.international_inside + c.unknown_inside)
                AS DOUBLE) / CAST(c.organisations * (c.organisations - 1) AS DOUBLE)
    END AS density,
    CAST(COALESCE(c.local_ends - c.local_inside, 0) AS BIGINT) AS local_ties,
    CAST(COALESCE(c.national_ends - c.national_inside, 0) AS BIGINT) AS national_ties,
    CAST(COALESCE(c.international_ends - c.international_inside, 0) AS BIGINT) AS international_ties,
    CAST(COALESCE(c.unknown_ends - c.unknown_inside, 0) AS BIGINT) AS unknown_ties,
    CASE
        WHEN c.organisations > 0
            THEN CAST(c.international_members AS DOUBLE) / CAST(c.organisations AS DOUBLE)
    END AS share_international
FROM groups g
LEFT JOIN counts c ON c.kind_rank = g.kind_rank AND c.gkey = g.gkey
ORDER BY g.kind_rank NULLS LAST, g.gkey NULLS LAST
