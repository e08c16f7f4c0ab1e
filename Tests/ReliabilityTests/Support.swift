import Foundation
import Persistence
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The package root: this file is `<root>/Tests/ReliabilityTests/Support.swift`.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The binary these tests drive, as users and scripts run it. `swift test` builds it.
let binary = packageRoot.appendingPathComponent(".build/debug/crm-replica")

/// How one run of `crm-replica` ended.
struct Outcome: CustomStringConvertible {
    let status: Int32
    /// True when the process died of a signal (a crash, or our own SIGKILL).
    let signalled: Bool
    let stdout: String
    let stderr: String

    var description: String {
        "\(signalled ? "signal" : "exit") \(status)\nstdout: \(stdout.prefix(2000))\nstderr: \(stderr.prefix(2000))"
    }

    /// Stdout parsed as one JSON document (or nil).
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed]) }
}

/// A running `crm-replica` whose output goes to files (no pipe can fill up and stall it).
final class RunningCommand {
    let process = Process()
    private let out: URL
    private let err: URL

    init(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the binary first: swift build")
        let id = UUID().uuidString
        out = directory.appendingPathComponent(".out-\(id)")
        err = directory.appendingPathComponent(".err-\(id)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["CRM_REPLICA_DB"] = nil
        // A crash should die quickly with its signal rather than spend seconds symbolicating.
        env["SWIFT_BACKTRACE"] = "enable=no"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }
    var pid: Int32 { process.processIdentifier }

    func kill(_ signal: Int32 = SIGKILL) {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, signal) }
    }

    /// Waits for the end, killing the process after `timeout` seconds: a hang fails the test
    /// instead of blocking the suite. The timeout is generous on purpose; no test measures time.
    func wait(timeout: TimeInterval = 120, sourceLocation: SourceLocation = #_sourceLocation) -> Outcome {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            Issue.record("crm-replica \(process.arguments ?? []) still running after \(Int(timeout)) s; killed", sourceLocation: sourceLocation)
            kill()
        }
        process.waitUntilExit()
        let stdout = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let stderr = (try? Data(contentsOf: err)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        try? FileManager.default.removeItem(at: out)
        try? FileManager.default.removeItem(at: err)
        return Outcome(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                       stdout: stdout, stderr: stderr)
    }
}

