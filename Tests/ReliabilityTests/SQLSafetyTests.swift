import Foundation
import TestSupport
import Testing

/// Names that would do damage if they were ever pasted into SQL.
let dropTable = #"Email"); DROP TABLE contacts; --"#
let alwaysTrue = "x' OR '1'='1"
let hostileNames = [dropTable, alwaysTrue, "Email` = 1; DELETE FROM contacts; --", "]; DROP TABLE leads; --"]

/// Field names from every place a user controls them (CSV headers, JSON keys, field metadata,
/// `duplicate_check_fields`, `--find-by`, `why --field`, ids in request paths) are stored as
/// data, ignored, or rejected with exit 2; never executed: the schema stays, and no row goes
/// that should not.
@Suite("SQL safety: hostile field names are data, never SQL")
struct SQLSafetyTests {
    /// An org loaded, and its dump to compare against.
    final class Org {
        let workspace: Workspace
        let before: DatabaseDump

        init() throws {
            workspace = try Workspace()
            try SmallOrg.load(into: workspace)
            before = try DatabaseDump(path: workspace.database)
        }

        /// The schema is as it was, every table still there, the file sound, and `contacts`
        /// (and `leads`) hold the rows they held plus `added`.
        func expectIntact(addedContacts: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) throws {
            let after = try DatabaseDump(path: workspace.database)
            #expect(after.schema == before.schema, "the schema changed", sourceLocation: sourceLocation)
            #expect(after.count("contacts") == before.count("contacts") + addedContacts, sourceLocation: sourceLocation)
            #expect(after.count("leads") == before.count("leads"), sourceLocation: sourceLocation)
            #expect(after.count("recycle_bin") == before.count("recycle_bin"), sourceLocation: sourceLocation)
            #expect(try integrityCheck(workspace.database) == "ok", sourceLocation: sourceLocation)
        }

        func record(_ id: String) throws -> [String: Any]? {
            let shown = try workspace.succeed(["show", id, "--json"])
            return shown.json?["record"] as? [String: Any]
        }
    }

