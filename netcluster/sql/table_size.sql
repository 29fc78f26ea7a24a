-- The number of rows of a table.
--
-- Table placeholder table: any table.
--
-- Output: one row: row_count.
SELECT CAST(COUNT(*) AS BIGINT) AS row_count FROM {table}
