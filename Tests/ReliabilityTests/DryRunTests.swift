import Foundation
import Persistence
import TestSupport
import Testing

/// `replay` without `--commit` (and `why --batch`) is a dry run: through the real binary, with
/// a request log that touches every kind of table, the dump of every table is identical before
/// and after, and the dry run predicts exactly what `--commit` then does.
@Suite("Dry run: the database is unchanged, and the prediction is what --commit does")
struct DryRunTests {
    /// Upserts (an update and an insert), a Leads insert, a delete and its restore, a campaign
    /// membership added and one removed, an update by id, a delete by id, an insert with a
    /// failing item, and a GET (skipped).
    static let mixedLog = """
        {"method":"POST","path":"/crm/v8/Contacts/upsert","body":{"data":[{"Last_Name":"Lee","Email":"ANN@example.com","Title":"CEO"},{"Last_Name":"New","Email":"new@example.com"}],"duplicate_check_fields":["Email"]}}
        {"method":"POST","path":"/crm/v2/Leads","body":{"data":[{"Last_Name":"Lead","Company":"Acme","Email":"lead@example.com"}]}}
        {"method":"DELETE","path":"/crm/v8/Contacts?ids=5725767000000524158"}
        {"method":"POST","path":"/crm/v8/settings/recycle_bin/actions/restore?ids=5725767000000524158"}
        {"method":"PUT","path":"/crm/v8/Campaigns/5725767000002000001/Contacts","body":{"data":[{"id":"5725767000000524159","Member_Status":"Sent"}]}}
        {"method":"DELETE","path":"/crm/v8/Campaigns/5725767000002000001/Contacts/5725767000000524157"}
        {"method":"PUT","path":"/crm/v8/Contacts/5725767000000524159","body":{"data":[{"Email":"cy.doe@example.com"}]}}
        {"method":"DELETE","path":"/crm/v8/Contacts/5725767000000524157"}
        {"method":"POST","path":"/crm/v8/Contacts","body":{"data":[{"Last_Name":"Dup","Email":"bob@example.com"},{"Email":"no-last-name@example.com"}]}}
        {"method":"GET","path":"/crm/v8/Contacts?page=1"}

        """

    /// What each `--json` line says, without the timestamps that differ from run to run.
    static func answers(_ outcome: CommandResult) -> [String] {
        outcome.stdout.split(separator: "\n").map { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let items = object["data"] as? [[String: Any]] else { return String(line.prefix(60)) }
            return items.map { item in
                let details = item["details"] as? [String: Any]
                return [item["code"], item["action"], item["message"], details?["id"], details?["api_name"]]
                    .map { ($0 as? String) ?? "-" }.joined(separator: "/")
            }.joined(separator: " ")
        }
    }

    @Test func aMixedRequestLogDryRunChangesNothingAndPredictsTheCommit() throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        let log = try workspace.write("mixed.ndjson", Self.mixedLog)
        let before = try DatabaseDump(path: workspace.database)

