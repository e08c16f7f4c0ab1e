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
    private let busyTimeout: Int32
    private var cache: [String: Statement] = [:]
    /// When set, every bound statement is recorded (for `why --show-sql`).
    public var queryLog: QueryLog? {
        didSet { for statement in cache.values { statement.log = queryLog } }
    }

    /// Opens (and for `.readWrite` creates and migrates) the database at `path`.
    public init(path: String, mode: Mode = .readWrite, busyTimeout: Int32 = 5000) throws {
        self.path = path
        self.mode = mode
        self.busyTimeout = busyTimeout
        try Self.checkPath(path, mode: mode)
        try Self.checkHeader(path: path)
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

    /// SQLite's own words for a folder or a missing parent folder ("disk I/O error", "unable to
    /// open database file", "could not switch to WAL") say nothing a user can act on.
    private static func checkPath(_ path: String, mode: Mode) throws {
        guard path != ":memory:", !path.hasPrefix("file:") else { return }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if isFolder.boolValue { throw PersistenceError.isDirectory(path: path) }
            return
        }
        if mode == .readOnly { throw PersistenceError.readOnlyMissing(path: path) }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) || !isFolder.boolValue {
            throw PersistenceError.missingFolder(path: path, folder: folder)
        }
    }

    /// Refuses a file that is not SQLite, or whose header says a newer schema, before SQLite opens
    /// it: opening a WAL database, even read-only, creates `-wal` and `-shm` files beside it, and
    /// a refused file must be left exactly as it was. (`setUp` checks again through SQLite, which
    /// also sees a version still in the WAL.) The header is 100 bytes: the magic string, and the
    /// user version big-endian at offset 60. An empty file is a new database.
    private static func checkHeader(path: String) throws {
        guard path != ":memory:", !path.hasPrefix("file:"), let file = FileHandle(forReadingAtPath: path) else { return }
        defer { try? file.close() }
        guard let header = try? file.read(upToCount: 100), !header.isEmpty else { return }
        let magic = Array("SQLite format 3\0".utf8)
        guard header.count >= magic.count, Array(header.prefix(magic.count)) == magic else {
            throw PersistenceError.notADatabase(path: path)
        }
        guard header.count == 100 else { return }
        let version = Int(Int32(bitPattern: header[60..<64].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }))
        if version > Migrator.latest { throw PersistenceError.newerSchema(path: path, found: version, supported: Migrator.latest) }
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
            throw DatabaseError(code: ResultCode(rawValue: sqlite3_extended_errcode(connection)), message: message, sql: sql,
                                file: path == ":memory:" ? nil : path)
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

    /// Runs `body` in a deferred transaction that is rolled back: several connections may run
    /// such dry runs on one file at once, each on its own snapshot (WAL), as long as `body` only
    /// reads; a write takes the write lock for the rest of that run, so writing runs take turns.
    public func sharedDryRun<T>(_ body: () throws -> T) throws -> T {
        precondition(!isInTransaction, "a shared dry run starts its own transaction")
        try execute("BEGIN DEFERRED")
        defer { try? execute("ROLLBACK") }
        return try body()
    }

    /// True when another connection holds the write lock right now (a load or a committing
    /// replay is running). Asks without waiting: the busy timeout is off for the question.
    public func isWriteLocked() throws -> Bool {
        guard !isInTransaction else { return false }
        sqlite3_busy_timeout(connection, 0)
        defer { sqlite3_busy_timeout(connection, busyTimeout) }
        do {
            try execute("BEGIN IMMEDIATE")
            try execute("ROLLBACK")
            return false
        } catch let error as DatabaseError where ResultCode.busy ~= error.code {
            return true
        }
    }

    /// A writable in-memory copy of this database's last committed state (SQLite's backup API,
    /// in one read transaction, so a writer in another process neither blocks it nor shows
    /// through). For a dry run while a long load holds the write lock; it costs memory the size
    /// of the database.
    public func memoryCopy() throws -> Database {
        let copy = try Database(path: ":memory:")
        guard let backup = sqlite3_backup_init(copy.connection, "main", connection, "main") else {
            throw DatabaseError(code: ResultCode(rawValue: sqlite3_extended_errcode(copy.connection)),
                                message: "cannot copy \(path) into memory: \(String(cString: sqlite3_errmsg(copy.connection)))")
        }
        let code = sqlite3_backup_step(backup, -1)
        sqlite3_backup_finish(backup)
        guard code == SQLITE_DONE else {
            throw DatabaseError(code: ResultCode(rawValue: code), message: "cannot copy \(path) into memory: \(String(cString: sqlite3_errstr(code)))")
        }
        // Statements cached while the empty copy was migrated were prepared for its old schema.
        copy.cache.removeAll()
        return copy
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
