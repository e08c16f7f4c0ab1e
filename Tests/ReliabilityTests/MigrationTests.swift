import Foundation
import Persistence
import TestSupport
import Testing

/// A database from a newer crm-replica, or a file that is not a database at all: every command
/// refuses it with exit 2 and a message that says so, and leaves the file exactly as it was
/// (same bytes, no `-wal`, `-shm` or `-journal` beside it).
@Suite("Migrations: newer schemas and non-SQLite files are refused without writing")
struct MigrationTests {
    /// Every command that opens the database, with arguments that would otherwise succeed.
    static func commands(_ workspace: Workspace) throws -> [[String]] {
        let contacts = try workspace.write("Contacts_new.csv", "Record Id,Last Name,Email\n5725767000000524190,Ng,ng@example.com\n")
        let batch = try workspace.write("batch.json", #"{"data":[{"Last_Name":"Ng","Email":"ng@example.com"}]}"#)
        let log = try workspace.write("requests.ndjson", """
            {"method":"DELETE","path":"/crm/v8/Contacts?ids=5725767000000524157"}

            """)
        let answered = try workspace.write("answered.ndjson", """
            {"method":"POST","path":"/crm/v8/Contacts","body":{"data":[{"Last_Name":"Ng"}]},"response":{"data":[{"code":"SUCCESS","details":{"id":"5725767000000900001"},"message":"record added","status":"success"}]}}

            """)
        return [
            ["stats"], ["stats", "--json"],
            ["show", "5725767000000524157"], ["show", "5725767000000524157", "--json"],
            ["settings"], ["settings", "recycle_bin_counts"], ["settings", "recycle_bin_counts", "true"],
            ["load", contacts], ["load", contacts, "--json"],
            ["why", "ann@example.com"], ["why", "ann@example.com", "--json"], ["why", "ng@example.com", "--batch", batch, "--row", "0"],
            ["replay", batch, "--module", "Contacts"], ["replay", log, "--commit"], ["replay", log, "--json"],
            ["calibrate", answered], ["calibrate", answered, "--apply"],
            // Refuses the file before it binds, so it exits instead of serving.
            ["serve", "--port", "0"],
        ]
    }

    /// Commands that refuse any existing file as `--db` before opening it (`demo` builds a new
    /// replica): checked for exit 2 and an untouched file only.
    static let newFileCommands: [[String]] = [["demo"]]

    /// The files in the workspace's directory that belong to the database.
    static func databaseFiles(_ workspace: Workspace) throws -> [String] {
        let name = URL(fileURLWithPath: workspace.database).lastPathComponent
        return try FileManager.default.contentsOfDirectory(atPath: workspace.directory.path).filter { $0.hasPrefix(name) }.sorted()
    }

    /// A database written by "crm-replica 999": the org loaded, then `user_version` raised and
    /// the connection closed (which checkpoints the WAL and removes it).
    @Test func aNewerSchemaIsRefusedByEveryCommandAndTheFileIsNotWritten() throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        do {
            let db = try Database(path: workspace.database)
            try db.execute("PRAGMA user_version = 999")
        }
        #expect(try Self.databaseFiles(workspace) == ["replica.sqlite"], "the setup left only the database file")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: workspace.database))

        for command in try Self.commands(workspace) {
            let outcome = try workspace.run(command)
            #expect(!outcome.signalled && outcome.status == 2, "\(command): \(outcome)")
            #expect(outcome.stderr.contains("newer crm-replica") && outcome.stderr.contains("schema 999"), "\(command): \(outcome)")
            #expect(outcome.stderr.contains(workspace.database), "\(command) names the database: \(outcome)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: workspace.database)) == bytes, "\(command) changed the file")
            #expect(try Self.databaseFiles(workspace) == ["replica.sqlite"], "\(command) created files beside the database")
        }
        try Self.expectNewFileCommandsRefuse(workspace, bytes: bytes)
    }

