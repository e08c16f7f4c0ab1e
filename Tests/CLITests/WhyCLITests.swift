import Foundation
import TestSupport
import Testing

/// `why` through the built binary, on an org the test loads with `crm-replica load`.
@Suite("CLI: why")
struct WhyCLITests {
    /// Two contacts holding one email in different case, a Lead, a recycle-bin row, and a
    /// contact whose email hides a zero-width space.
    static func org() throws -> Workspace {
        let replica = try Workspace()
        try replica.load("Contacts.csv", """
            id,Last_Name,Email,Created_Time
            5725767000000100001,Lee,ann@example.com,2025-01-01T00:00:00+00:00
            5725767000000100002,Lee,Ann@Example.COM,2024-01-01T00:00:00+00:00
            5725767000000100003,Fay,fay\u{200B}@example.com,2024-01-01T00:00:00+00:00
            5725767000000100004,Gone,gone@example.com,2024-01-01T00:00:00+00:00

            """)
        try replica.load("Leads.csv", "id,Last_Name,Email\n5725767000000200001,Kim,kim@example.com\n")
        try replica.load("deleted.json", """
            {"data":[{"id":"5725767000000100004","type":"recycle","deleted_time":"2026-11-20T09:00:00+00:00",
              "deleted_by":{"name":"Admin","id":"1"},"display_name":"Gone","created_by":null}]}
            """, module: "Contacts")
        return replica
    }

    @Test func jsonHasExactlyTheContractKeysInOrder() throws {
        let replica = try Self.org()
        let run = try replica.why("ann@example.com", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(run.json)

        let contract = ["value", "module", "operation", "settings", "check_pattern", "verdict", "matches", "depends_on", "advice"]
        #expect(Set(json.keys) == Set(contract + ["field", "field_checked", "notes"]))
        let positions = contract.compactMap { run.stdout.range(of: "\"\($0)\":")?.lowerBound }
        #expect(positions.count == contract.count && positions == positions.sorted())
        #expect(run.stdout.split(separator: "\n").count == 1)

        let verdict = try #require(json["verdict"] as? [String: Any])
        #expect(Set(["code", "action", "duplicate_field", "record_id", "reason"]).isSubset(of: verdict.keys))
        #expect(verdict["code"] as? String == "DUPLICATE_DATA")
        #expect(verdict["record_id"] as? String == "5725767000000100002")
        let matches = try #require(json["matches"] as? [[String: Any]])
        #expect(matches.compactMap { $0["match"] as? String }.sorted() == ["case", "exact"])
        #expect(matches.allSatisfy { Set(["module", "location", "record_id", "field", "stored_value", "match", "counts"]).isSubset(of: $0.keys) })
        #expect((json["advice"] as? [String])?.first?.hasPrefix("Merge or delete one of the 2 Contacts") == true)
    }

    @Test func recycleBinHolderDependsOnTheSetting() throws {
        let replica = try Self.org()
        let run = try replica.why("gone@example.com", "--json", "--as-of", "2026-11-28")
        let json = try #require(run.json, "\(run.stderr)")
        let match = try #require((json["matches"] as? [[String: Any]])?.first)
        #expect(match["location"] as? String == "recycle_bin")
        #expect(match["deleted_time"] as? String == "2026-11-20T09:00:00+00:00")
        #expect(match["why_not_counted"] as? String == "in the recycle bin, and recycle_bin_counts is false")
        let dependency = try #require((json["depends_on"] as? [[String: Any]])?.first)
        #expect(dependency["setting"] as? String == "recycle_bin_counts")
        #expect(run.stdout.contains(#""other_value":true"#))
        #expect((dependency["verdict_then"] as? [String: Any])?["code"] as? String == "DUPLICATE_DATA")

        let later = try #require(try replica.why("gone@example.com", "--json", "--as-of", "2027-03-01").json)
        #expect(((later["matches"] as? [[String: Any]])?.first?["why_not_counted"] as? String)?.hasPrefix("purged") == true)
        #expect((later["depends_on"] as? [Any])?.isEmpty == true)
    }

    @Test func setOverridesASettingForThisQuestion() throws {
        let replica = try Self.org()
        let json = try #require(try replica.why("gone@example.com", "--json", "--set", "recycle_bin_counts=true", "--as-of", "2026-11-28").json)
        #expect((json["verdict"] as? [String: Any])?["code"] as? String == "DUPLICATE_DATA")
        #expect((json["settings"] as? [String: Any])?["recycle_bin_counts"] as? Bool == true)
    }

    @Test func humanStoryEscapesInvisiblesWithoutColourWhenPiped() throws {
        let replica = try Self.org()
        let run = try replica.why("fay@example.com")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("SUCCESS: A Contacts upsert of Email `fay@example.com` adds a new Contact."))
        #expect(run.stdout.contains("fay\\u200B@example.com  invisible"))
        #expect(run.stdout.contains("zero-width space (U+200B)"))
        #expect(!run.stdout.contains("\u{1B}["))
    }

