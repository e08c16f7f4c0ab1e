-- Calibration (`crm-replica calibrate --apply`): which settings were decided by which real answers.
-- import_log gains the kind 'calibrate' (one row per input file whose answers decided settings);
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt with its rows.
CREATE TABLE IF NOT EXISTS import_log_new (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('load', 'replay', 'calibrate')),
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
INSERT INTO import_log_new SELECT * FROM import_log;
DROP TABLE import_log;
ALTER TABLE import_log_new RENAME TO import_log;

-- The value calibration stored for a setting, and the inputs (a JSON array of paths) and time
-- behind it. A row holds only while the stored value is still the calibrated one: storing or
-- resetting the setting by hand deletes it.
CREATE TABLE IF NOT EXISTS calibrated_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    sources TEXT NOT NULL,
    at TEXT NOT NULL
) WITHOUT ROWID;
