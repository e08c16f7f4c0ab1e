import Foundation
import Migrations
import Testing
@testable import Persistence

/// A fresh directory per test, removed afterwards: every test opens real SQLite files.
final class TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("crm-replica-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

struct DatabaseTests {
    @Test func createsMigratedWALDatabase() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("replica.sqlite"))
        #expect(try db.schemaVersion == Database.latestSchemaVersion)
        #expect(try db.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try db.scalarInt("PRAGMA foreign_keys") == 1)
        let tables = Set(try db.statement("SELECT name FROM sqlite_master WHERE type = 'table'").rows { $0.text(0) ?? "" })
        for table in ["contacts", "leads", "recycle_bin", "campaigns", "campaign_members", "fields",
                      "duplicate_check_preference", "settings", "import_log"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
    }

    @Test func everyMigrationFileIsListedInOrder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(SchemaMigrations.all.map(\.name) == files)
        // The version is the file's number: a number held by a change not merged yet leaves a gap.
        #expect(SchemaMigrations.all.map(\.version) == files.compactMap { Int($0.prefix(3)) })
        for migration in SchemaMigrations.all {
            let text = try String(contentsOf: folder.appendingPathComponent(migration.name), encoding: .utf8)
            #expect(migration.sql == text)
        }
    }

    @Test func olderDatabaseIsUpgraded() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("old.sqlite")
        do {
            let db = try Database(path: path)
            // Simulate a file written before schema 1: nothing but a version of 0.
            let tables = try db.statement("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").rows([]) { $0.text(0) ?? "" }
            for table in tables {
                try db.execute("DROP TABLE \(table)")
            }
            try db.execute("PRAGMA user_version = 0")
        }
        let reopened = try Database(path: path)
        #expect(try reopened.schemaVersion == Database.latestSchemaVersion)
        #expect(try reopened.scalarInt("SELECT count(*) FROM contacts") == 0)
    }

    /// Schema 7 rebuilds the live tables without the columns no index used: a schema-6 file keeps
    /// every row's record, keys and near-miss keys, and ends with exactly a new file's tables and
    /// indexes.
    @Test func schemaSevenNarrowsTheLiveTablesAndKeepsTheirRows() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("six.sqlite")
        do {
            let db = try Database(path: path)
            let tables = try db.statement("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").rows([]) { $0.text(0) ?? "" }
            for table in tables { try db.execute("DROP TABLE \(table)") }
            for migration in SchemaMigrations.all where migration.version <= 6 { try db.execute(migration.sql) }
            try db.execute("PRAGMA user_version = 6")
            try db.run("""
                INSERT INTO contacts (id, Email, Secondary_Email, Phone, First_Name, Last_Name, Owner_Name, Owner_Id, Created_Time,
                                      Modified_Time, email_key, secondary_email_key, phone_key, data)
                VALUES ('5725767000000100001', 'Ann@Example.com', NULL, '555', 'Ann', 'Lee', 'Pat', '42', 't1', 't2', NULL, NULL, NULL, ?)
                """, [.text(#"{"id":"5725767000000100001","Email":"Ann@Example.com","Phone":"555","Owner":"Pat"}"#)])
            try db.run("INSERT INTO leads (id, Email, email_key, Last_Name, data) VALUES ('5725767000000100002', 'b\u{430}@x.org', 'ba@x.org', 'Bo', '{}')")
            try db.run("INSERT INTO campaigns (id, Campaign_Name, campaign_name_key, Owner_Name, data) VALUES ('5725767000000100003', 'Spring', 'spring', 'Pat', '{}')")
        }
        let upgraded = try Database(path: path)
        #expect(try upgraded.schemaVersion == Database.latestSchemaVersion)
        let fresh = try Database(path: dir.path("fresh.sqlite"))
        func shape(_ db: Database) throws -> [String] {
            try db.statement("SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('contacts', 'leads', 'campaigns') ORDER BY name")
                .rows { "\($0.text(0) ?? "") \($0.text(1) ?? "") \(($0.text(2) ?? "").replacingOccurrences(of: "_007", with: ""))" }
        }
        #expect(try shape(upgraded) == shape(fresh))
        let columns = try upgraded.statement("SELECT name FROM pragma_table_info('contacts')").rows { $0.text(0) ?? "" }
        #expect(columns == ["id", "Email", "email_key", "Secondary_Email", "secondary_email_key", "Phone", "phone_key", "data"])
        let ann = try upgraded.statement("SELECT Email, coalesce(Secondary_Email, 'NULL'), Phone, data FROM contacts").rows {
            [$0.text(0), $0.text(1), $0.text(2), $0.text(3)]
        }
        #expect(ann == [["Ann@Example.com", "NULL", "555", #"{"id":"5725767000000100001","Email":"Ann@Example.com","Phone":"555","Owner":"Pat"}"#]])
        #expect(try upgraded.scalarText("SELECT email_key FROM leads WHERE Email = ?", ["b\u{430}@x.org"]) == "ba@x.org")
        #expect(try upgraded.scalarText("SELECT id FROM campaigns WHERE Campaign_Name = 'SPRING' COLLATE NOCASE") == "5725767000000100003")
    }

    @Test func newerDatabaseIsRefusedWithoutWriting() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("newer.sqlite")
        do {
            let db = try Database(path: path)
            try db.execute("PRAGMA user_version = 999; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: PersistenceError.newerSchema(path: path, found: 999, supported: Database.latestSchemaVersion)) {
            _ = try Database(path: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func fileThatIsNotSQLiteFailsEarly() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("notes.txt")
        let text = Data(String(repeating: "this is not a database\n", count: 200).utf8)
        try text.write(to: URL(fileURLWithPath: path))
        #expect(throws: PersistenceError.notADatabase(path: path)) { _ = try Database(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)
    }

    @Test func readOnlyOpeningOfAMissingFileSaysSo() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("missing.sqlite")
        #expect(throws: PersistenceError.readOnlyMissing(path: path)) { _ = try Database(path: path, mode: .readOnly) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func readOnlyConnectionCannotWrite() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("r.sqlite")
        _ = try Database(path: path)
        let reader = try Database(path: path, mode: .readOnly)
        do {
            try reader.run("INSERT INTO settings (key, value) VALUES ('x', 'y')")
            Issue.record("a read-only connection wrote")
        } catch let error as DatabaseError {
            #expect(ResultCode.readonly ~= error.code)
        }
    }

    @Test func transactionRollsBackOnThrow() throws {
        struct Boom: Error {}
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("t.sqlite"))
        #expect(throws: Boom.self) {
            try db.write {
                try db.run("INSERT INTO settings (key, value) VALUES (?, ?)", ["match", "unicode"])
                throw Boom()
            }
        }
        #expect(try db.scalarInt("SELECT count(*) FROM settings") == 0)
        #expect(!db.isInTransaction)
        try db.write { try db.run("INSERT INTO settings (key, value) VALUES (?, ?)", ["match", "unicode"]) }
        #expect(try db.scalarText("SELECT value FROM settings WHERE key = 'match'") == "unicode")
    }

    @Test func nestedWriteIsASavepoint() throws {
        struct Boom: Error {}
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("n.sqlite"))
        try db.write {
            try db.run("INSERT INTO settings (key, value) VALUES ('a', '1')")
            try? db.write {
                try db.run("INSERT INTO settings (key, value) VALUES ('b', '2')")
                throw Boom()
            }
        }
        #expect(try db.statement("SELECT key FROM settings ORDER BY key").rows { $0.text(0) ?? "" } == ["a"])
    }

    @Test func dryRunLeavesNothingBehind() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("d.sqlite"))
        let seen = try db.dryRun { () -> Int in
            try db.run("INSERT INTO settings (key, value) VALUES ('a', '1')")
            return try db.scalarInt("SELECT count(*) FROM settings")
        }
        #expect(seen == 1)
        #expect(try db.scalarInt("SELECT count(*) FROM settings") == 0)
    }

    @Test func errorsCarryExtendedCodeMessageAndSQL() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("e.sqlite"))
        let sql = "INSERT INTO settings (key, value) VALUES (?, ?)"
        try db.run(sql, ["match", "nocase"])
        do {
            try db.run(sql, ["match", "secret-value"])
            Issue.record("expected a constraint error")
        } catch let error as DatabaseError {
            #expect(error.code == .constraintPrimaryKey || error.code == .constraintUnique)
            #expect(ResultCode.constraint ~= error.code)
            #expect(!(ResultCode.constraintUnique ~= ResultCode.constraintPrimaryKey))
            #expect(error.message.lowercased().contains("unique constraint failed: settings.key"))
            #expect(error.sql == sql)
            #expect(error.description.contains(sql))
            #expect(!error.description.contains("secret-value"))
        }
        do {
            try db.run("SELECT nope FROM nowhere")
            Issue.record("expected a prepare error")
        } catch let error as DatabaseError {
            #expect(error.message.contains("no such table: nowhere"))
            #expect(error.sql == "SELECT nope FROM nowhere")
        }
    }

    @Test func statementsAreCachedAndValuesBoundNotPasted() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("s.sqlite"))
        let sql = "SELECT value FROM settings WHERE key = ?"
        #expect(try db.statement(sql) === db.statement(sql))
        let hostile = "x'); DROP TABLE contacts; --"
        try db.run("INSERT INTO settings (key, value) VALUES (?, ?)", [.text(hostile), .text("a\u{0}b")])
        #expect(try db.scalarText(sql, [.text(hostile)]) == "a\u{0}b")
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'contacts'") == 1)
    }

    @Test func queryLogRecordsStatementsAndArguments() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("q.sqlite"))
        db.queryLog = QueryLog()
        _ = try db.scalarText("SELECT id FROM contacts WHERE Email = ? COLLATE NOCASE", ["Ann@Example.com"])
        #expect(db.queryLog?.entries == [QueryLog.Entry(sql: "SELECT id FROM contacts WHERE Email = ? COLLATE NOCASE", arguments: ["Ann@Example.com"])])
    }

    @Test func nocaseFoldsASCIIOnlyThroughTheIndex() throws {
        let dir = try TemporaryDirectory()
        let db = try Database(path: dir.path("c.sqlite"))
        for (id, email) in [("1", "Ann@Example.com"), ("2", "Émile@x.io")] {
            try db.run("INSERT INTO contacts (id, Email, data) VALUES (?, ?, '{}')", [.text(id), .text(email)])
        }
        let find = "SELECT id FROM contacts WHERE Email = ? COLLATE NOCASE"
        #expect(try db.scalarText(find, ["ann@example.COM"]) == "1")
        #expect(try db.scalarText(find, ["émile@x.io"]) == nil)
        let plan = try db.statement("EXPLAIN QUERY PLAN " + find).rows(["x"]) { $0.text(3) ?? "" }.joined(separator: " ")
        #expect(plan.contains("USING INDEX contacts_email") || plan.contains("USING COVERING INDEX contacts_email"))
    }

    @Test func secondWriterGetsAClearBusyError() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("busy.sqlite")
        let first = try Database(path: path)
        let second = try Database(path: path, busyTimeout: 50)
        try first.execute("BEGIN IMMEDIATE")
        #expect(throws: PersistenceError.busy(path: path)) { try second.write {} }
        try first.execute("ROLLBACK")
        try second.write { try second.run("INSERT INTO settings (key, value) VALUES ('k', 'v')") }
    }
}
