-- Every row of a table, as stored.
--
-- Table placeholder table: any table.
SELECT * FROM {table}