    @Test func leadHolderIsShownForAContactsQuestion() throws {
        let replica = try Self.org()
        let run = try replica.why("kim@example.com")
        let row = run.stdout.split(separator: "\n").first { $0.contains("5725767000000200001") }
        #expect(row?.split(separator: " ").prefix(2) == ["Leads", "live"])
        #expect(run.stdout.contains("no: a Lead; a Contacts upsert does not check Leads"))
    }

    @Test func showSQLPrintsTheNocaseLookupAndItsValue() throws {
        let replica = try Self.org()
        let text = try replica.why("ANN@example.com", "--show-sql")
        #expect(text.stdout.contains("FROM contacts WHERE Email = ? COLLATE NOCASE"))
        #expect(text.stdout.contains("bound: 'ANN@example.com'"))

        let json = try #require(try replica.why("ANN@example.com", "--show-sql", "--json").json)
        let sql = try #require(json["sql"] as? [[String: Any]])
        #expect(sql.contains { ($0["sql"] as? String)?.contains("COLLATE NOCASE") == true
                && ($0["arguments"] as? [String])?.contains("ANN@example.com") == true })
    }

    @Test func batchRowSeesTheRowsBeforeIt() throws {
        let replica = try Self.org()
        let batch = try replica.write("batch.json", """
            {"data":[{"Last_Name":"New","Email":"new@example.com"},{"Last_Name":"New","Email":"New@Example.com"}],
             "duplicate_check_fields":["Email"]}
            """)
        let before = try replica.run(["stats", "--json"]).stdout
        let run = try replica.why("New@Example.com", "--batch", batch, "--row", "1", "--json")
        let json = try #require(run.json, "\(run.stderr)")
        let match = try #require((json["matches"] as? [[String: Any]])?.first)
        #expect(match["location"] as? String == "batch")
        #expect(match["row"] as? Int == 0)
        #expect((json["verdict"] as? [String: Any])?["action"] as? String == "update")
        #expect(try replica.run(["stats", "--json"]).stdout == before)
    }

    @Test(arguments: [
        (["", "--json"], "the value is empty"),
        (["a@example.com", "--module", "Deals"], "unknown module `Deals`"),
        (["a@example.com", "--field", "Email; DROP TABLE contacts"], "is not a field of Contacts"),
        (["a@example.com", "--set", "recycle_bin_counts=maybe"], "'maybe' is not a value of recycle_bin_counts"),
        (["a@example.com", "--operation", "update"], "why explains upsert or insert"),
        (["a@example.com", "--row", "1"], "--batch and --row go together"),
    ])
    func badInputExitsTwo(_ arguments: [String], _ message: String) throws {
        let replica = try Self.org()
        let run = try replica.run(["why"] + arguments)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains(message), "\(run.stderr)")
    }

    @Test func rowOutsideTheBatchExitsTwo() throws {
        let replica = try Self.org()
        let batch = try replica.write("batch.json", #"{"data":[{"Email":"a@example.com"}]}"#)
        let run = try replica.why("a@example.com", "--batch", batch, "--row", "5")
        #expect(run.status == 2)
        #expect(run.stderr.contains("--row 5 is outside the batch"))
    }

    @Test func missingDatabaseIsNotCreated() throws {
        let replica = try Workspace()
        let run = try replica.why("a@example.com")
        #expect(run.status == 2)
        #expect(run.stderr.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: replica.database))
    }
}

private extension Workspace {
    /// Runs `crm-replica why ARGUMENTS` on this workspace's database.
    func why(_ arguments: String...) throws -> CommandResult { try run(["why"] + arguments) }
}
