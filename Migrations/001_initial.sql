-- crm-replica schema 1.
-- Values are stored exactly as exported. Every column a duplicate check compares has an index
-- COLLATE NOCASE (the documented, ASCII-only reading of Zoho's case_sensitive:false) and a
-- stored near-miss key (trimmed, NFKC, case-folded, invisibles removed) with an index of its own.
-- `data` keeps the whole record as JSON so no field, custom ones included, is lost.

CREATE TABLE contacts (
    id TEXT PRIMARY KEY NOT NULL,
    Email TEXT,
    Secondary_Email TEXT,
    Phone TEXT,
    First_Name TEXT,
    Last_Name TEXT,
    Owner_Name TEXT,
    Owner_Id TEXT,
    Created_Time TEXT,
    Modified_Time TEXT,
    email_key TEXT,
    secondary_email_key TEXT,
    phone_key TEXT,
    data TEXT NOT NULL
);
CREATE INDEX contacts_email ON contacts (Email COLLATE NOCASE);
CREATE INDEX contacts_email_key ON contacts (email_key);
CREATE INDEX contacts_secondary_email ON contacts (Secondary_Email COLLATE NOCASE);
CREATE INDEX contacts_secondary_email_key ON contacts (secondary_email_key);
CREATE INDEX contacts_phone ON contacts (Phone COLLATE NOCASE);
CREATE INDEX contacts_phone_key ON contacts (phone_key);

CREATE TABLE leads (
    id TEXT PRIMARY KEY NOT NULL,
    Email TEXT,
    Secondary_Email TEXT,
    Phone TEXT,
    First_Name TEXT,
    Last_Name TEXT,
    Owner_Name TEXT,
    Owner_Id TEXT,
    Created_Time TEXT,
    Modified_Time TEXT,
    email_key TEXT,
    secondary_email_key TEXT,
    phone_key TEXT,
    data TEXT NOT NULL
);
CREATE INDEX leads_email ON leads (Email COLLATE NOCASE);
CREATE INDEX leads_email_key ON leads (email_key);
CREATE INDEX leads_secondary_email ON leads (Secondary_Email COLLATE NOCASE);
CREATE INDEX leads_secondary_email_key ON leads (secondary_email_key);
CREATE INDEX leads_phone ON leads (Phone COLLATE NOCASE);
CREATE INDEX leads_phone_key ON leads (phone_key);

CREATE TABLE campaigns (
    id TEXT PRIMARY KEY NOT NULL,
    Campaign_Name TEXT,
    Owner_Name TEXT,
    Owner_Id TEXT,
    Created_Time TEXT,
    Modified_Time TEXT,
    campaign_name_key TEXT,
    data TEXT NOT NULL
);
CREATE INDEX campaigns_campaign_name ON campaigns (Campaign_Name COLLATE NOCASE);
CREATE INDEX campaigns_campaign_name_key ON campaigns (campaign_name_key);

-- Deleted records of every module. `data` is NULL when only the deleted-records list is known.
CREATE TABLE recycle_bin (
    id TEXT PRIMARY KEY NOT NULL,
    module TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT 'recycle' CHECK (type IN ('recycle', 'permanent')),
    display_name TEXT,
    deleted_time TEXT,
    deleted_by_name TEXT,
    deleted_by_id TEXT,
    created_by_name TEXT,
    created_by_id TEXT,
    Email TEXT,
    Secondary_Email TEXT,
    Phone TEXT,
    Campaign_Name TEXT,
    Owner_Name TEXT,
    Owner_Id TEXT,
    Created_Time TEXT,
    Modified_Time TEXT,
    email_key TEXT,
    secondary_email_key TEXT,
    phone_key TEXT,
    campaign_name_key TEXT,
    data TEXT
);
CREATE INDEX recycle_bin_email ON recycle_bin (module, Email COLLATE NOCASE);
CREATE INDEX recycle_bin_email_key ON recycle_bin (module, email_key);
CREATE INDEX recycle_bin_secondary_email ON recycle_bin (module, Secondary_Email COLLATE NOCASE);
CREATE INDEX recycle_bin_secondary_email_key ON recycle_bin (module, secondary_email_key);
CREATE INDEX recycle_bin_phone ON recycle_bin (module, Phone COLLATE NOCASE);
CREATE INDEX recycle_bin_phone_key ON recycle_bin (module, phone_key);
CREATE INDEX recycle_bin_campaign_name ON recycle_bin (module, Campaign_Name COLLATE NOCASE);
CREATE INDEX recycle_bin_campaign_name_key ON recycle_bin (module, campaign_name_key);

-- Checked fields that have no column of their own (custom unique fields, other email fields),
-- for live and recycle-bin records alike, so that every comparison still goes through an index.
CREATE TABLE field_values (
    module TEXT NOT NULL,
    record_id TEXT NOT NULL,
    location TEXT NOT NULL CHECK (location IN ('live', 'recycle_bin')),
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    value_key TEXT NOT NULL,
    PRIMARY KEY (module, record_id, field)
);
CREATE INDEX field_values_value ON field_values (module, field, value COLLATE NOCASE);
CREATE INDEX field_values_key ON field_values (module, field, value_key);

CREATE TABLE campaign_members (
    campaign_id TEXT NOT NULL,
    member_module TEXT NOT NULL CHECK (member_module IN ('Contacts', 'Leads')),
    member_id TEXT NOT NULL,
    member_status TEXT,
    added_time TEXT,
    modified_time TEXT,
    PRIMARY KEY (campaign_id, member_module, member_id)
);
CREATE INDEX campaign_members_member ON campaign_members (member_module, member_id);

-- The field catalogue as loaded from settings/fields responses (and fields first seen in an
-- export). Built-in standard fields live in the code and are overridden by these rows.
CREATE TABLE fields (
    module TEXT NOT NULL,
    api_name TEXT NOT NULL,
    field_label TEXT NOT NULL,
    data_type TEXT NOT NULL,
    is_unique INTEGER NOT NULL DEFAULT 0,
    system_mandatory INTEGER NOT NULL DEFAULT 0,
    custom_field INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('metadata', 'export')),
    PRIMARY KEY (module, api_name)
);

CREATE TABLE duplicate_check_preference (
    module TEXT PRIMARY KEY NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('converted_records', 'mapped_module_records')),
    raw TEXT NOT NULL
);
CREATE TABLE duplicate_check_mappings (
    module TEXT NOT NULL,
    position INTEGER NOT NULL,
    current_field TEXT NOT NULL,
    mapped_module TEXT NOT NULL,
    mapped_field TEXT NOT NULL,
    PRIMARY KEY (module, position)
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE import_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('load', 'replay')),
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    module TEXT,
    format TEXT NOT NULL,
    read INTEGER NOT NULL,
    inserted INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    at TEXT NOT NULL
);

-- Counters of the replica itself: `max_id` is the highest record id seen or issued, so ids the
-- replica creates never collide with loaded ones.
CREATE TABLE replica_state (
    key TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
);
