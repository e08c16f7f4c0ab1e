import CSQLite

public typealias SQLiteConnection = OpaquePointer
public typealias SQLiteStatement = OpaquePointer

/// A value bound to, or read from, SQLite. Integers stay 64-bit end to end (Zoho ids do not fit 32 bits).
public enum SQLValue: Equatable, Hashable, Sendable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
        }
    }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
    /// `nil` becomes NULL, so optional key columns bind without ceremony.
    public init(_ text: String?) { self = text.map(SQLValue.text) ?? .null }
}

/// Records the statements run and their arguments, for `why --show-sql`.
public final class QueryLog {
    public struct Entry: Equatable {
        public let sql: String
        public let arguments: [SQLValue]
    }
    public private(set) var entries: [Entry] = []
    public init() {}
    func append(_ sql: String, _ arguments: [SQLValue]) { entries.append(Entry(sql: sql, arguments: arguments)) }
}

/// A prepared statement. Finalized by `deinit`; reused by resetting and rebinding.
/// Not Sendable: a statement belongs to the connection that prepared it.
public final class Statement {
    public let sql: String
    let handle: SQLiteStatement
    private let connection: SQLiteConnection
    var log: QueryLog?

    init(connection: SQLiteConnection, sql: String, persistent: Bool) throws {
        var statement: SQLiteStatement?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(connection, sql, -1, flags, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(connection: connection, sql: sql)
        }
        self.sql = sql
        self.handle = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(handle) }

    /// Resets the statement and binds `arguments` to parameters 1…n.
    public func bind(_ arguments: [SQLValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in arguments.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
        log?.append(sql, arguments)
    }

    public func bind(_ value: SQLValue, at index: Int32) throws {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
        case .real(let number): code = sqlite3_bind_double(handle, index, number)
        case .text(let text):
            var text = text
            code = text.withUTF8 { bytes in bindCopy(UnsafeRawBufferPointer(bytes), at: index) }
        }
        try check(code)
    }

    /// Binds UTF-8 bytes that SQLite copies, without building a `String` first (the load hot path).
    public func bindText(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int32) throws {
        try check(bindCopy(UnsafeRawBufferPointer(bytes), at: index))
    }

    /// Binds UTF-8 bytes that SQLite reads where they are (STATIC), without copying them: the
    /// caller keeps `bytes` alive and unchanged until it has stepped the statement and called
    /// `releaseBindings`. For the bulk load, whose rows sit in the parse thread's batch for as
    /// long as they are written: the copy TRANSIENT makes was 12% of that thread's instructions.
    public func bindBorrowedText(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int32) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return try check(bindCopy(UnsafeRawBufferPointer(bytes), at: index)) }
        try check(sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil))
    }

    /// Resets the statement and clears its bindings, so that it holds no pointer to borrowed bytes.
    public func releaseBindings() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds text SQLite copies (TRANSIENT); an empty value binds as '' rather than NULL.
    private func bindCopy(_ bytes: UnsafeRawBufferPointer, at index: Int32) -> Int32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            return sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
        }
        return sqlite3_bind_text(handle, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), csqlite_transient())
    }

    /// Steps once: true when a row is available.
    @discardableResult
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = DatabaseError(connection: connection, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Runs the statement to completion with `arguments`.
    public func run(_ arguments: [SQLValue] = []) throws {
        try bind(arguments)
        while try step() {}
        sqlite3_reset(handle)
    }

    /// Calls `body` for every row. The statement is reset afterwards, so a reader never holds
    /// its WAL snapshot open (which would stop checkpoints).
    public func forEachRow(_ arguments: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        try bind(arguments)
        defer { sqlite3_reset(handle) }
        while try step() { try body(Row(statement: self)) }
    }

    /// Every row, decoded by `decode`.
    public func rows<T>(_ arguments: [SQLValue] = [], _ decode: (Row) throws -> T) throws -> [T] {
        var result: [T] = []
        try forEachRow(arguments) { result.append(try decode($0)) }
        return result
    }

    /// The first row, decoded, or nil.
    public func firstRow<T>(_ arguments: [SQLValue] = [], _ decode: (Row) throws -> T) throws -> T? {
        try bind(arguments)
        defer { sqlite3_reset(handle) }
        return try step() ? decode(Row(statement: self)) : nil
    }

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else {
            throw DatabaseError(connection: connection, code: code, sql: sql)
        }
    }
}

@available(*, unavailable)
extension Statement: Sendable {}

/// The current row of a stepping statement; valid only inside the callback that received it.
public struct Row {
    let statement: Statement

    public var columnCount: Int32 { sqlite3_column_count(statement.handle) }

    public func isNull(_ index: Int32) -> Bool { sqlite3_column_type(statement.handle, index) == SQLITE_NULL }

    public func text(_ index: Int32) -> String? {
        // text first, then bytes, as SQLite documents; explicit length keeps embedded NULs.
        guard let pointer = sqlite3_column_text(statement.handle, index) else { return nil }
        let count = Int(sqlite3_column_bytes(statement.handle, index))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    public func int64(_ index: Int32) -> Int64 { sqlite3_column_int64(statement.handle, index) }
    public func int(_ index: Int32) -> Int { Int(sqlite3_column_int64(statement.handle, index)) }
    public func double(_ index: Int32) -> Double { sqlite3_column_double(statement.handle, index) }

    public func value(_ index: Int32) -> SQLValue {
        switch sqlite3_column_type(statement.handle, index) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(int64(index))
        case SQLITE_FLOAT: return .real(double(index))
        default: return .text(text(index) ?? "")
        }
    }

    public func columnName(_ index: Int32) -> String { String(cString: sqlite3_column_name(statement.handle, index)) }
}
