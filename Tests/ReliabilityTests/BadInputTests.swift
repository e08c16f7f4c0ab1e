import Foundation
import TestSupport
import Testing

/// A hostile or broken input file, as a user might point the tool at it by mistake.
struct BadFile: Sendable, CustomTestStringConvertible {
    enum Content: Sendable {
        case text(String)
        case bytes([UInt8])
        /// Built when the test runs (large files are not kept in the argument list).
        case generated(@Sendable () -> [UInt8])
        case directory
        case missing
    }

    let label: String
    /// The file name: its extension and words steer format and module detection.
    let name: String
    let content: Content
    /// Extra arguments for the command (`--module`, `--format`…).
    var arguments: [String] = []
    /// What stderr must say after the file's path: a line, a JSON path, or a phrase. Nil when
    /// the file has no place to point at (empty, missing, a directory).
    let location: String?

    var testDescription: String { label }

    /// Writes the file (or directory) into `workspace`; returns its path.
    func materialize(in workspace: Workspace) throws -> String {
        let path = workspace.path(name)
        switch content {
        case .text(let text): try workspace.write(name, text)
        case .bytes(let bytes): try workspace.write(name, bytes: bytes)
        case .generated(let make): try workspace.write(name, bytes: make())
        case .directory: try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        case .missing: break
        }
        return path
    }
}

/// Deterministic pseudo-random bytes (SplitMix64), so a failure can be reproduced.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    while bytes.count < count {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        for shift in stride(from: 0, to: 64, by: 8) where bytes.count < count { bytes.append(UInt8(truncatingIfNeeded: z >> shift)) }
    }
    return bytes
}

let header = "Record Id,First Name,Last Name,Email,Contact Owner\n"
let goodRow = "5725767000000524160,Eve,Ng,eve@example.com,Pat Boyle\n"

