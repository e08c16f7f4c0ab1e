-- crm-replica schema 3: the near-miss key also replaces Unicode look-alikes (the confusables of
-- UTS #39: a Cyrillic а for a Latin a) by the character they imitate. Only the keys of values
-- holding a non-ASCII character change; an ASCII value keeps its key.
-- SQL cannot compute the new key (NFKC and the confusables table live in the Swift code), so this
-- migration only notes, when some key column holds a non-ASCII value, that such keys were
-- computed by the older rule. The record store recomputes them once, the first time the file is
-- opened for writing (`RecordStore.recomputeNearMissKeys`), and removes the note; until then a
-- read-only near-miss lookup refuses to answer rather than miss a look-alike.
-- `length(CAST(x AS BLOB)) <> length(x)`: more bytes than characters, so a non-ASCII character.

INSERT OR REPLACE INTO replica_state (key, value)
SELECT 'near_miss_keys_outdated', 1
WHERE EXISTS (SELECT 1 FROM contacts WHERE length(CAST(Email AS BLOB)) <> length(Email)
                  OR length(CAST(Secondary_Email AS BLOB)) <> length(Secondary_Email)
                  OR length(CAST(Phone AS BLOB)) <> length(Phone))
   OR EXISTS (SELECT 1 FROM leads WHERE length(CAST(Email AS BLOB)) <> length(Email)
                  OR length(CAST(Secondary_Email AS BLOB)) <> length(Secondary_Email)
                  OR length(CAST(Phone AS BLOB)) <> length(Phone))
   OR EXISTS (SELECT 1 FROM campaigns WHERE length(CAST(Campaign_Name AS BLOB)) <> length(Campaign_Name))
   OR EXISTS (SELECT 1 FROM recycle_bin WHERE length(CAST(Email AS BLOB)) <> length(Email)
                  OR length(CAST(Secondary_Email AS BLOB)) <> length(Secondary_Email)
                  OR length(CAST(Phone AS BLOB)) <> length(Phone)
                  OR length(CAST(Campaign_Name AS BLOB)) <> length(Campaign_Name))
   OR EXISTS (SELECT 1 FROM field_values WHERE length(CAST(value AS BLOB)) <> length(value));
