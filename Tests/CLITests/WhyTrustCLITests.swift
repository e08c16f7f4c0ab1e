import Foundation
import TestSupport
import Testing

/// Wrong answers found trying the tool as a new user, through the built binary: validation
/// before any duplicate check, `depends_on` that lists only settings changing the verdict, and
/// Unicode look-alikes (`confusable`).
@Suite("CLI: trust in why and replay")
struct WhyTrustCLITests {
    /// Two contacts holding ann@example.com and the Phone +1 206 555 0100 (so upsert cannot
    /// choose one), a contact holding wei.meyer@example.net, one holding userl@example.com, and
    /// a recycle-bin contact holding binned@example.com. Phone is unique.
    static func org() throws -> Workspace {
        let replica = try Workspace()
        try replica.load("Contacts_fields.json", ZohoFiles.contactFieldsWithUniquePhone, module: "Contacts")
        try replica.load("Contacts.csv", """
            id,Last_Name,Email,Phone,Created_Time
            5725767000000100001,Lee,ann@example.com,+1 206 555 0100,2024-01-01T00:00:00+00:00
            5725767000000100002,Lee,Ann@Example.com,+1 206 555 0100,2025-01-01T00:00:00+00:00
            5725767000000100003,Meyer,wei.meyer@example.net,,2024-02-01T00:00:00+00:00
            5725767000000100004,Hill,userl@example.com,,2024-03-01T00:00:00+00:00
            5725767000000100005,Gone,binned@example.com,,2024-04-01T00:00:00+00:00

            """)
        try replica.load("deleted.json", """
            {"data":[{"id":"5725767000000100005","type":"recycle","deleted_time":"2026-11-20T09:00:00+00:00",
              "deleted_by":{"name":"Admin","id":"1"},"display_name":"Gone","created_by":null}]}
            """, module: "Contacts")
        return replica
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// The `depends_on` settings of a `why --json` document or a `$replica` object.
    static func dependsOn(_ json: [String: Any]?) -> [String] {
        (json?["depends_on"] as? [[String: Any]] ?? []).compactMap { $0["setting"] as? String }
    }

    // MARK: Item 5: an invalid email is INVALID_DATA before any duplicate check

    /// With surrounding spaces the email is invalid under every setting; under match=unicode
    /// it is also a near miss of two contacts' email, which used to answer DUPLICATE_DATA first.
    @Test(arguments: ["nocase", "unicode"])
    func whyAnswersInvalidDataWhateverTheMatchSetting(match: String) throws {
        let replica = try Self.org()
        let run = try replica.run(["why", " ann@example.com ", "--set", "match=\(match)", "--json"])
        let json = try #require(run.json, "\(run.stderr)")
        let verdict = try #require(json["verdict"] as? [String: Any])
        #expect(verdict["code"] as? String == "INVALID_DATA", "\(run.stdout)")
        #expect(!Self.dependsOn(json).contains("match"), "the match setting cannot change a format error: \(run.stdout)")

        let text = try replica.run(["why", " ann@example.com ", "--set", "match=\(match)"])
        #expect(text.stdout.hasPrefix("INVALID_DATA"), "\(text.stdout)")
        #expect(!text.stdout.contains("with match="), "\(text.stdout)")
    }

    /// duplicate_check_fields ["Phone"]: the Phone is held by two contacts (multi_match=error
    /// would answer DUPLICATE_DATA), but the Email is invalid, and validation comes first.
    @Test(arguments: ["nocase", "unicode"])
    func replayWithAPhoneCheckPatternValidatesTheEmailFirst(match: String) throws {
        let replica = try Self.org()
        let batch = try replica.write("batch.json", """
            {"data":[{"Last_Name":"Lee","Email":" ann@example.com ","Phone":"+1 206 555 0100"},
                     {"Last_Name":"Lee","Email":"ann.example.com","Phone":"+1 206 555 0100"}],
             "duplicate_check_fields":["Phone"]}
            """)
        let run = try replica.run(["replay", batch, "--module", "Contacts", "--set", "match=\(match)", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let items = try #require(try Self.object(run.stdout)["data"] as? [[String: Any]])
        #expect(items.map { $0["code"] as? String } == ["INVALID_DATA", "INVALID_DATA"], "\(run.stdout)")
        for (row, item) in items.enumerated() {
            let details = try #require(item["details"] as? [String: Any])
            #expect(details["api_name"] as? String == "Email")
            #expect(details["json_path"] as? String == "$.data[\(row)].Email")
            #expect(details["expected_data_type"] as? String == "email")
        }

        let why = try replica.run(["why", " ann@example.com ", "--batch", batch, "--row", "0", "--set", "match=\(match)", "--json"])
        let json = try #require(why.json, "\(why.stderr)")
        #expect((json["verdict"] as? [String: Any])?["code"] as? String == "INVALID_DATA", "\(why.stdout)")
        #expect(Self.dependsOn(json).isEmpty, "no setting changes a format error: \(why.stdout)")
    }

    /// An upsert that finds no target still checks its mandatory fields, after the email.
    @Test func upsertInsertingChecksMandatoryFieldsAfterTheEmailFormat() throws {
        let replica = try Self.org()
        let batch = try replica.write("batch.json", """
            {"data":[{"Email":"new@example.com"},{"Email":"not an email"}],"duplicate_check_fields":["Email"]}
            """)
        let run = try replica.run(["replay", batch, "--module", "Contacts", "--json"])
        let items = try #require(try Self.object(run.stdout)["data"] as? [[String: Any]], "\(run.stderr)")
        #expect(items.map { $0["code"] as? String } == ["MANDATORY_NOT_FOUND", "INVALID_DATA"], "\(run.stdout)")
    }

    // MARK: Item 12: depends_on lists only settings that change the verdict

    /// Row 0 adds a contact whose email sits in the recycle bin (with recycle_bin_counts=true it
    /// fails and creates nothing); row 1 adds new@example.com; row 2 repeats it and updates the
    /// record row 1 created. With recycle_bin_counts=true row 2 still updates row 1's record, only
    /// under another id: not a change. batch_visibility=snapshot does change it (an insert).
    @Test func whyBatchListsNoSettingThatOnlyChangesACreatedRecordsID() throws {
        let replica = try Self.org()
        let batch = try replica.write("batch.json", """
            {"data":[{"Last_Name":"Gone","Email":"binned@example.com"},
                     {"Last_Name":"New","Email":"new@example.com"},
                     {"Last_Name":"New","Email":"new@example.com"}],
             "duplicate_check_fields":["Email"]}
            """)
        let run = try replica.run(["why", "new@example.com", "--batch", batch, "--row", "2", "--as-of", "2026-11-28", "--json"])
        let json = try #require(run.json, "\(run.stderr)")
        let verdict = try #require(json["verdict"] as? [String: Any])
        #expect(verdict["action"] as? String == "update")
        #expect(Self.dependsOn(json) == ["batch_visibility"], "\(run.stdout)")

        let text = try replica.run(["why", "new@example.com", "--batch", batch, "--row", "2", "--as-of", "2026-11-28"])
        #expect(!text.stdout.contains("with recycle_bin_counts=true"), "\(text.stdout)")

        // replay --explain tells the same story for the same row.
        let replay = try replica.run(["replay", batch, "--module", "Contacts", "--explain", "--json"])
        let items = try #require(try Self.object(replay.stdout)["data"] as? [[String: Any]], "\(replay.stderr)")
        #expect(Self.dependsOn(items[2]["$replica"] as? [String: Any]) == ["batch_visibility"], "\(replay.stdout)")
        // Row 0 itself does depend on the recycle bin: the answer changes, not just an id.
        #expect(Self.dependsOn(items[0]["$replica"] as? [String: Any]) == ["recycle_bin_counts"], "\(replay.stdout)")
    }

    // MARK: Item 15: Unicode look-alikes

    /// `wei.meyer@exаmple.net` with a Cyrillic а (U+0430).
    static let cyrillic = "wei.meyer@ex\u{0430}mple.net"

    @Test func whyReportsALookAlikeHolderAsConfusable() throws {
        let replica = try Self.org()
        let run = try replica.run(["why", Self.cyrillic, "--json"])
        let json = try #require(run.json, "\(run.stderr)")
        let matches = try #require(json["matches"] as? [[String: Any]])
        let holder = try #require(matches.first { $0["record_id"] as? String == "5725767000000100003" }, "\(run.stdout)")
        #expect(holder["match"] as? String == "confusable")
        #expect(holder["counts"] as? Bool == false)
        #expect((holder["why_not_counted"] as? String)?.hasSuffix("match is nocase") == true)
        #expect(Self.dependsOn(json) == ["match"], "\(run.stdout)")
        #expect((json["verdict"] as? [String: Any])?["code"] as? String == "SUCCESS")

        let text = try replica.run(["why", Self.cyrillic])
        #expect(text.stdout.contains("wei.meyer@example.net  confusable"), "\(text.stdout)")
        #expect(text.stdout.contains("U+0430 CYRILLIC SMALL LETTER A"), "\(text.stdout)")
        #expect(!text.stdout.contains("Nobody"), "\(text.stdout)")
    }

    /// match=unicode counts near misses, confusables too: the upsert updates the look-alike's holder.
    @Test func matchUnicodeCountsALookAlike() throws {
        let replica = try Self.org()
        let why = try #require(try replica.run(["why", Self.cyrillic, "--set", "match=unicode", "--json"]).json)
        let verdict = try #require(why["verdict"] as? [String: Any])
        #expect(verdict["action"] as? String == "update")
        #expect(verdict["record_id"] as? String == "5725767000000100003")

        let batch = try replica.write("batch.json", """
            {"data":[{"Last_Name":"Meyer","Email":"\(Self.cyrillic)"}],"duplicate_check_fields":["Email"]}
            """)
        for (match, action) in [("nocase", "insert"), ("unicode", "update")] {
            let run = try replica.run(["replay", batch, "--module", "Contacts", "--set", "match=\(match)", "--json"])
            let item = try #require((try Self.object(run.stdout)["data"] as? [[String: Any]])?.first, "\(run.stderr)")
            #expect(item["action"] as? String == action, "match=\(match): \(run.stdout)")
        }
    }

    /// The skeleton maps non-ASCII characters only: user1@ and userl@ are two addresses.
    @Test func asciiDigitsAndLettersAreNotLookAlikes() throws {
        let replica = try Self.org()
        let json = try #require(try replica.run(["why", "user1@example.com", "--set", "match=unicode", "--json"]).json)
        #expect((json["matches"] as? [Any])?.isEmpty == true)
    }

    /// The org plus a contact holding `ng@exаmple.org` (Cyrillic а), its key as schema 2 stored
    /// it: for a value that is already lower-case NFKC, no key at all.
    static func orgWithAnOutdatedLookAlikeKey() throws -> Workspace {
        let replica = try org()
        try replica.load("Contacts_more.csv", """
            id,Last_Name,Email,Created_Time
            5725767000000100009,Ng,ng@ex\u{0430}mple.org,2024-05-01T00:00:00+00:00

            """, module: "Contacts")
        try replica.sqlite("UPDATE contacts SET email_key = NULL WHERE id = '5725767000000100009'")
        return replica
    }

    /// A replica written by schema 2 stored the look-alike's key without the skeleton (for a
    /// lower-case value, no key at all). After the upgrade it still finds the look-alike.
    @Test func anOlderReplicaFindsTheLookAlikeAfterTheUpgrade() throws {
        let replica = try Self.orgWithAnOutdatedLookAlikeKey()
        try replica.sqlite("""
            DELETE FROM replica_state WHERE key = 'near_miss_keys_outdated';
            ALTER TABLE fields DROP COLUMN length;
            PRAGMA user_version = 2;
            """)
        let old = try replica.run(["why", "ng@example.org", "--json"])
        #expect(old.status == 2 && old.stderr.contains("uses schema 2"), "a read-only command asks for the upgrade first: \(old)")
        let upgrade = try replica.run(["settings"])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")

        let run = try replica.run(["why", "ng@example.org", "--json"])
        let json = try #require(run.json, "\(run.stderr)")
        let holder = (json["matches"] as? [[String: Any]])?.first { $0["record_id"] as? String == "5725767000000100009" }
        #expect(holder?["match"] as? String == "confusable", "\(run.stdout)")
        #expect(try replica.sqlite("SELECT email_key FROM contacts WHERE id = '5725767000000100009'") == "ng@example.org\n")
        #expect(try replica.sqlite("SELECT count(*) FROM replica_state WHERE key = 'near_miss_keys_outdated'") == "0\n")

        let batch = try replica.write("batch.json", #"{"data":[{"Last_Name":"Ng","Email":"ng@example.org"}]}"#)
        let replay = try replica.run(["replay", batch, "--module", "Contacts", "--set", "match=unicode", "--json"])
        let item = try #require((try Self.object(replay.stdout)["data"] as? [[String: Any]])?.first, "\(replay.stderr)")
        #expect((item["details"] as? [String: Any])?["id"] as? String == "5725767000000100009", "\(replay.stdout)")
    }

    /// A dry-run replay on an upgraded file whose keys were not yet recomputed finds the
    /// look-alike too: the store recomputes them when it opens the file for writing.
    @Test func aReplayRecomputesOutdatedKeysBeforeItLooksUp() throws {
        let replica = try Self.orgWithAnOutdatedLookAlikeKey()
        // Schema 3 with migration 003's note, as `crm-replica settings` leaves an upgraded file.
        try replica.sqlite("INSERT INTO replica_state (key, value) VALUES ('near_miss_keys_outdated', 1)")
        let batch = try replica.write("batch.json", #"{"data":[{"Last_Name":"Ng","Email":"ng@example.org"}]}"#)
        let replay = try replica.run(["replay", batch, "--module", "Contacts", "--set", "match=unicode", "--json"])
        let item = try #require((try Self.object(replay.stdout)["data"] as? [[String: Any]])?.first, "\(replay.stderr)")
        #expect(item["action"] as? String == "update", "\(replay.stdout)")
    }
}

private extension Workspace {
    /// Runs SQL on this workspace's database with the sqlite3 shell; its output.
    @discardableResult
    func sqlite(_ sql: String) throws -> String {
        let outcome = try CLI.execute(URL(fileURLWithPath: "/usr/bin/sqlite3"), [database, sql], in: directory)
        try #require(outcome.status == 0, "\(outcome.stderr)")
        return outcome.stdout
    }
}