        let human = try workspace.run(["replay", log])
        #expect(human.status == 0 && human.stdout.contains("Dry run"), "\(human)")
        try expectUnchanged(workspace.database, since: before, "replay (human output)")
        let dry = try workspace.run(["replay", log, "--json", "--explain"])
        #expect(dry.status == 0, "\(dry)")
        try expectUnchanged(workspace.database, since: before, "replay --json --explain")
        let predicted = Self.answers(dry)
        #expect(predicted.count == 10, "\(dry)")
        #expect(predicted.first == "SUCCESS/update/record updated/5725767000000524157/- SUCCESS/insert/record added/5725767000002000002/-",
                "\(predicted)")
        #expect(predicted.contains { $0.contains("MANDATORY_NOT_FOUND") }, "the log has a failure too: \(predicted)")

        // The same replay, committed, answers exactly as predicted, and writes.
        let committed = try workspace.run(["replay", log, "--json", "--commit"])
        #expect(committed.status == 0, "\(committed)")
        #expect(Self.answers(committed) == predicted)
        let after = try DatabaseDump(path: workspace.database)
        #expect(after != before)
        #expect(after.count("contacts") == 4, "two added, one deleted: \(after)")
        #expect(after.count("leads") == 2)
        #expect(after.count("recycle_bin") == 2, "5725767000000524157 is in the bin, Bob was restored")
        #expect(after.tables["campaign_members"]?.contains { $0.contains("5725767000000524159") } == true)
        #expect(after.tables["campaign_members"]?.contains { $0.contains("'5725767000000524157'") } != true)
        #expect(after.tables["import_log"]?.contains { $0.hasPrefix("\(after.count("import_log"))|'replay'") } == true, "\(after.tables["import_log"] ?? [])")

        // A dry run on the changed replica changes nothing either.
        let again = try workspace.run(["replay", log, "--json"])
        #expect(again.status == 0, "\(again)")
        try expectUnchanged(workspace.database, since: after, "a second dry run")
    }

    @Test func everyDryRunInputFormatLeavesTheDatabaseUnchanged() throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        let payload = try workspace.write("batch.json", """
            {"data":[{"Last_Name":"Lee","Email":"ann@example.com"},{"Last_Name":"Ng","Email":"ng@example.com"},{"Last_Name":"Ng2","Email":"NG@example.com"}],"duplicate_check_fields":["Email"]}
            """)
        let har = try workspace.write("capture.har", """
            {"log":{"version":"1.2","entries":[
             {"request":{"method":"POST","url":"https://www.zohoapis.eu/crm/v2.1/Contacts/upsert","postData":{"text":"{\\"data\\":[{\\"Last_Name\\":\\"A\\",\\"Email\\":\\"a@example.com\\"}]}"}},
              "response":{"status":201,"content":{"text":"{\\"data\\":[{\\"code\\":\\"SUCCESS\\",\\"action\\":\\"insert\\",\\"duplicate_field\\":null}]}"}}},
             {"request":{"method":"DELETE","url":"https://www.zohoapis.eu/crm/v2.1/Contacts?ids=5725767000000524158"},"response":{"status":200,"content":{"text":""}}}
            ]}}
            """)
        let bulk = try workspace.write("bulk.csv", "id,Last_Name,Email\n5725767000000524157,Lee2,ann2@example.com\n5725767000000999999,Gone,x@example.com\n")
        let result = workspace.path("result.csv")
        let before = try DatabaseDump(path: workspace.database)
        for command in [
            ["replay", payload, "--module", "Contacts"], ["replay", payload, "--module", "Contacts", "--operation", "insert", "--json"],
            ["replay", payload, "--endpoint", "POST /crm/v2/Contacts/upsert", "--set", "batch_visibility=snapshot", "--explain", "--json"],
            ["replay", har], ["replay", har, "--json"],
            ["replay", bulk, "--module", "Contacts", "--operation", "update", "--find-by", "id", "--csv", result],
            ["replay", payload, "--module", "Contacts", "--as-of", "2026-11-28"],
            ["why", "ng@example.com", "--batch", payload, "--row", "2", "--json"],
            ["why", "ann@example.com", "--set", "recycle_bin_counts=true"],
        ] {
            let outcome = try workspace.run(command)
            #expect(!outcome.signalled && (outcome.status == 0 || outcome.status == 1), "\(command): \(outcome)")
            try expectUnchanged(workspace.database, since: before, "\(command)")
        }
        #expect(FileManager.default.fileExists(atPath: result), "the result file of the Bulk Write dry run")
    }
}

/// The two `Database` calls behind a dry run beside a running writer (`openForDryRun` in the
/// CLI): asking whether another connection holds the write lock, without waiting; and a
/// writable in-memory copy of the last committed state.
@Suite("Dry run beside a writer: the committed state, in memory")
struct DryRunCopyTests {
    @Test func theCopyHoldsTheCommittedStateAndWritesToItStayInMemory() throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        let before = try DatabaseDump(path: workspace.database)
        let writer = try Database(path: workspace.database)
        let reader = try Database(path: workspace.database)
        #expect(try reader.isWriteLocked() == false)

        try writer.execute("BEGIN IMMEDIATE")
        try writer.execute("DELETE FROM contacts")   // uncommitted
        #expect(try reader.isWriteLocked() == true)
        let copy = try Database(path: workspace.database, mode: .readOnly).memoryCopy()
        #expect(try copy.scalarInt("SELECT count(*) FROM contacts") == 3, "the copy shows uncommitted writes")
        #expect(try copy.schemaVersion == Database.latestSchemaVersion)
        try copy.dryRun { try copy.execute("DELETE FROM leads") }
        try copy.execute("DELETE FROM campaigns")
        #expect(try copy.scalarInt("SELECT count(*) FROM campaigns") == 0)
        try writer.execute("ROLLBACK")
        #expect(try reader.isWriteLocked() == false)
        try expectUnchanged(workspace.database, since: before, "writes to the in-memory copy")
    }
}
