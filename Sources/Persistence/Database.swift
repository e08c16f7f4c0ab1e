import CSQLite
import Foundation

/// One SQLite connection with its statement cache. Not Sendable: one owner per connection,
/// which also makes `SQLITE_OPEN_NOMUTEX` safe.
public final class Database {
    public enum Mode: Sendable {
        /// Creates the file when missing and applies pending migrations.
        case readWrite
        /// For commands that only read: never waits on a running load (WAL readers don't block).
        case readOnly
    }

    public let path: String
    public let mode: Mode
    let connection: SQLiteConnection
    private var cache: [String: Statement] = [:]
    /// When set, every bound statement is recorded (for `why --show-sql`).
    public var queryLog: QueryLog? {
        didSet { for statement in cache.values { statement.log = queryLog } }
    }

    /// Opens (and for `.readWrite` creates and migrates) the database at `path`.
    public init(path: String, mode: Mode = .readWrite, busyTimeout: Int32 = 5000) throws {
        self.path = path
        self.mode = mode
        if mode == .readOnly, !FileManager.default.fileExists(atPath: path) {
            throw PersistenceError.readOnlyMissing(path: path)
        }
        var handle: SQLiteConnection?
        let flags = (mode == .readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw DatabaseError(code: ResultCode(rawValue: code), message: "cannot open \(path): \(message)")
        }
        connection = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeout)
        try setUp()
    }

    deinit {
        cache.removeAll()
        // close_v2 waits for any statement still alive elsewhere instead of failing.
        sqlite3_close_v2(connection)
    }

    private func setUp() throws {
        // A file that is not SQLite fails here, before anything is written to it.
        do {
            _ = try scalarInt("SELECT count(*) FROM sqlite_master")
        } catch let error as DatabaseError where ResultCode.notADatabase ~= error.code {
            throw PersistenceError.notADatabase(path: path)
        }
        try Migrator.checkNotNewer(self)
        if mode == .readWrite {
            // WAL: readers never wait on a writer; NORMAL is corruption-safe under WAL and
            // only risks the last commits on power loss, which a re-load restores.
            let journal = try scalarText("PRAGMA journal_mode = WAL")
            if journal?.lowercased() != "wal" && path != ":memory:" {
                throw DatabaseError(code: .error, message: "could not switch \(path) to WAL (journal_mode is \(journal ?? "unknown"))")
            }
            try execute("PRAGMA synchronous = NORMAL")
            try execute("PRAGMA foreign_keys = ON")
            try Migrator.migrate(self)
        } else {
            try execute("PRAGMA foreign_keys = ON")
            try Migrator.checkCurrent(self)
        }
    }

    // MARK: Statements

    /// Runs SQL that may hold several statements and no parameters (schema, pragmas).
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(connection, sql, nil, nil, &error)
        if code != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(connection))
            sqlite3_free(error)
            throw DatabaseError(code: ResultCode(rawValue: sqlite3_extended_errcode(connection)), message: message, sql: sql)
        }
    }

    /// The cached statement for `sql`, prepared once per connection and reused by rebinding.
    public func statement(_ sql: String) throws -> Statement {
        if let cached = cache[sql] { return cached }
        let statement = try Statement(connection: connection, sql: sql, persistent: true)
        statement.log = queryLog
        cache[sql] = statement
        return statement
    }

    /// Runs one statement with arguments.
    public func run(_ sql: String, _ arguments: [SQLValue] = []) throws {
        try statement(sql).run(arguments)
    }

    public func scalarInt(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int {
        try statement(sql).firstRow(arguments) { $0.int(0) } ?? 0
    }

    public func scalarText(_ sql: String, _ arguments: [SQLValue] = []) throws -> String? {
        try statement(sql).firstRow(arguments) { $0.text(0) } ?? nil
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(connection)) }
    public var isInTransaction: Bool { sqlite3_get_autocommit(connection) == 0 }

    // MARK: Transactions

    /// Runs `body` in a write transaction: commit on return, rollback on a thrown error.
    /// Begins IMMEDIATE: under WAL a deferred transaction that later writes can hit a busy
    /// error that no busy timeout rescues. Nested calls become savepoints.
    public func write<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try savepoint(body) }
        try begin()
        let result: T
        do {
            result = try body()
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        do {
            try execute("COMMIT")
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
        return result
    }

    /// Runs `body` in a write transaction that is always rolled back: a dry run sees its own
    /// writes while it runs, and leaves the database as it found it.
    public func dryRun<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction {
            try execute("SAVEPOINT dry_run")
            defer { try? execute("ROLLBACK TO dry_run; RELEASE dry_run") }
            return try body()
        }
        try begin()
        defer { try? execute("ROLLBACK") }
        return try body()
    }

    private func savepoint<T>(_ body: () throws -> T) throws -> T {
        try execute("SAVEPOINT nested")
        do {
            let result = try body()
            try execute("RELEASE nested")
            return result
        } catch {
            try? execute("ROLLBACK TO nested; RELEASE nested")
            throw error
        }
    }

    private func begin() throws {
        do {
            try execute("BEGIN IMMEDIATE")
        } catch let error as DatabaseError where ResultCode.busy ~= error.code {
            throw PersistenceError.busy(path: path)
        }
    }
}
