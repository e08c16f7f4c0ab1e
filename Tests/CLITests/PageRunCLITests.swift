import Foundation
import TestSupport
import Testing

/// `load` of many API pages at once: consecutive pages of one module load as one run (one
/// transaction, indexes built once, the next pages parsed on a second thread), and must leave
/// exactly what loading the same files one `load` at a time leaves.
@Suite("CLI: a run of API pages")
struct PageRunCLITests {
    static func record(_ n: Int, email: String? = nil, last: String = "Lee") -> String {
        let id = 5725767000000700000 + n
        return #"{"id":"\#(id)","Last_Name":"\#(last)","Email":"\#(email ?? "p\(n)@example.com")","Owner":{"name":"Pat Boyle","id":"5725767000000411001"},"Modified_Time":"2026-11-0\#(1 + n % 8)T10:00:00+00:00"}"#
    }

    static func page(_ records: [String], more: Bool = true) -> String {
        #"{"data":[\#(records.joined(separator: ","))],"info":{"per_page":200,"count":\#(records.count),"more_records":\#(more)}}"#
    }

    /// Pages with a repeat (page 4 updates a record of page 2, page 5 repeats one of page 1
    /// unchanged), a Leads page and a CSV between them (each ends a run), and pages after them.
    static func files(in workspace: Workspace) throws -> [String] {
        [
            try workspace.write("Contacts_page_1.json", page([record(1), record(2), record(3, email: "Case@Example.com")])),
            try workspace.write("Contacts_page_2.json", page([record(4), record(5)])),
            try workspace.write("Contacts_page_3.json", page([record(6), record(7), record(8)])),
            try workspace.write("Leads_page_1.json", page([record(50), record(51)])),
            try workspace.write("Contacts_page_4.json", page([record(5, email: "changed@example.com", last: "Ray"), record(9)])),
            try workspace.write("Contacts_page_5.json", page([record(1), record(10)])),
            try workspace.write("Contacts.csv", "Record Id,Last Name,Email\n5725767000000700011,Moss,moss@example.org\n"),
            try workspace.write("Contacts_page_6.json", page([record(12), record(13)], more: false)),
        ]
    }

    static func sqlite(_ workspace: Workspace, _ sql: String) throws -> String {
        try LoadPipelineCLITests.sqlite(workspace.database, sql, in: workspace.directory)
    }

    /// The replica's content with the import log's times left out, paths made relative.
    static func content(_ workspace: Workspace) throws -> (dump: DatabaseDump, log: String) {
        let dump = try DatabaseDump(path: workspace.database, excluding: ["import_log"])
        let log = try Self.sqlite(workspace, "SELECT source, sha256, module, format, read, inserted, updated, unchanged FROM import_log ORDER BY seq;")
        return (dump, log.replacingOccurrences(of: workspace.directory.path + "/", with: ""))
    }

    @Test func aRunOfPagesLeavesWhatLoadingThemOneByOneLeaves() throws {
        let together = try Workspace()
        let files = try Self.files(in: together)
        let run = try together.run(["load"] + files + ["--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let reports = try #require(run.json?["files"] as? [[String: Any]], "\(run.stdout)")
        #expect(reports.map { ($0["path"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } } == files.map { URL(fileURLWithPath: $0).lastPathComponent },
                "one report per file, in the order given")
        let counts = reports.map { [$0["read"], $0["inserted"], $0["updated"], $0["unchanged"]].map { $0 as? Int ?? -1 } }
        #expect(counts[4] == [2, 1, 1, 0] && counts[5] == [2, 1, 0, 1], "\(counts)")

        let apart = try Workspace()
        var separate: [[Int]] = []
        for file in try Self.files(in: apart) {
            let one = try apart.run(["load", file, "--json"])
            #expect(one.status == 0, "\(one.stderr)")
            let report = try #require((one.json?["files"] as? [[String: Any]])?.first)
            separate.append([report["read"], report["inserted"], report["updated"], report["unchanged"]].map { $0 as? Int ?? -1 })
        }
        #expect(counts == separate)
        let (a, b) = (try Self.content(together), try Self.content(apart))
        #expect(a.dump == b.dump, "\(a.dump.differences(from: b.dump))")
        #expect(a.log == b.log)
        #expect(a.dump.count("contacts") == 13 && a.dump.count("leads") == 2)

        // The indexes a run drops while it loads are all back, and answer.
        let why = try together.run(["why", "case@example.com", "--json"])
        #expect((why.json?["matches"] as? [[String: Any]])?.first?["record_id"] as? String == "5725767000000700003", "\(why.stdout)")
    }

    @Test func aBadPageStopsTheRunAndThePagesBeforeItStayLoaded() throws {
        let workspace = try Workspace()
        let files = [
            try workspace.write("Contacts_page_1.json", Self.page([Self.record(1), Self.record(2)])),
            try workspace.write("Contacts_page_2.json", Self.page([Self.record(3)])),
            try workspace.write("Contacts_page_3.json", Self.page([Self.record(4), #"{"id":"not-an-id","Last_Name":"X"}"#])),
            try workspace.write("Contacts_page_4.json", Self.page([Self.record(5)], more: false)),
        ]
        let run = try workspace.run(["load"] + files + ["--json"])
        #expect(run.status == 2, "\(run)")
        #expect((run.json?["files"] as? [[String: Any]])?.count == 2, "\(run.stdout)")
        #expect((run.json?["error"] as? [String: Any])?["path"] as? String == files[2])
        #expect(run.stderr.contains(files[2]) && run.stderr.contains("$.data[1].id"), "\(run.stderr)")
        let ids = try Self.sqlite(workspace, "SELECT id FROM contacts ORDER BY id;").split(separator: "\n")
        #expect(ids == ["5725767000000700001", "5725767000000700002", "5725767000000700003"])
        #expect(try Self.sqlite(workspace, "SELECT count(*) FROM import_log;") == "2")
        #expect(try Self.sqlite(workspace, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts' AND sql IS NOT NULL;")
             == "6", "every index is back")

        // The bad page's error is the one it gives loaded on its own.
        let alone = try Workspace()
        let page = try alone.write("Contacts_page_3.json", try String(contentsOfFile: files[2], encoding: .utf8))
        let single = try alone.run(["load", page])
        #expect(single.status == 2)
        let message = { (text: String) in text.replacingOccurrences(of: workspace.directory.path, with: "").replacingOccurrences(of: alone.directory.path, with: "") }
        let cause = { (text: String) in message(text).split(separator: ";").first }
        #expect(cause(single.stderr) != nil && cause(single.stderr) == cause(run.stderr), "\(single.stderr)\n---\n\(run.stderr)")
        #expect(run.stderr.contains("earlier files were loaded (2 of 4)"), "\(run.stderr)")
    }
}