/// Every kind of bad file of the reliability issue, for `load`.
let badLoadFiles: [BadFile] = [
    BadFile(label: "truncated JSON", name: "Contacts.json",
            content: .text(#"{"data":[{"id":"5725767000000524160","Last_Name":"Ng""#), location: "line 1, column"),
    BadFile(label: "JSON whose data is a string", name: "Contacts.json", content: .text(#"{"data":"x"}"#), location: "$.data"),
    BadFile(label: "JSON that is an array of numbers", name: "Contacts.json", content: .text("[1,2]"), location: "$:"),
    BadFile(label: "JSON whose data holds a number", name: "Contacts.json", content: .text(#"{"data":[1]}"#), location: "$.data[0]"),
    BadFile(label: "NDJSON with a string line", name: "Contacts.ndjson",
            content: .text("{\"id\":\"5725767000000524160\",\"Last_Name\":\"Ng\"}\n\"x\"\n"), location: "line 2"),
    BadFile(label: "random bytes named .csv", name: "Contacts.csv", content: .bytes(pseudoRandomBytes(64 << 10, seed: 1)), location: "line "),
    BadFile(label: "random bytes without extension", name: "Contacts_export", content: .bytes(pseudoRandomBytes(64 << 10, seed: 2)),
            location: "line "),
    BadFile(label: "random bytes named .json", name: "Contacts.json", content: .bytes(pseudoRandomBytes(64 << 10, seed: 3)),
            location: "line 1"),
    BadFile(label: "invalid UTF-8 in a CSV field", name: "Contacts.csv",
            content: .bytes(Array((header + goodRow).utf8) + Array("5725767000000524161,A,".utf8) + [0xC3, 0x28] + Array(",a@b.c,Pat\n".utf8)),
            location: "line 3"),
    BadFile(label: "invalid UTF-8 in a CSV header", name: "Contacts.csv",
            content: .bytes(Array("Record Id,Last ".utf8) + [0xFF] + Array("Name\n5725767000000524160,Ng\n".utf8)), location: "line 1"),
    BadFile(label: "invalid UTF-8 in JSON", name: "Contacts.json",
            content: .bytes(Array(#"{"data":[{"id":"5725767000000524160","Last_Name":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}]}"#.utf8)),
            location: "line 1"),
    BadFile(label: "invalid UTF-8 in NDJSON", name: "Contacts.ndjson",
            content: .bytes(Array("{\"id\":\"5725767000000524160\"}\n{\"id\":\"5725767000000524161\",\"Last_Name\":\"".utf8) + [0xF8, 0x88]
                            + Array("\"}\n".utf8)), location: "line 2"),
    BadFile(label: "unterminated quote", name: "Contacts.csv",
            content: .text(header + goodRow + "5725767000000524161,\"Ann,Lee,ann@example.com,Pat\n5725767000000524162,Bo,Ray,b@x.io,Pat\n"),
            location: "line 3"),
    BadFile(label: "a quote inside an unquoted field", name: "Contacts.csv",
            content: .text(header + "5725767000000524161,An\"n,Lee,ann@example.com,Pat\n"), location: "line 2"),
    BadFile(label: "a ragged row", name: "Contacts.csv", content: .text(header + goodRow + "5725767000000524161,Ann\n"), location: "line 3"),
    BadFile(label: "a file that is one 5 MB field", name: "Contacts.csv",
            content: .generated { [UInt8](repeating: UInt8(ascii: "x"), count: 5 << 20) }, location: "no header line with an id column"),
    BadFile(label: "a 5 MB quoted field that never closes", name: "Contacts.csv",
            content: .generated { Array((header + goodRow + "5725767000000524161,\"").utf8) + [UInt8](repeating: UInt8(ascii: "y"), count: 5 << 20) },
            location: "line 3"),
    BadFile(label: "a 100k-column header without an id", name: "Contacts.csv",
            content: .generated { Array(((0..<100_000).map { "Column \($0)" }.joined(separator: ",") + "\n").utf8) },
            location: "no header line with an id column"),
    BadFile(label: "100k nested arrays", name: "Contacts.json",
            content: .generated { [UInt8](repeating: UInt8(ascii: "["), count: 100_000) }, location: "nesting too deep"),
    BadFile(label: "100k nested arrays inside data", name: "Contacts.json",
            content: .generated { Array(#"{"data":"#.utf8) + [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
                + [UInt8](repeating: UInt8(ascii: "]"), count: 100_000) + [UInt8(ascii: "}")] },
            location: "line 1, column"),
    BadFile(label: "100k nested objects in an NDJSON line", name: "Contacts.ndjson",
            content: .generated { Array("{\"id\":\"5725767000000524160\"}\n".utf8) + Array(String(repeating: "{\"a\":", count: 100_000).utf8) },
            location: "line 2"),
    BadFile(label: "a short id in a UI export", name: "Contacts.csv", content: .text(header + "12345,Ann,Lee,ann@example.com,Pat\n"),
            location: "line 2"),
    BadFile(label: "an id above Int64 in a Bulk Read CSV", name: "Contacts.csv",
            content: .text("id,Last_Name\n5725767000000524160,Ng\n9999999999999999999,Lee\n"), location: "line 3"),
    BadFile(label: "a 20-digit id in JSON", name: "Contacts.json", content: .text(#"{"data":[{"id":"57257670000005241601","Last_Name":"Ng"}]}"#),
            location: "$.data[0].id"),
    BadFile(label: "a fractional id in JSON", name: "Contacts.json", content: .text(#"{"data":[{"id":5.725767000000524e18,"Last_Name":"Ng"}]}"#),
            location: "$.data[0].id"),
    BadFile(label: "a negative id in NDJSON", name: "Leads.ndjson", content: .text("{\"id\":-5725767000000524160,\"Last_Name\":\"Ng\"}\n"),
            location: "line 1, $.id"),
    BadFile(label: "a missing id in JSON", name: "Contacts.json", content: .text(#"{"data":[{"Last_Name":"Ng"}]}"#), location: "$.data[0].id"),
    BadFile(label: "a deleted-records item with a bad type", name: "Contacts_deleted.json",
            content: .text(#"{"data":[{"id":"5725767000000524157","type":"gone","deleted_time":"2026-11-20T09:00:00+00:00"}]}"#),
            location: "$.data[0].type"),
    BadFile(label: "a membership row with an unknown module", name: "Campaign_Members.csv",
            content: .text("Campaign Id,Member Id,Member Module,Member Status\n5725767000002000001,5725767000000524157,Accounts,Sent\n"),
            location: "line 2"),
    BadFile(label: "an empty file", name: "Contacts.csv", content: .text(""), location: nil),
    BadFile(label: "an empty JSON file", name: "Contacts.json", content: .text(""), location: nil),
    BadFile(label: "a file of blank lines", name: "Contacts.csv", content: .text("\n\r\n\n"), location: nil),
    BadFile(label: "a directory", name: "Contacts.csv", content: .directory, location: nil),
    BadFile(label: "a missing file", name: "Contacts.csv", content: .missing, location: nil),
]

@Suite("Bad files: exit 2, file and place named, database unchanged")
struct BadInputTests {
    /// Loads `file` into a replica that already holds an org: the load must fail with exit 2,
    /// name the file and the place, and leave every table as it was.
    @Test(arguments: badLoadFiles)
    func loadRejects(_ file: BadFile) throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        let path = try file.materialize(in: workspace)
        let before = try DatabaseDump(path: workspace.database)

        let outcome = try workspace.run(["load", path] + file.arguments)
        try expectRejected(outcome, path: path, location: file.location)
        try expectUnchanged(workspace.database, since: before, "load \(file.label)")
    }

    /// Files that fail part-way, loaded into an org whose Contacts table is empty: the bulk
    /// path (indexes dropped, rows appended, indexes rebuilt) must roll back too, indexes included.
    @Test(arguments: badLoadFiles.filter { $0.name == "Contacts.csv" && ($0.location ?? "").hasPrefix("line 3") })
    func loadIntoAnEmptyTableRejects(_ file: BadFile) throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace, contacts: false)
        let path = try file.materialize(in: workspace)
        let before = try DatabaseDump(path: workspace.database)
        #expect(before.count("contacts") == 0 && before.schema.contains { $0.hasPrefix("index contacts_email:") })

        let outcome = try workspace.run(["load", path] + file.arguments)
        try expectRejected(outcome, path: path, location: file.location)
        try expectUnchanged(workspace.database, since: before, "load \(file.label) into an empty table")
        #expect(try integrityCheck(workspace.database) == "ok")
    }

    /// The same files given after a good one: the good file loads, the bad one loads nothing,
    /// and the message says so.
    @Test func aBadFileAfterAGoodOneKeepsTheGoodOne() throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        let good = try workspace.write("Contacts_more.csv", header + goodRow)
        let bad = try workspace.write("Contacts_bad.csv", header + "5725767000000524161,\"Ann\n")
        let outcome = try workspace.run(["load", good, bad])
        try expectRejected(outcome, path: bad, location: "line 2", stdoutEmpty: false)
        #expect(outcome.stderr.contains("earlier files were loaded (1 of 2)"), "\(outcome)")
        #expect(try stats(workspace)?["Contacts"] == 4)
    }

    /// A NUL byte is data, not a terminator: the value is stored whole and shown escaped.
    @Test func aNULByteInsideACSVFieldIsStoredWhole() throws {
        let workspace = try Workspace()
        let path = try workspace.write("Contacts.csv", bytes: Array((header + "5725767000000524160,E").utf8) + [0]
                                       + Array("ve,Ng,eve@exam\u{0}ple.com,Pat Boyle\n".utf8))
        try workspace.succeed(["load", path])
        let shown = try workspace.succeed(["show", "5725767000000524160", "--json"])
        let record = shown.json?["record"] as? [String: Any]
        #expect(record?["First_Name"] as? String == "E\u{0}ve", "\(shown)")
        #expect(record?["Email"] as? String == "eve@exam\u{0}ple.com")
        #expect(record?["Last_Name"] as? String == "Ng", "the fields after the NUL are in their own columns")
        let dump = try DatabaseDump(path: workspace.database)
        #expect(dump.tables["contacts"]?.first?.contains("eve@exam\u{0}ple.com") == true, "the Email key column holds the whole value")
        // Loading it again changes nothing: the stored value compares equal to the file's.
        let again = try workspace.succeed(["load", path, "--json"])
        #expect(again.stdout.contains(#""unchanged":1"#), "\(again)")
    }

    /// A UTF-8 byte order mark and CRLF line ends (Excel's "CSV UTF-8"): the first header is
    /// `Record Id`, not `\u{FEFF}Record Id`, and no value keeps a stray `\r`.
    @Test func aBOMAndCRLFExportLoadsCleanly() throws {
        let workspace = try Workspace()
        let text = "\u{FEFF}Record Id,First Name,Last Name,Email,Contact Owner\r\n"
            + "5725767000000524160,Eve,Ng,eve@example.com,Pat Boyle\r\n"
            + "5725767000000524161,\"Multi\r\nLine\",Lee,lee@example.com,Pat Boyle\r\n"
        let path = try workspace.write("Contacts.csv", text)
        let load = try workspace.succeed(["load", path, "--json"])
        #expect(load.stdout.contains(#""inserted":2"#), "\(load)")
        let shown = try workspace.succeed(["show", "5725767000000524161", "--json"])
        let record = shown.json?["record"] as? [String: Any]
        #expect(record?["Email"] as? String == "lee@example.com")
        #expect(record?["First_Name"] as? String == "Multi\r\nLine", "a line break inside quotes is kept exactly")
        #expect(record?["Owner"] != nil || record?["Contact_Owner"] != nil || record?.keys.contains { $0.contains("Owner") } == true)
        let dump = try DatabaseDump(path: workspace.database)
        #expect(!(dump.tables["fields"] ?? []).contains { $0.contains("\u{FEFF}") }, "no field named after the BOM")
        #expect(!(dump.tables["contacts"] ?? []).contains { $0.hasSuffix("\r") || $0.contains("Pat Boyle\r") })
    }

    /// A 5 MB value inside a well-formed row is data: stored whole, not truncated, not a crash.
    @Test func aFiveMegabyteValueInAWellFormedRowIsStoredWhole() throws {
        let workspace = try Workspace()
        let value = String(repeating: "0123456789abcdef", count: (5 << 20) / 16)
        let path = try workspace.write("Contacts.csv", "Record Id,Last Name,Description\n5725767000000524160,Ng,\"\(value)\"\n")
        try workspace.succeed(["load", path])
        let shown = try workspace.succeed(["show", "5725767000000524160", "--json"])
        let record = shown.json?["record"] as? [String: Any]
        #expect((record?["Description"] as? String)?.utf8.count == value.utf8.count)
        #expect(record?["Description"] as? String == value)
    }

    /// A header of 100,000 columns with an id column: no crash and no hang; either refused with
    /// exit 2 and the line, or loaded with every column kept.
    @Test func aHundredThousandColumnHeaderWithAnIDColumn() throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        let columns = ["Record Id", "Last Name"] + (0..<100_000).map { "Custom \($0)" }
        let row = ["5725767000000524160", "Ng"] + (0..<100_000).map { "v\($0)" }
        let path = try workspace.write("Contacts.csv", columns.joined(separator: ",") + "\n" + row.joined(separator: ",") + "\n")
        let before = try DatabaseDump(path: workspace.database)
        let outcome = try workspace.run(["load", path])
        try expectRejected(outcome, path: path, location: "line 1")
        try expectUnchanged(workspace.database, since: before, "load of a 100k-column header")
    }

    // MARK: replay

    /// Bad replay inputs, with `--commit` to prove that not even a committing replay writes.
    static let badReplayFiles: [BadFile] = [
        BadFile(label: "truncated payload", name: "batch.json", content: .text(#"{"data":[{"Last_Name":"Ng""#),
                arguments: ["--module", "Contacts"], location: "line 1, column 27"),
        BadFile(label: "payload whose data is a string", name: "batch.json", content: .text(#"{"data":"x"}"#),
                arguments: ["--module", "Contacts"], location: "$.data"),
        BadFile(label: "payload whose data holds numbers", name: "batch.json", content: .text(#"{"data":[1,2]}"#),
                arguments: ["--module", "Contacts"], location: "$.data[0]"),
        BadFile(label: "payload that is an array", name: "batch.json", content: .text("[1,2]"),
                arguments: ["--module", "Contacts", "--format", "payload"], location: "$"),
        BadFile(label: "payload with duplicate_check_fields of numbers", name: "batch.json",
                content: .text(#"{"data":[{"Last_Name":"Ng"}],"duplicate_check_fields":[1]}"#),
                arguments: ["--module", "Contacts"], location: "$.duplicate_check_fields[0]"),
        BadFile(label: "random bytes as a payload", name: "batch.json", content: .bytes(pseudoRandomBytes(64 << 10, seed: 4)),
                arguments: ["--module", "Contacts", "--format", "payload"], location: "line 1, column 1"),
        BadFile(label: "random bytes as a request log", name: "requests.ndjson", content: .bytes(pseudoRandomBytes(64 << 10, seed: 5)),
                location: ":1"),
        BadFile(label: "random bytes as a HAR", name: "capture.har", content: .bytes(pseudoRandomBytes(64 << 10, seed: 6)),
                location: "line 1, column 1"),
        BadFile(label: "random bytes as a Bulk Write CSV", name: "bulk.csv", content: .bytes(pseudoRandomBytes(64 << 10, seed: 7)),
                arguments: ["--module", "Contacts", "--operation", "insert"], location: ":1"),
        BadFile(label: "invalid UTF-8 in a payload", name: "batch.json",
                content: .bytes(Array(#"{"data":[{"Last_Name":""#.utf8) + [0xC0, 0xAF] + Array(#""}]}"#.utf8)),
                arguments: ["--module", "Contacts", "--format", "payload"], location: "line 1"),
        BadFile(label: "invalid UTF-8 in a request log", name: "requests.ndjson",
                content: .bytes(Array("{\"method\":\"DELETE\",\"path\":\"/crm/v8/Contacts?ids=5725767000000524157\"}\n{\"method\":\"POST\",\"path\":\"/crm/v8/Contacts\",\"body\":{\"data\":[{\"Last_Name\":\"".utf8)
                                + [0xFF] + Array("\"}]}}\n".utf8)), location: ":2"),
        BadFile(label: "invalid UTF-8 in a Bulk Write CSV", name: "bulk.csv",
                content: .bytes(Array("Last_Name,Email\nNg,".utf8) + [0xE2, 0x82] + Array("\n".utf8)),
                arguments: ["--module", "Contacts", "--operation", "insert"], location: ":2"),
        BadFile(label: "unterminated quote in a Bulk Write CSV", name: "bulk.csv", content: .text("Last_Name,Email\nNg,\"eve@example.com\n"),
                arguments: ["--module", "Contacts", "--operation", "insert"], location: ":2"),
        BadFile(label: "request log with a truncated line", name: "requests.ndjson",
                content: .text("{\"method\":\"DELETE\",\"path\":\"/crm/v8/Contacts?ids=5725767000000524157\"}\n{\"method\":\"POST\",\"path\":\n"),
                location: ":2"),
        BadFile(label: "request log whose body data is a string", name: "requests.ndjson",
                content: .text("{\"method\":\"DELETE\",\"path\":\"/crm/v8/Contacts?ids=5725767000000524157\"}\n{\"method\":\"POST\",\"path\":\"/crm/v8/Contacts/upsert\",\"body\":{\"data\":\"x\"}}\n"),
                location: ":2"),
        BadFile(label: "request log line that is an array", name: "requests.ndjson",
                content: .text("{\"method\":\"DELETE\",\"path\":\"/crm/v8/Contacts?ids=5725767000000524157\"}\n[1,2]\n"), location: ":2"),
        BadFile(label: "HAR whose entries are a string", name: "capture.har", content: .text(#"{"log":{"entries":"x"}}"#),
                location: "$.log.entries"),
        BadFile(label: "HAR whose request body holds numbers", name: "capture.har",
                content: .text(#"{"log":{"entries":[{"request":{"method":"POST","url":"https://www.zohoapis.com/crm/v8/Contacts","postData":{"text":"{\"data\":[1]}"}},"response":{"status":201}}]}}"#),
                location: "$.log.entries[0]"),
        BadFile(label: "100k nested arrays in a payload", name: "batch.json",
                content: .generated { Array(#"{"data":"#.utf8) + [UInt8](repeating: UInt8(ascii: "["), count: 100_000) },
                arguments: ["--module", "Contacts", "--format", "payload"], location: "nesting too deep"),
        BadFile(label: "100k nested objects in a request log body", name: "requests.ndjson",
                content: .generated { Array("{\"method\":\"POST\",\"path\":\"/crm/v8/Contacts\",\"body\":".utf8)
                    + Array(String(repeating: "{\"a\":", count: 100_000).utf8) + Array("\n".utf8) },
                location: ":1"),
        BadFile(label: "a 5 MB unterminated string in a payload", name: "batch.json",
                content: .generated { Array(#"{"data":[{"Last_Name":""#.utf8) + [UInt8](repeating: UInt8(ascii: "z"), count: 5 << 20) },
                arguments: ["--module", "Contacts", "--format", "payload"], location: "line 1, column"),
        BadFile(label: "an empty payload", name: "batch.json", content: .text(""), arguments: ["--module", "Contacts"], location: nil),
        BadFile(label: "an empty request log", name: "requests.ndjson", content: .text(""), location: nil),
        BadFile(label: "a directory", name: "batches.json", content: .directory, arguments: ["--module", "Contacts"], location: nil),
        BadFile(label: "a missing file", name: "nothing.ndjson", content: .missing, location: nil),
    ]

    @Test(arguments: badReplayFiles)
    func replayRejects(_ file: BadFile) throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        let path = try file.materialize(in: workspace)
        let before = try DatabaseDump(path: workspace.database)

        let outcome = try workspace.run(["replay", path, "--commit"] + file.arguments)
        try expectRejected(outcome, path: path, location: file.location)
        try expectUnchanged(workspace.database, since: before, "replay --commit \(file.label)")
    }

    /// A bad request late in a log stops the whole replay before anything is written, even the
    /// good requests before it.
    @Test func aBadRequestLateInALogWritesNothingEvenWithCommit() throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        var lines = (0..<50).map { n in
            #"{"method":"POST","path":"/crm/v8/Contacts","body":{"data":[{"Last_Name":"New\#(n)","Email":"new\#(n)@example.com"}]}}"#
        }
        lines.append(#"{"method":"POST","path":"/crm/v8/Contacts/upsert","body":{"data":[{"Last_Name":"X"},"oops"]}}"#)
        let path = try workspace.write("requests.ndjson", lines.joined(separator: "\n") + "\n")
        let before = try DatabaseDump(path: workspace.database)
        let outcome = try workspace.run(["replay", path, "--commit"])
        try expectRejected(outcome, path: path, location: ":51")
        #expect(outcome.stderr.contains("$.data[1]"), "\(outcome)")
        try expectUnchanged(workspace.database, since: before, "replay --commit of a log with a bad last request")
    }
}

/// Exit 2, no signal, one error naming the file (and the place, when there is one), no
/// backtrace or fatal error text.
func expectRejected(_ outcome: CommandResult, path: String, location: String?, stdoutEmpty: Bool = true,
                    sourceLocation: SourceLocation = #_sourceLocation) throws {
    #expect(!outcome.signalled, "crashed: \(outcome)", sourceLocation: sourceLocation)
    #expect(outcome.status == 2, "\(outcome)", sourceLocation: sourceLocation)
    #expect(outcome.stderr.hasPrefix("crm-replica: error: "), "\(outcome)", sourceLocation: sourceLocation)
    #expect(outcome.stderr.contains(path), "the message names the file: \(outcome)", sourceLocation: sourceLocation)
    if let location {
        let afterPath = outcome.stderr.components(separatedBy: path).dropFirst().joined(separator: path)
        #expect(afterPath.contains(location), "the message names \(location): \(outcome)", sourceLocation: sourceLocation)
    }
    for crashText in ["Fatal error", "Backtrac", "Illegal instruction", "Segmentation"] {
        #expect(!outcome.stderr.contains(crashText), "\(outcome)", sourceLocation: sourceLocation)
    }
    #expect(!stdoutEmpty || outcome.stdout.isEmpty, "nothing on stdout for a rejected file: \(outcome)", sourceLocation: sourceLocation)
}
