import Foundation
import TestSupport
import Testing

/// `load` of a CSV export or an NDJSON file parses on one thread and writes SQLite on another, in
/// batches, and hashes the file as it reads it. These tests use files of several batches (a CSV
/// batch is at most 2,048 rows or 1 MiB, an NDJSON one 1,024 records) so that rows, blank lines
/// and errors cross batch boundaries.
@Suite("CLI: load's two-thread CSV and NDJSON paths")
struct LoadPipelineCLITests {
    static let header = "Record Id,First Name,Last Name,Email,Secondary Email,Phone,Contact Owner,Description\n"

    /// `count` rows: some ids as `zcrm_…`, quoted cells with commas, quotes and line breaks,
    /// non-ASCII and upper-case emails (near-miss keys), empty keys, and a blank row every 997.
    static func rows(_ range: Range<Int>) -> String {
        var text = ""
        for n in range {
            let id = 5_725_767_000_001_000_000 + n
            let idCell = n % 7 == 0 ? "zcrm_\(id)" : "\(id)"
            let email = n % 11 == 0 ? "Émile.\(n)@Example.com" : (n % 5 == 0 ? "" : "user\(n)@example.com")
            let secondary = n % 13 == 0 ? "OTHER\(n)@example.org" : ""
            let phone = n % 4 == 0 ? "" : "+1 555 \(n)"
            let description = n % 3 == 0 ? "\"line one, \"\"quoted\"\"\nline two \(n)\"" : "plain \(n)"
            text += "\(idCell),Ann\(n),Lée,\(email),\(secondary),\(phone),Pat Boyle,\(description)\n"
            if n % 997 == 0 { text += ",,,,,,,\n" }
        }
        return text
    }

    static func sha256sum(_ path: String, in directory: URL) throws -> String {
        let outcome = try CLI.execute(URL(fileURLWithPath: "/usr/bin/sha256sum"), [path], in: directory)
        return String(outcome.stdout.prefix(64))
    }

    static func sqlite(_ database: String, _ sql: String, in directory: URL) throws -> String {
        try CLI.execute(URL(fileURLWithPath: "/usr/bin/sqlite3"), [database, sql], in: directory).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func rowsSpanningManyBatchesStoreWhatTwoSmallerLoadsStore() throws {
        let all = Self.header + Self.rows(0..<7_000)
        let whole = try Workspace()
        let loaded = try whole.run(["load", try whole.write("Contacts.csv", all), "--json"])
        #expect(loaded.status == 0, "\(loaded)")
        let file = (loaded.json?["files"] as? [[String: Any]])?.first
        #expect(file?["inserted"] as? Int == 7_000)
        #expect(file?["skipped"] as? Int == 8)

        // The same rows in two files: the first few thousand into an empty replica, then the
        // whole export over them (unchanged rows compared, new ones inserted).
        let split = try Workspace()
        try split.load("Contacts_part.csv", Self.header + Self.rows(0..<3_000))
        let merged = try split.run(["load", try split.write("Contacts.csv", all), "--json"])
        let second = (merged.json?["files"] as? [[String: Any]])?.first
        #expect(second?["unchanged"] as? Int == 3_000)
        #expect(second?["inserted"] as? Int == 4_000)

        let one = try DatabaseDump(path: whole.database, excluding: ["import_log", "sqlite_sequence"])
        let two = try DatabaseDump(path: split.database, excluding: ["import_log", "sqlite_sequence"])
        #expect(one.count("contacts") == 7_000)
        #expect(one == two, "\(one.differences(from: two))")
        // The stored record text is the row as written, a multi-line quoted cell included.
        let description = try Self.sqlite(whole.database, "SELECT data ->> 'Description' FROM contacts WHERE id = '5725767000001006999'",
                                          in: whole.directory)
        #expect(description == "line one, \"quoted\"\nline two 6999")
        let zcrm = try Self.sqlite(whole.database, "SELECT count(*) FROM contacts WHERE id = '5725767000001006993'", in: whole.directory)
        #expect(zcrm == "1")
        // The near-miss key indexes are kept up to date during the bulk load, not built after it:
        // each holds every stored key (Émile's 637 rows), and the file is sound.
        #expect(try Self.sqlite(whole.database, "PRAGMA integrity_check", in: whole.directory) == "ok")
        let keyed = try Self.sqlite(whole.database, """
            SELECT (SELECT count(*) FROM contacts INDEXED BY contacts_email_key WHERE email_key IS NOT NULL) || ',' ||
                   (SELECT count(*) FROM contacts NOT INDEXED WHERE email_key IS NOT NULL)
            """, in: whole.directory)
        #expect(keyed == "637,637")
    }

    @Test func aBadRowLateInTheFileLoadsNothingAndNamesItsLine() throws {
        let workspace = try Workspace()
        // 6,000 good rows (seven blank ones among them), then a ragged one on the last line.
        let path = try workspace.write("Contacts.csv", Self.header + Self.rows(0..<6_000) + "5725767000009999999,Short\n")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let outcome = try workspace.run(["load", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("\(path): line \(lines): expected 8 fields"), "\(outcome.stderr)")
        #expect(try Self.sqlite(workspace.database, "SELECT (SELECT count(*) FROM contacts) || ',' || (SELECT count(*) FROM import_log)",
                                in: workspace.directory) == "0,0")
    }