/// A temporary directory holding one replica database and the input files of a test.
final class Workspace {
    let directory: URL
    var database: String { directory.appendingPathComponent("replica.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("reliability-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Runs `crm-replica arguments… --db <this workspace's database>` to the end.
    func run(_ arguments: [String], db: String? = nil, timeout: TimeInterval = 120,
             sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        try start(arguments, db: db).wait(timeout: timeout, sourceLocation: sourceLocation)
    }

    /// Starts `crm-replica arguments… --db <database>` and returns at once.
    func start(_ arguments: [String], db: String? = nil) throws -> RunningCommand {
        try RunningCommand(arguments + ["--db", db ?? database], in: directory)
    }

    /// Runs a command that must succeed, failing the test with its output otherwise.
    @discardableResult
    func succeed(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        let outcome = try run(arguments, sourceLocation: sourceLocation)
        #expect(outcome.status == 0 && !outcome.signalled, "\(arguments): \(outcome)", sourceLocation: sourceLocation)
        return outcome
    }

    /// The size of `<database>-wal`, 0 when there is none.
    var walSize: Int {
        ((try? FileManager.default.attributesOfItem(atPath: database + "-wal"))?[.size] as? NSNumber)?.intValue ?? 0
    }
}

/// Every row of every table, the schema and the user version, in a stable order: two dumps are
/// equal exactly when the database content is. Read through a read-only connection, which
/// never waits on a writer and sees only committed data.
struct DatabaseDump: Equatable, CustomStringConvertible {
    let userVersion: Int
    let schema: [String]
    /// Table name → its rows, each row rendered as text, sorted.
    let tables: [String: [String]]

    init(path: String) throws {
        let db = try Database(path: path, mode: .readOnly)
        userVersion = try db.schemaVersion
        schema = try db.statement("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
            .rows { $0.text(0) ?? "" }
        let names = try db.statement("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").rows { $0.text(0) ?? "" }
        var tables: [String: [String]] = [:]
        for name in names {
            // The name comes from sqlite_master, quoted as an identifier.
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            tables[name] = try db.statement("SELECT * FROM \(quoted)").rows { row in
                (0..<row.columnCount).map { row.value($0).description }.joined(separator: "|")
            }.sorted()
        }
        self.tables = tables
    }

    func count(_ table: String) -> Int { tables[table]?.count ?? -1 }

    var description: String {
        "user_version \(userVersion); " + tables.keys.sorted().map { "\($0): \(tables[$0]?.count ?? 0) rows" }.joined(separator: ", ")
    }

    /// The tables whose rows differ from `other`'s, for failure messages.
    func differences(from other: DatabaseDump) -> [String] {
        var names = Set(tables.keys).union(other.tables.keys).filter { tables[$0] != other.tables[$0] }.sorted()
        if schema != other.schema { names.insert("(schema)", at: 0) }
        if userVersion != other.userVersion { names.insert("(user_version)", at: 0) }
        return names
    }
}

/// `PRAGMA integrity_check` and `PRAGMA foreign_key_check` through a fresh connection.
func integrityCheck(_ path: String) throws -> String {
    let db = try Database(path: path, mode: .readOnly)
    let result = try db.statement("PRAGMA integrity_check").rows { $0.text(0) ?? "" }.joined(separator: "; ")
    let foreignKeys = try db.statement("PRAGMA foreign_key_check").rows { _ in 1 }.count
    return foreignKeys == 0 ? result : result + "; \(foreignKeys) foreign key violations"
}

/// Expects a database dump identical to `before`.
func expectUnchanged(_ path: String, since before: DatabaseDump, _ context: @autoclosure () -> String,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
    let after = try DatabaseDump(path: path)
    #expect(after == before, "\(context()): the database changed in \(after.differences(from: before))",
            sourceLocation: sourceLocation)
}

/// Polls `condition` until it holds or `timeout` passes (a guard against hangs, not a measurement).
@discardableResult
func waitUntil(timeout: TimeInterval = 120, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        if Date() > deadline { return false }
        usleep(5_000)
    }
    return true
}

/// Zoho-style 19-digit ids: `base + n`.
func zohoID(_ n: Int, base: Int = 5_725_767_000_100_000_000) -> String { String(base + n) }

/// A UI export CSV of `rows` contacts with ids `zohoID(start…)`, written in chunks so that a
/// large file costs little memory.
func writeContactsCSV(_ url: URL, rows: Int, start: Int = 0, base: Int = 5_725_767_000_100_000_000) throws {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    var chunk = "Record Id,First Name,Last Name,Email,Phone,Contact Owner\n"
    for n in start..<(start + rows) {
        chunk += "\(base + n),First\(n),Last\(n),person\(n)@example.com,+1 555 \(n),Pat Boyle\n"
        if chunk.utf8.count > 1 << 20 {
            try handle.write(contentsOf: Data(chunk.utf8))
            chunk = ""
        }
    }
    try handle.write(contentsOf: Data(chunk.utf8))
}

/// A small org every test can start from: three contacts, a lead, a campaign with a member and
/// a recycle-bin row, loaded through the binary.
enum SmallOrg {
    static let contacts = """
        Record Id,First Name,Last Name,Email,Secondary Email,Phone,Contact Owner
        5725767000000524157,Ann,Lee,ann@example.com,,+1 555 0100,Pat Boyle
        5725767000000524158,Bob,Ray,bob@example.com,bob.ray@example.org,+1 555 0101,Pat Boyle
        5725767000000524159,Cy,Doe,cy@example.com,,,Pat Boyle

        """
    static let leads = """
        Record Id,First Name,Last Name,Email,Company,Lead Owner
        5725767000000600001,Dee,Fox,dee@example.com,Acme,Pat Boyle

        """
    static let campaigns = #"{"data":[{"id":"5725767000002000001","Campaign_Name":"Spring"}]}"#
    static let members = """
        Campaign Id,Member Id,Member Module,Member Status
        5725767000002000001,5725767000000524157,Contacts,Invited

        """
    static let deleted = """
        {"data":[{"id":"5725767000000700001","display_name":"Old Contact","type":"recycle",
        "deleted_time":"2026-11-20T09:00:00+00:00","deleted_by":{"name":"Admin","id":"5725767000000411001"},
        "created_by":{"name":"Admin","id":"5725767000000411001"}}],"info":{"more_records":false}}
        """

    /// Loads the org into `workspace`'s database; returns the counts it should show.
    @discardableResult
    static func load(into workspace: Workspace, contacts withContacts: Bool = true,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Int] {
        // In a directory of their own, so that a test's own `Contacts.csv` does not clash.
        try FileManager.default.createDirectory(atPath: workspace.path("org"), withIntermediateDirectories: true)
        let files = [
            try workspace.write("org/Contacts.csv", withContacts ? contacts : "Record Id,Last Name\n"),
            try workspace.write("org/Leads.csv", leads),
            try workspace.write("org/Campaigns.json", campaigns),
            try workspace.write("org/Campaign_Members.csv", members),
            try workspace.write("org/Contacts_deleted.json", deleted),
        ]
        try workspace.succeed(["load", "--quiet"] + files, sourceLocation: sourceLocation)
        return ["Contacts": withContacts ? 3 : 0, "Leads": 1, "Campaigns": 1, "campaign_members": 1, "recycle_bin": 1]
    }
}

/// `stats --json` as a dictionary of counts.
func stats(_ workspace: Workspace, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Int]? {
    let outcome = try workspace.run(["stats", "--json"], sourceLocation: sourceLocation)
    #expect(outcome.status == 0, "stats: \(outcome)", sourceLocation: sourceLocation)
    return (outcome.json as? [String: Any])?.compactMapValues { ($0 as? NSNumber)?.intValue }
}
