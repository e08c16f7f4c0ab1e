-- crm-replica schema 4: Zoho's module ids, from `GET /settings/modules`. Zoho's response schema
-- (Minified_Module) gives `duplicate_record.module` an `id` beside its `api_name`; module ids
-- differ from org to org, so they can only come from the org's own metadata. Every module the
-- file lists is kept (a row is a few bytes), not only those whose records the replica stores.
-- `id` is NULL when the metadata gives none: the answer then carries `"id": null`, as the
-- schema allows. `IF NOT EXISTS`: like schemas 2 and 3, this runs again without failing on a file
-- whose version was set back (as the upgrade tests do).

CREATE TABLE IF NOT EXISTS module_ids (
    api_name TEXT PRIMARY KEY NOT NULL,
    id TEXT
);