    @Test func csvHeadersBecomeFieldNamesAndLabelsAsData() throws {
        let org = try Org()
        let quoted = hostileNames.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let path = try org.workspace.write("Contacts.csv", "Record Id,Last Name," + quoted.joined(separator: ",") + "\n"
                                           + "5725767000000524170,Ng,v0,v1,v2,v3\n")
        try org.workspace.succeed(["load", path])
        try org.expectIntact(addedContacts: 1)
        let record = try #require(try org.record("5725767000000524170"))
        // Each hostile header became a field of letters, digits and underscores, holding its value.
        let values = Set(record.filter { $0.key != "id" && $0.key != "Last_Name" }.compactMap { $0.value as? String })
        #expect(values == ["v0", "v1", "v2", "v3"], "\(record)")
        for key in record.keys { #expect(key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }, "\(key)") }
        // The labels are kept verbatim in the catalogue, as bound values.
        let fields = try DatabaseDump(path: org.workspace.database).tables["fields"] ?? []
        for name in hostileNames {
            let stored = SQLValueText.quoted(name)
            #expect(fields.contains { $0.contains(stored) }, "label \(name) not stored verbatim: \(fields)")
        }
    }

    @Test func jsonKeysAreStoredVerbatim() throws {
        let org = try Org()
        var object: [String: String] = ["id": "5725767000000524171", "Last_Name": "Ng"]
        for (index, name) in hostileNames.enumerated() { object[name] = "v\(index)" }
        let data = try JSONSerialization.data(withJSONObject: ["data": [object]])
        let page = try org.workspace.write("Contacts.json", bytes: Array(data))
        let line = try JSONSerialization.data(withJSONObject: object.merging(["id": "5725767000000524172"]) { $1 })
        let ndjson = try org.workspace.write("Contacts.ndjson", bytes: Array(line) + [0x0A])
        try org.workspace.succeed(["load", page, ndjson])
        try org.expectIntact(addedContacts: 2)
        for id in ["5725767000000524171", "5725767000000524172"] {
            let record = try #require(try org.record(id))
            for (index, name) in hostileNames.enumerated() { #expect(record[name] as? String == "v\(index)", "\(name) in \(record)") }
        }
    }

    @Test func fieldMetadataWithAHostileAPINameIsRejected() throws {
        let org = try Org()
        for name in hostileNames {
            let data = try JSONSerialization.data(withJSONObject: ["fields": [
                ["api_name": "Email", "field_label": "Email", "data_type": "email"],
                ["api_name": name, "field_label": "Hostile", "data_type": "text", "unique": ["casesensitive": "false"]],
            ]])
            let path = try org.workspace.write("Contacts_fields.json", bytes: Array(data))
            let outcome = try org.workspace.run(["load", path])
            try expectRejected(outcome, path: path, location: "$.fields[1].api_name")
            try expectUnchanged(org.workspace.database, since: org.before, "fields with api_name \(name)")
        }
        // A hostile label with a valid API name is a label: stored as data.
        let data = try JSONSerialization.data(withJSONObject: ["fields": [["api_name": "Loyalty_Tier", "field_label": dropTable, "data_type": "text"]]])
        let labels = try org.workspace.write("Contacts_fields.json", bytes: Array(data))
        try org.workspace.succeed(["load", labels])
        try org.expectIntact()
        #expect((try DatabaseDump(path: org.workspace.database).tables["fields"] ?? []).contains { $0.contains(SQLValueText.quoted(dropTable)) })
    }

    @Test func duplicateCheckFieldsAreIgnoredOrRejectedNeverRun() throws {
        let org = try Org()
        let body = try JSONSerialization.data(withJSONObject: [
            "data": [["Last_Name": "Ng", "Email": "ann@example.com"], ["Last_Name": "Ox", "Email": "new@example.com"]],
            "duplicate_check_fields": hostileNames + ["Email"],
        ])
        let batch = try org.workspace.write("batch.json", bytes: Array(body))
        let dry = try org.workspace.run(["replay", batch, "--module", "Contacts", "--json", "--explain"])
        #expect(!dry.signalled && (dry.status == 0 || dry.status == 2), "\(dry)")
        try expectUnchanged(org.workspace.database, since: org.before, "dry run with hostile duplicate_check_fields")
        let committed = try org.workspace.run(["replay", batch, "--module", "Contacts", "--commit", "--json"])
        #expect(!committed.signalled && (committed.status == 0 || committed.status == 2), "\(committed)")
        if committed.status == 0 {
            // Email still decides: ann@ updates Ann, new@ is added. Nothing else happened.
            #expect(committed.stdout.contains(#""action":"update""#) && committed.stdout.contains(#""action":"insert""#), "\(committed)")
            try org.expectIntact(addedContacts: 1)
        } else {
            try expectRejected(committed, path: batch, location: "$.duplicate_check_fields")
            try expectUnchanged(org.workspace.database, since: org.before, "rejected hostile duplicate_check_fields")
        }
        // why takes the same list on its command line.
        let why = try org.workspace.run(["why", "ann@example.com", "--duplicate-check-fields", hostileNames.joined(separator: ","), "--json"])
        #expect(!why.signalled && (why.status == 0 || why.status == 2), "\(why)")
        try org.expectIntact(addedContacts: committed.status == 0 ? 1 : 0)
    }

    @Test func findByIsCheckedAgainstTheCatalogue() throws {
        let org = try Org()
        let csv = try org.workspace.write("bulk.csv", "Email,Last_Name\nann@example.com,Lee\n")
        for name in hostileNames {
            let outcome = try org.workspace.run(["replay", csv, "--module", "Contacts", "--operation", "update", "--find-by", name, "--commit"])
            #expect(!outcome.signalled && outcome.status == 2, "\(outcome)")
            #expect(outcome.stderr.contains("--find-by"), "\(outcome)")
            try expectUnchanged(org.workspace.database, since: org.before, "--find-by \(name)")
        }
    }

    @Test func whyFieldAndValueAreLookedUpAsData() throws {
        let org = try Org()
        for name in hostileNames {
            // Not a field of the catalogue: refused.
            let unknown = try org.workspace.run(["why", "ann@example.com", "--field", name])
            #expect(!unknown.signalled && unknown.status == 2, "\(unknown)")
            #expect(unknown.stderr.contains(name) || unknown.stderr.contains("field"), "\(unknown)")
            // As a value: looked up, found nowhere.
            let value = try org.workspace.run(["why", name, "--json", "--show-sql"])
            #expect(!value.signalled && value.status == 0, "\(value)")
            #expect((value.json?["matches"] as? [Any])?.isEmpty == true, "\(value)")
        }
        try expectUnchanged(org.workspace.database, since: org.before, "why with hostile fields and values")

        // Once a header made them fields, `why --field` looks them up by their label, as data.
        let quoted = hostileNames.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let path = try org.workspace.write("Contacts.csv", "Record Id,Last Name," + quoted.joined(separator: ",") + "\n"
                                           + "5725767000000524170,Ng,a,b,c,d\n")
        try org.workspace.succeed(["load", path])
        for name in hostileNames {
            let outcome = try org.workspace.run(["why", "a", "--field", name, "--json"])
            #expect(!outcome.signalled && outcome.status == 0, "\(outcome)")
        }
        try org.expectIntact(addedContacts: 1)
    }

    @Test func idsModulesAndSettingsFromTheCommandLineAreChecked() throws {
        let org = try Org()
        let csv = try org.workspace.write("Contacts_x.csv", "Record Id,Last Name\n5725767000000524175,Ng\n")
        let batch = try org.workspace.write("batch.json", #"{"data":[{"Last_Name":"Ng"}]}"#)
        let related = try org.workspace.write("Contacts_related.json", #"{"data":[{"id":"5725767000000524157","Member_Status":"Sent"}]}"#)
        for name in hostileNames {
            for command in [["show", name], ["settings", name], ["settings", "recycle_bin_counts", name], ["load", csv, "--module", name],
                            ["replay", batch, "--module", name, "--commit"], ["why", "a@b.c", "--module", name],
                            ["replay", batch, "--endpoint", "POST /crm/v8/\(name)", "--commit"], ["load", related, "--campaign", name]] {
                let outcome = try org.workspace.run(command)
                #expect(!outcome.signalled && outcome.status == 2, "\(command): \(outcome)")
            }
        }
        try expectUnchanged(org.workspace.database, since: org.before, "hostile ids, modules and settings")
    }

    /// Ids and module names inside request paths: `ids=x' OR '1'='1` must not delete every
    /// contact; a module named by SQL is a request the replica does not model.
    @Test func requestPathsCannotDeleteOrReachOtherTables() throws {
        let org = try Org()
        let lines = [
            #"{"method":"DELETE","path":"/crm/v8/Contacts?ids=5725767000000524157' OR '1'='1"}"#,
            #"{"method":"DELETE","path":"/crm/v8/Contacts?ids=%27%20OR%201%3D1%20--"}"#,
            #"{"method":"DELETE","path":"/crm/v8/Contacts?ids=*"}"#,
            #"{"method":"DELETE","path":"/crm/v8/Contacts/5725767000000524157%20OR%201=1"}"#,
            #"{"method":"POST","path":"/crm/v8/contacts; DROP TABLE contacts; --/upsert","body":{"data":[{"Last_Name":"Ng"}]}}"#,
            #"{"method":"PUT","path":"/crm/v8/Campaigns/5725767000002000001' OR '1'='1/Contacts","body":{"data":[{"id":"5725767000000524158"}]}}"#,
            #"{"method":"POST","path":"/crm/v8/settings/recycle_bin/actions/restore?ids=1' OR '1'='1"}"#,
        ]
        let log = try org.workspace.write("requests.ndjson", lines.joined(separator: "\n") + "\n")
        let outcome = try org.workspace.run(["replay", log, "--commit", "--json"])
        #expect(!outcome.signalled && (outcome.status == 0 || outcome.status == 2), "\(outcome)")
        try org.expectIntact()
        let after = try DatabaseDump(path: org.workspace.database)
        for table in ["contacts", "leads", "campaigns", "campaign_members", "recycle_bin", "field_values", "fields", "settings"] {
            #expect(after.tables[table] == org.before.tables[table], "\(table) changed: \(outcome)")
        }
    }
}

/// How `DatabaseDump` renders a text value (SQLValue's description): single-quoted, quotes doubled.
enum SQLValueText {
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
}