    static func expectNewFileCommandsRefuse(_ workspace: Workspace, bytes: Data, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for command in newFileCommands {
            let outcome = try workspace.run(command)
            #expect(!outcome.signalled && outcome.status == 2, "\(command): \(outcome)", sourceLocation: sourceLocation)
            #expect(outcome.stderr.contains(workspace.database), "\(command) names the database: \(outcome)", sourceLocation: sourceLocation)
            #expect(try Data(contentsOf: URL(fileURLWithPath: workspace.database)) == bytes, "\(command) changed the file",
                    sourceLocation: sourceLocation)
            #expect(try databaseFiles(workspace) == ["replica.sqlite"], "\(command) created files beside the database",
                    sourceLocation: sourceLocation)
        }
    }

    /// A text file, a PNG header and random bytes given as `--db`: "not an SQLite file", exit 2,
    /// the file untouched.
    @Test(arguments: [
        ("text", Array("name,email\nann,ann@example.com\n".utf8)),
        ("png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0, count: 2000)),
        ("random", pseudoRandomBytes(8192, seed: 99)),
        ("short", Array("SQLite".utf8)),
    ])
    func aFileThatIsNotSQLiteIsRefused(_ kind: String, _ content: [UInt8]) throws {
        let workspace = try Workspace()
        try workspace.write("replica.sqlite", bytes: content)
        for command in try Self.commands(workspace) {
            let outcome = try workspace.run(command)
            #expect(!outcome.signalled && outcome.status == 2, "\(kind) \(command): \(outcome)")
            #expect(outcome.stderr.contains("not a crm-replica database (not an SQLite file)"), "\(kind) \(command): \(outcome)")
            #expect(outcome.stderr.contains(workspace.database), "\(command) names the database: \(outcome)")
            #expect(try Data(contentsOf: URL(fileURLWithPath: workspace.database)) == Data(content), "\(kind) \(command) changed the file")
            #expect(try Self.databaseFiles(workspace) == ["replica.sqlite"], "\(kind) \(command) created files beside it")
        }
        try Self.expectNewFileCommandsRefuse(workspace, bytes: Data(content))
    }

    /// A database file cut short (a copy interrupted half-way): an error naming the file, exit 2,
    /// never a crash.
    @Test func aTruncatedDatabaseIsAnErrorNotACrash() throws {
        let workspace = try Workspace()
        try SmallOrg.load(into: workspace)
        let whole = try Data(contentsOf: URL(fileURLWithPath: workspace.database))
        #expect(whole.count > 8192)
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: workspace.database))
        for command in try Self.commands(workspace) {
            let outcome = try workspace.run(command)
            #expect(!outcome.signalled, "\(command) crashed: \(outcome)")
            #expect(outcome.status == 2 && outcome.stderr.hasPrefix("crm-replica: error: "), "\(command): \(outcome)")
            #expect(outcome.stderr.contains("\(workspace.database) is damaged"), "\(command): \(outcome)")
        }
    }

    /// `--db` naming a directory, or a file in a directory that does not exist: exit 2 with the
    /// path, nothing created.
    @Test func aDatabasePathThatCannotBeADatabase() throws {
        let workspace = try Workspace()
        let directory = workspace.path("replica-dir.sqlite")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for db in [directory, workspace.path("missing/replica.sqlite")] {
            for command in try Self.commands(workspace) {
                let outcome = try workspace.run(command, db: db)
                #expect(!outcome.signalled && outcome.status == 2, "\(command) --db \(db): \(outcome)")
                #expect(outcome.stderr.hasPrefix("crm-replica: error: ") && outcome.stderr.contains(db), "\(command): \(outcome)")
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: workspace.path("missing")))
    }

    /// Every command that takes `--db` is in the lists above, so a new command cannot skip
    /// these checks unnoticed.
    @Test func everyDatabaseCommandIsCovered() throws {
        let workspace = try Workspace()
        let help = try RunningCommand(["--help"], in: workspace.directory).wait()
        let section = help.stdout.components(separatedBy: "SUBCOMMANDS:").last ?? ""
        let names = section.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
            return line.split(separator: " ").first.map(String.init)
        }
        #expect(names.contains("load") && names.contains("replay"), "\(help)")
        let covered = Set(try (Self.commands(workspace) + Self.newFileCommands).map { $0[0] })
        for name in names where !covered.contains(name) {
            let commandHelp = try RunningCommand([name, "--help"], in: workspace.directory).wait()
            #expect(!commandHelp.stdout.contains("--db"), "`\(name)` opens a database but is not in MigrationTests.commands")
        }
    }
}
