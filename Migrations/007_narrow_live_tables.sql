-- crm-replica schema 7: `data` is the record, and a live table keeps a column beside it only
-- where an index needs one (the compared key columns and their near-miss keys).
-- Schemas 1-6 also copied First_Name, Last_Name, the owner, Created_Time and Modified_Time out of
-- the record into columns that no index used: about a third of a million-row table's bytes, each
-- one written twice and read again by every index build (BENCHMARKS.md, issue 18). Their few
-- readers (a holder's Created_Time and owner, a stored record's Modified_Time) now read them from
-- `data` (`LiveLayout.textSQL`), one row at a time, after an index has found the row.
-- The recycle bin keeps its columns: a row of the deleted-records list has no `data` to read.
-- Each table is rebuilt in one pass (ALTER TABLE DROP COLUMN would rewrite it once per column);
-- DROP TABLE drops its indexes, which are created again as schema 2 left them. Like schemas 2-6,
-- this runs again without failing on a file whose version was set back: the columns it copies
-- exist in both shapes.

CREATE TABLE contacts_007 (
    id TEXT PRIMARY KEY NOT NULL,
    Email TEXT,
    email_key TEXT,
    Secondary_Email TEXT,
    secondary_email_key TEXT,
    Phone TEXT,
    phone_key TEXT,
    data TEXT NOT NULL
);
INSERT INTO contacts_007 (id, Email, email_key, Secondary_Email, secondary_email_key, Phone, phone_key, data)
SELECT id, Email, email_key, Secondary_Email, secondary_email_key, Phone, phone_key, data FROM contacts;
DROP TABLE contacts;
ALTER TABLE contacts_007 RENAME TO contacts;
CREATE INDEX contacts_email ON contacts (Email COLLATE NOCASE) WHERE Email IS NOT NULL;
CREATE INDEX contacts_email_key ON contacts (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX contacts_secondary_email ON contacts (Secondary_Email COLLATE NOCASE) WHERE Secondary_Email IS NOT NULL;
CREATE INDEX contacts_secondary_email_key ON contacts (secondary_email_key) WHERE secondary_email_key IS NOT NULL;
CREATE INDEX contacts_phone ON contacts (Phone COLLATE NOCASE) WHERE Phone IS NOT NULL;
CREATE INDEX contacts_phone_key ON contacts (phone_key) WHERE phone_key IS NOT NULL;

CREATE TABLE leads_007 (
    id TEXT PRIMARY KEY NOT NULL,
    Email TEXT,
    email_key TEXT,
    Secondary_Email TEXT,
    secondary_email_key TEXT,
    Phone TEXT,
    phone_key TEXT,
    data TEXT NOT NULL
);
INSERT INTO leads_007 (id, Email, email_key, Secondary_Email, secondary_email_key, Phone, phone_key, data)
SELECT id, Email, email_key, Secondary_Email, secondary_email_key, Phone, phone_key, data FROM leads;
DROP TABLE leads;
ALTER TABLE leads_007 RENAME TO leads;
CREATE INDEX leads_email ON leads (Email COLLATE NOCASE) WHERE Email IS NOT NULL;
CREATE INDEX leads_email_key ON leads (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX leads_secondary_email ON leads (Secondary_Email COLLATE NOCASE) WHERE Secondary_Email IS NOT NULL;
CREATE INDEX leads_secondary_email_key ON leads (secondary_email_key) WHERE secondary_email_key IS NOT NULL;
CREATE INDEX leads_phone ON leads (Phone COLLATE NOCASE) WHERE Phone IS NOT NULL;
CREATE INDEX leads_phone_key ON leads (phone_key) WHERE phone_key IS NOT NULL;

CREATE TABLE campaigns_007 (
    id TEXT PRIMARY KEY NOT NULL,
    Campaign_Name TEXT,
    campaign_name_key TEXT,
    data TEXT NOT NULL
);
INSERT INTO campaigns_007 (id, Campaign_Name, campaign_name_key, data)
SELECT id, Campaign_Name, campaign_name_key, data FROM campaigns;
DROP TABLE campaigns;
ALTER TABLE campaigns_007 RENAME TO campaigns;
CREATE INDEX campaigns_campaign_name ON campaigns (Campaign_Name COLLATE NOCASE);
CREATE INDEX campaigns_campaign_name_key ON campaigns (campaign_name_key);
