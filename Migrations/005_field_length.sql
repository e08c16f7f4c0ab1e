-- crm-replica schema 5: the `length` of each field from `settings/fields`, so that a text value
-- longer than its field is refused as Zoho refuses it (INVALID_DATA with `maximum_length`).
-- NULL where no metadata gave one (built-in fields, columns first seen in an export): no length
-- is then checked.

ALTER TABLE fields ADD COLUMN length INTEGER;
