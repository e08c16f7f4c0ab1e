import Foundation
import TestSupport
import Testing

/// `load` of `GET /settings/modules` through the binary: the loaded module id is what
/// `duplicate_record.module.id` says in replay's answers (null without it, as Zoho's schema
/// allows), and a malformed listing fails with its file and JSON path, writing nothing.
@Suite("CLI: module metadata and duplicate_record.module.id")
struct ModuleMetadataCLITests {
    static let contactsModuleID = "5725767000000002179"

    /// Two Contacts holding one Email: an upsert by Email cannot choose and answers DUPLICATE_DATA.
    static func org() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.load("Contacts.json", """
            {"data":[{"id":"5725767000000100001","Last_Name":"Lee","Email":"ann@example.com"},
             {"id":"5725767000000100002","Last_Name":"Lee","Email":"ann@example.com"}]}
            """)
        return workspace
    }

    /// `duplicate_record.module` of the one item of an upsert of ann@example.com.
    static func duplicateModule(_ workspace: Workspace) throws -> [String: Any] {
        let payload = try workspace.write("batch.json", #"{"data":[{"Last_Name":"Lee","Email":"ann@example.com"}],"duplicate_check_fields":["Email"]}"#)
        let replay = try workspace.run(["replay", payload, "--module", "Contacts", "--json"])
        let envelope = try #require(replay.json, "\(replay)")
        let item = try #require((envelope["data"] as? [[String: Any]])?.first, "\(replay.stdout)")
        #expect(item["code"] as? String == "DUPLICATE_DATA", "\(replay.stdout)")
        let record = try #require((item["details"] as? [String: Any])?["duplicate_record"] as? [String: Any], "\(replay.stdout)")
        return try #require(record["module"] as? [String: Any], "\(replay.stdout)")
    }

    @Test func theLoadedModuleIdIsTheDuplicateRecordsModuleId() throws {
        let workspace = try Self.org()
        let without = try Self.duplicateModule(workspace)
        #expect(without["api_name"] as? String == "Contacts")
        #expect(without.keys.contains("id") && without["id"] is NSNull, "id is present and null without module metadata: \(without)")

        let path = try workspace.write("modules.json", """
            {"modules":[{"api_name":"Leads","id":"5725767000000002175","module_name":"Leads"},
             {"api_name":"Contacts","id":"\(Self.contactsModuleID)","module_name":"Contacts"},
             {"api_name":"Deals","id":"5725767000000002181","module_name":"Deals"}]}
            """)
        let load = try workspace.run(["load", path, "--json"])
        #expect(load.status == 0, "\(load)")
        let file = try #require((load.json?["files"] as? [[String: Any]])?.first, "\(load.stdout)")
        #expect(file["format"] as? String == "modules" && file["module"] is NSNull)
        #expect(file["read"] as? Int == 3 && file["inserted"] as? Int == 3, "\(file)")
        let text = try workspace.run(["load", path])
        #expect(text.stdout.contains("modules.json (modules): 3 read, 0 inserted, 0 updated, 3 unchanged"), "\(text)")

        let with = try Self.duplicateModule(workspace)
        #expect(with["api_name"] as? String == "Contacts" && with["id"] as? String == Self.contactsModuleID, "\(with)")

        // Loading it again with another id replaces it: the latest metadata wins.
        try workspace.load("modules_later.json", #"{"modules":[{"api_name":"Contacts","id":"5725767000000009999"}]}"#)
        #expect(try Self.duplicateModule(workspace)["id"] as? String == "5725767000000009999")
    }

    /// Bulk Write makes its own DUPLICATE_DATA for an insert whose find_by matches a record: it
    /// carries the module id too.
    @Test func bulkWriteSkipsCarryTheModuleId() throws {
        let workspace = try Self.org()
        try workspace.load("modules.json", #"{"modules":[{"api_name":"Contacts","id":"\#(Self.contactsModuleID)"}]}"#)
        try workspace.load("Contacts_more.json", #"{"data":[{"id":"5725767000000100003","Last_Name":"Solo","Email":"solo@example.com"}]}"#)
        for (findBy, csv) in [("id", "id,Last_Name\n5725767000000100001,Lee\n"), ("Email", "Last_Name,Email\nSolo,solo@example.com\n")] {
            let file = try workspace.write("bulk-\(findBy).csv", csv)
            let replay = try workspace.run(["replay", file, "--module", "Contacts", "--operation", "insert", "--find-by", findBy, "--json"])
            let item = try #require((replay.json?["data"] as? [[String: Any]])?.first, "\(replay)")
            let record = (item["details"] as? [String: Any])?["duplicate_record"] as? [String: Any]
            #expect(item["code"] as? String == "DUPLICATE_DATA", "\(findBy): \(replay.stdout)")
            #expect((record?["module"] as? [String: Any])?["id"] as? String == Self.contactsModuleID, "\(findBy): \(replay.stdout)")
        }
    }

    @Test func aMalformedListingNamesFileAndPathAndWritesNothing() throws {
        let workspace = try Self.org()
        try workspace.load("modules.json", #"{"modules":[{"api_name":"Contacts","id":"\#(Self.contactsModuleID)"}]}"#)
        let before = try DatabaseDump(path: workspace.database)
        let cases: [(name: String, text: String, says: [String])] = [
            ("broken.json", #"{"modules":[{"api_name":"Contacts","#, ["broken.json: line 1", "malformed JSON"]),
            ("object.json", #"{"modules":{"api_name":"Contacts"}}"#, ["object.json: $.modules: expected an array, found an object"]),
            ("nameless.json", #"{"modules":[{"api_name":"Leads","id":"5725767000000002175"},{"id":"5725767000000002181"}]}"#,
             ["nameless.json: $.modules[1].api_name: expected", "found nothing"]),
        ]
        for (name, text, says) in cases {
            let outcome = try workspace.run(["load", try workspace.write(name, text)])
            #expect(outcome.status == 2, "\(name): \(outcome)")
            for part in says { #expect(outcome.stderr.contains(part), "\(name): \(outcome.stderr)") }
        }
        let flagged = try workspace.run(["load", try workspace.write("modules2.json", #"{"modules":[]}"#), "--module", "Contacts"])
        #expect(flagged.status == 2 && flagged.stderr.contains("modules2.json: --module cannot be used with a modules file"), "\(flagged)")
        #expect(try DatabaseDump(path: workspace.database) == before, "a refused file writes nothing")
        #expect(try Self.duplicateModule(workspace)["id"] as? String == Self.contactsModuleID)
    }
}
