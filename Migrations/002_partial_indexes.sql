-- crm-replica schema 2: an empty key value is stored as NULL, and the key indexes leave NULL out.
-- Empty and null values never match anything (docs/rules.md#when-two-values-are-the-same), so the key columns and their
-- near-miss keys hold NULL where the field is empty (`data` keeps the exact value, "" included),
-- and every key index is partial, `WHERE column IS NOT NULL`: exports leave most Secondary_Email
-- and many Phone cells empty, and those rows no longer cost an index entry. SQLite uses a partial
-- index for `column = ?` (with or without COLLATE NOCASE), which implies `column IS NOT NULL`.
-- Campaign_Name (campaigns, and campaign rows of the bin) is unchanged: campaign names are read
-- back from their column, and a campaigns table is small.

UPDATE contacts SET Email = NULL, email_key = NULL WHERE Email = '';
UPDATE contacts SET Secondary_Email = NULL, secondary_email_key = NULL WHERE Secondary_Email = '';
UPDATE contacts SET Phone = NULL, phone_key = NULL WHERE Phone = '';
DROP INDEX contacts_email;
CREATE INDEX contacts_email ON contacts (Email COLLATE NOCASE) WHERE Email IS NOT NULL;
DROP INDEX contacts_email_key;
CREATE INDEX contacts_email_key ON contacts (email_key) WHERE email_key IS NOT NULL;
DROP INDEX contacts_secondary_email;
CREATE INDEX contacts_secondary_email ON contacts (Secondary_Email COLLATE NOCASE) WHERE Secondary_Email IS NOT NULL;
DROP INDEX contacts_secondary_email_key;
CREATE INDEX contacts_secondary_email_key ON contacts (secondary_email_key) WHERE secondary_email_key IS NOT NULL;
DROP INDEX contacts_phone;
CREATE INDEX contacts_phone ON contacts (Phone COLLATE NOCASE) WHERE Phone IS NOT NULL;
DROP INDEX contacts_phone_key;
CREATE INDEX contacts_phone_key ON contacts (phone_key) WHERE phone_key IS NOT NULL;

UPDATE leads SET Email = NULL, email_key = NULL WHERE Email = '';
UPDATE leads SET Secondary_Email = NULL, secondary_email_key = NULL WHERE Secondary_Email = '';
UPDATE leads SET Phone = NULL, phone_key = NULL WHERE Phone = '';
DROP INDEX leads_email;
CREATE INDEX leads_email ON leads (Email COLLATE NOCASE) WHERE Email IS NOT NULL;
DROP INDEX leads_email_key;
CREATE INDEX leads_email_key ON leads (email_key) WHERE email_key IS NOT NULL;
DROP INDEX leads_secondary_email;
CREATE INDEX leads_secondary_email ON leads (Secondary_Email COLLATE NOCASE) WHERE Secondary_Email IS NOT NULL;
DROP INDEX leads_secondary_email_key;
CREATE INDEX leads_secondary_email_key ON leads (secondary_email_key) WHERE secondary_email_key IS NOT NULL;
DROP INDEX leads_phone;
CREATE INDEX leads_phone ON leads (Phone COLLATE NOCASE) WHERE Phone IS NOT NULL;
DROP INDEX leads_phone_key;
CREATE INDEX leads_phone_key ON leads (phone_key) WHERE phone_key IS NOT NULL;

UPDATE recycle_bin SET Email = NULL, email_key = NULL WHERE Email = '';
UPDATE recycle_bin SET Secondary_Email = NULL, secondary_email_key = NULL WHERE Secondary_Email = '';
UPDATE recycle_bin SET Phone = NULL, phone_key = NULL WHERE Phone = '';
DROP INDEX recycle_bin_email;
CREATE INDEX recycle_bin_email ON recycle_bin (module, Email COLLATE NOCASE) WHERE Email IS NOT NULL;
DROP INDEX recycle_bin_email_key;
CREATE INDEX recycle_bin_email_key ON recycle_bin (module, email_key) WHERE email_key IS NOT NULL;
DROP INDEX recycle_bin_secondary_email;
CREATE INDEX recycle_bin_secondary_email ON recycle_bin (module, Secondary_Email COLLATE NOCASE) WHERE Secondary_Email IS NOT NULL;
DROP INDEX recycle_bin_secondary_email_key;
CREATE INDEX recycle_bin_secondary_email_key ON recycle_bin (module, secondary_email_key) WHERE secondary_email_key IS NOT NULL;
DROP INDEX recycle_bin_phone;
CREATE INDEX recycle_bin_phone ON recycle_bin (module, Phone COLLATE NOCASE) WHERE Phone IS NOT NULL;
DROP INDEX recycle_bin_phone_key;
CREATE INDEX recycle_bin_phone_key ON recycle_bin (module, phone_key) WHERE phone_key IS NOT NULL;
