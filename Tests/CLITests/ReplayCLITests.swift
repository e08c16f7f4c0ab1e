import Foundation
import TestSupport
import Testing

/// `replay` through the built binary, as scripts call it.
@Suite("CLI: replay")
struct ReplayCLITests {
    /// A replica with two contacts that share an email in different case (plus a third),
    /// and Email unique (so it can be Bulk Write's find_by).
    static func replica() throws -> Workspace {
        let workspace = try Workspace()
        let contacts = try workspace.write("Contacts.csv", """
            Record Id,Last Name,Email,Created Time
            5725767000000100001,Lee,ann@example.com,2025-01-01T00:00:00+00:00
            5725767000000100002,Roe,Sam@Example.com,2024-01-01T00:00:00+00:00
            5725767000000100003,Poe,sam@example.com,2025-01-01T00:00:00+00:00

            """)
        let fields = try workspace.write("Contacts_fields.json", """
            {"fields":[{"api_name":"Last_Name","field_label":"Last Name","data_type":"text","system_mandatory":true,"unique":{}},
             {"api_name":"Email","field_label":"Email","data_type":"email","system_mandatory":false,"unique":{"case_sensitive":false}}]}
            """)
        let load = try workspace.run(["load", contacts, fields, "--module", "Contacts"])
        try #require(load.status == 0, "\(load.stderr)")
        return workspace
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    static let log = """
        {"method":"POST","path":"/crm/v2/Contacts/upsert","body":{"data":[{"Last_Name":"A","Email":"new@example.com"},{"Last_Name":"B","Email":"SAM@example.com"}],"duplicate_check_fields":["Email"]}}
        {"method":"GET","path":"/crm/v2/Contacts?fields=Email"}
        {"method":"DELETE","path":"/crm/v2/Contacts?ids=5725767000000100001"}

        """

    @Test func jsonPrintsOneZohoEnvelopePerRequest() throws {
        let workspace = try Self.replica()
        let path = try workspace.write("requests.ndjson", Self.log)
        let outcome = try workspace.run(["replay", path, "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.lines.count == 3)
        #expect(outcome.lines[1].hasPrefix(#"{"$replica":{"skipped":"GET /crm/v2/Contacts"#))
        #expect(outcome.lines[2] == #"{"data":[{"code":"SUCCESS","details":{"id":"5725767000000100001"},"message":"record deleted","status":"success"}]}"#)
        let upsert = try Self.object(outcome.lines[0])
        #expect(Array(upsert.keys) == ["data"])
        let items = try #require(upsert["data"] as? [[String: Any]])
        #expect(items.map { $0["code"] as? String } == ["SUCCESS", "DUPLICATE_DATA"])
        #expect(Set(items[0].keys) == ["code", "duplicate_field", "action", "details", "message", "status"])
        let duplicate = try #require((items[1]["details"] as? [String: Any])?["duplicate_record"] as? [String: Any])
        #expect(duplicate["id"] as? String == "5725767000000100002")
    }

    @Test func explainAddsTheReplicaEvidenceToEachItem() throws {
        let workspace = try Self.replica()
        let path = try workspace.write("batch.json", #"{"data":[{"Last_Name":"B","Email":"SAM@example.com","Campaign_ID":"5725767000002000001"}],"duplicate_check_fields":["Email"]}"#)
        let outcome = try workspace.run(["replay", path, "--module", "Contacts", "--json", "--explain", "--set", "multi_match=error"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let item = try #require((try Self.object(outcome.stdout))["data"] as? [[String: Any]]).first
        let replica = try #require(item?["$replica"] as? [String: Any])
        #expect(Set(replica.keys) == ["settings", "check_pattern", "candidates", "reason", "notes", "depends_on"])
        #expect((replica["settings"] as? [String: Any])?["multi_match"] as? String == "error")
        #expect(replica["check_pattern"] as? [String] == ["Email"])
        #expect((replica["candidates"] as? [[String: Any]])?.count == 2)
        #expect((replica["notes"] as? [String])?.first?.contains("creates no campaign membership") == true)
        #expect((replica["depends_on"] as? [[String: Any]])?.first?["setting"] as? String == "multi_match")
    }

    @Test func compareExitsOneWhenAnswersDifferAndZeroWhenTheyMatch() throws {
        let workspace = try Self.replica()
        let path = try workspace.write("requests.ndjson", Self.log)
        let ok = #"{"data":[{"code":"SUCCESS","action":"insert","duplicate_field":null,"details":{"id":"1"},"message":"record added"},{"code":"DUPLICATE_DATA","details":{"api_name":"Email","duplicate_record":{"id":"5725767000000100002"}}}]}"#
        let deleted = #"{"data":[{"code":"SUCCESS","details":{"id":"5725767000000100001"},"message":"record deleted"}]}"#
        let same = try workspace.write("real.ndjson", [ok, "{}", deleted].joined(separator: "\n"))
        let matching = try workspace.run(["replay", path, "--compare", same])
        #expect(matching.status == 0, "\(matching.stdout)\(matching.stderr)")
        #expect(matching.stdout.contains("Compared 2 requests with the real answers: no differences."))

        let differs = try workspace.write("real.json", "[\(ok.replacingOccurrences(of: "100002", with: "100003")), {}, \(deleted)]")
        let different = try workspace.run(["replay", path, "--json", "--compare=\(differs)"])
        #expect(different.status == 1)
        let compare = try #require((try Self.object(different.lines[0]))["compare"] as? [[String: Any]])
        #expect(compare.map { $0["field"] as? String } == ["record_id"])

        let recorded = try workspace.write("recorded.ndjson", """
            {"method":"POST","path":"/crm/v2/Contacts","body":{"data":[{"Last_Name":"A"}]},"status":400,"response":{"data":[{"code":"MANDATORY_NOT_FOUND"}]}}
            """)
        #expect(try workspace.run(["replay", recorded]).status == 1)
        #expect(try workspace.run(["replay", recorded, "--compare", "--quiet"]).status == 1)
    }

    @Test func malformedInputExitsTwoNamingThePathAndWritesNothing() throws {
        let workspace = try Self.replica()
        let before = try workspace.dump()
        let payload = try workspace.write("batch.json", #"{"data":[{"Last_Name":"A"},"x"]}"#)
        let outcome = try workspace.run(["replay", payload, "--module", "Contacts", "--commit"])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("\(payload): $.data[1]: expected a record object"))
        let syntax = try workspace.write("broken.json", "{\"data\":[\n{\"Last_Name\":}]}")
        let broken = try workspace.run(["replay", syntax, "--module", "Contacts", "--commit"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("\(syntax): line 2, column 14: malformed JSON"))
        #expect(try workspace.run(["replay", payload, "--module", "Accounts"]).status == 2)
        #expect(try workspace.run(["replay", payload, "--module", "Contacts", "--set", "match=maybe"]).stderr.contains("nocase, unicode"))
        #expect(try workspace.dump() == before)
    }

    @Test func csvWritesTheBulkWriteResultFile() throws {
        let workspace = try Self.replica()
        let input = try workspace.write("contacts.csv", "Last_Name,Email,Colour\nLee,ANN@example.com,red\nNew,new@example.com,\n,x@example.com,blue\n")
        let result = workspace.directory.appendingPathComponent("result.csv").path
        let outcome = try workspace.run(["replay", input, "--module", "Contacts", "--operation", "upsert", "--find-by", "Email",
                                         "--ignore-empty", "--csv", result])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("The column `Colour` is not a field of Contacts"))
        #expect(try String(contentsOfFile: result, encoding: .utf8) == """
            Last_Name,Email,Colour,STATUS,RECORD_ID,ERRORS\r
            Lee,ANN@example.com,red,UPDATED,5725767000000100001,\r
            New,new@example.com,,ADDED,5725767000000100004,\r
            ,x@example.com,blue,SKIPPED,,MANDATORY_NOT_FOUND-Last_Name\r

            """)
        let invalid = try workspace.run(["replay", input, "--module", "Contacts", "--find-by", "Last_Name"])
        #expect(invalid.status == 2)
        #expect(invalid.stderr.contains("--find-by `Last_Name`"))
    }

    @Test func dryRunLeavesTheDatabaseUnchangedAndCommitKeepsTheWrites() throws {
        let workspace = try Self.replica()
        let path = try workspace.write("requests.ndjson", Self.log)
        let before = try workspace.dump()
        let dry = try workspace.run(["replay", path])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("Dry run: the replica is unchanged"))
        #expect(dry.stdout.contains("$.data[1]: DUPLICATE_DATA on Email."))
        #expect(try workspace.dump() == before)

        let committed = try workspace.run(["replay", path, "--commit"])
        #expect(committed.status == 0, "\(committed.stderr)")
        let after = try workspace.dump()
        #expect(after != before)
        #expect(after.contains("INSERT INTO import_log VALUES(3,'replay',"))
    }

    /// `--timing` reports the phases on stderr and changes nothing on stdout.
    @Test func timingGoesToStderrOnly() throws {
        let workspace = try Self.replica()
        let path = try workspace.write("requests.ndjson", Self.log)
        let plain = try workspace.run(["replay", path])
        let timed = try workspace.run(["replay", path, "--timing"])
        #expect(timed.status == 0, "\(timed.stderr)")
        #expect(timed.stdout == plain.stdout)
        #expect(timed.stderr.contains("timing: read "))
        #expect(timed.stderr.contains("replay 3 items "))
        #expect(timed.stderr.contains("lookups read ahead"))
        #expect(!plain.stderr.contains("timing:"))
    }
}

private extension Workspace {
    /// The database as SQL text, the way `sqlite3 DB .dump` prints it.
    func dump() throws -> String {
        let outcome = try CLI.execute(URL(fileURLWithPath: "/usr/bin/sqlite3"), [database, ".dump"], in: directory)
        try #require(outcome.status == 0, "\(outcome.stderr)")
        return outcome.stdout
    }
}