    @Test func aBadRecordIDInALaterBatchLoadsNothing() throws {
        let workspace = try Workspace()
        let path = try workspace.write("Contacts.csv", Self.header + Self.rows(0..<5_000) + "not-an-id,A,B,c@d.io,,,Pat,x\n"
                                       + Self.rows(5_000..<5_010))
        let outcome = try workspace.run(["load", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("not-an-id"), "\(outcome.stderr)")
        let stats = try workspace.run(["stats", "--json"])
        #expect(stats.stdout.contains(#""Contacts":0"#), "\(stats.stdout)")
    }

    @Test func theImportLogHoldsTheFileDigestHashedWhileReading() throws {
        let workspace = try Workspace()
        // Larger than the reader's 256 KiB chunk, so the digest spans several reads.
        let big = try workspace.write("Contacts.csv", "\u{FEFF}" + Self.header + Self.rows(0..<4_000))
        #expect(try FileManager.default.attributesOfItem(atPath: big)[.size] as? Int ?? 0 > 300_000)
        try #require(try workspace.run(["load", big, "--quiet"]).status == 0)
        // Excel's "Unicode Text": UTF-16 LE, its byte order mark, tabs; converted as it is read.
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "Record Id\tLast Name\tEmail\n5725767000002000001\tMoss\tmoss@example.org\n".utf16 {
            utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        let wide = try workspace.write("Leads.csv", bytes: utf16)
        let loaded = try workspace.run(["load", wide, "--quiet"])
        try #require(loaded.status == 0, "\(loaded)")

        let logged = try Self.sqlite(workspace.database, "SELECT group_concat(sha256, ' ') FROM (SELECT sha256 FROM import_log ORDER BY seq)",
                                     in: workspace.directory)
        #expect(logged == "\(try Self.sha256sum(big, in: workspace.directory)) \(try Self.sha256sum(wide, in: workspace.directory))")
    }

    /// `count` API record objects, one a line, with the shapes the CSV rows have (nulls, an owner
    /// object, non-ASCII and upper-case emails, a multi-line text) and a blank line every 997.
    static func records(_ range: Range<Int>) -> [String] {
        range.map { n in
            let email = n % 11 == 0 ? "\"Émile.\(n)@Example.com\"" : (n % 5 == 0 ? "null" : "\"user\(n)@example.com\"")
            let record = #"{"id":"\#(5_725_767_000_001_000_000 + n)","Owner":{"name":"Pat Boyle","id":"5725767000000000001"},"#
                + #""Last_Name":"Lée \#(n)","Email":\#(email),"Phone":\#(n % 4 == 0 ? "null" : "\"+1 555 \(n)\""),"#
                + #""Description":"line one\nline \"two\" \#(n)","Visits":\#(n % 9)}"#
            return n % 997 == 0 ? record + "\n" : record
        }
    }

    @Test func ndjsonOverManyBatchesStoresWhatOneAPIPageStores() throws {
        let records = Self.records(0..<3_500)
        let lines = try Workspace()
        let ndjson = try lines.write("Contacts.ndjson", records.joined(separator: "\n") + "\n")
        let loaded = try lines.run(["load", ndjson, "--json"])
        #expect(loaded.status == 0, "\(loaded)")
        #expect((loaded.json?["files"] as? [[String: Any]])?.first?["inserted"] as? Int == 3_500)

        let page = try Workspace()
        let body = records.map { $0.trimmingCharacters(in: .newlines) }.joined(separator: ",")
        try page.load("Contacts.json", #"{"data":[\#(body)],"info":{"count":3500,"more_records":false}}"#)

        let one = try DatabaseDump(path: lines.database, excluding: ["import_log", "sqlite_sequence"])
        let two = try DatabaseDump(path: page.database, excluding: ["import_log", "sqlite_sequence"])
        #expect(one.count("contacts") == 3_500)
        #expect(one == two, "\(one.differences(from: two))")
        let logged = try Self.sqlite(lines.database, "SELECT sha256 FROM import_log", in: lines.directory)
        #expect(logged == (try Self.sha256sum(ndjson, in: lines.directory)))
    }

    @Test func aBadNDJSONLineLateInTheFileLoadsNothingAndNamesItsLine() throws {
        let workspace = try Workspace()
        var lines = Self.records(0..<3_000).joined(separator: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert(#"{"id":"5725767000009999999","Last_Name":"Cut"#, at: 2_900)
        let path = try workspace.write("Contacts.ndjson", lines.joined(separator: "\n") + "\n")
        let outcome = try workspace.run(["load", path])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("\(path): line 2901"), "\(outcome.stderr)")
        #expect(try Self.sqlite(workspace.database, "SELECT (SELECT count(*) FROM contacts) || ',' || (SELECT count(*) FROM import_log)",
                                in: workspace.directory) == "0,0")

        // A record without an id, past the first batches: the error names its line too.
        lines.remove(at: 2_900)
        lines.insert(#"{"Last_Name":"No id"}"#, at: 2_500)
        let noID = try workspace.write("Contacts_2.ndjson", lines.joined(separator: "\n") + "\n")
        let missing = try workspace.run(["load", noID, "--module", "Contacts"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("\(noID): line 2501"), "\(missing.stderr)")
        #expect(try Self.sqlite(workspace.database, "SELECT count(*) FROM contacts", in: workspace.directory) == "0")
    }
}
