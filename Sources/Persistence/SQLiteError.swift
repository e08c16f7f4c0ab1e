import Foundation
import CSQLite

/// An SQLite result code, primary or extended. `~=` lets a primary code match its whole family,
/// so `case .constraint:` catches SQLITE_CONSTRAINT_UNIQUE (2067) as well.
public struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public var primary: ResultCode { ResultCode(rawValue: rawValue & 0xFF) }
    public var description: String { String(cString: sqlite3_errstr(rawValue)) + " (\(rawValue))" }

    public static let error = ResultCode(rawValue: SQLITE_ERROR)
    public static let busy = ResultCode(rawValue: SQLITE_BUSY)
    public static let locked = ResultCode(rawValue: SQLITE_LOCKED)
    public static let readonly = ResultCode(rawValue: SQLITE_READONLY)
    public static let corrupt = ResultCode(rawValue: SQLITE_CORRUPT)
    public static let cantOpen = ResultCode(rawValue: SQLITE_CANTOPEN)
    public static let constraint = ResultCode(rawValue: SQLITE_CONSTRAINT)
    public static let notADatabase = ResultCode(rawValue: SQLITE_NOTADB)
    public static let constraintUnique = ResultCode(rawValue: 2067)
    public static let constraintPrimaryKey = ResultCode(rawValue: 1555)

    /// A primary pattern matches every extended code of its family; an extended one only itself.
    public static func ~= (pattern: ResultCode, code: ResultCode) -> Bool {
        pattern.rawValue == pattern.primary.rawValue ? pattern.primary == code.primary : pattern == code
    }
}

/// A failed SQLite call: the extended code, `sqlite3_errmsg` and the SQL that failed.
/// Bound values are kept out of `description` so a user's data never lands in a log by accident.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    public let code: ResultCode
    public let message: String
    public let sql: String?
    /// The database file, named in the description when the file itself is at fault.
    public let file: String?

    public init(code: ResultCode, message: String, sql: String? = nil, file: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
        self.file = file
    }

    /// The last error of `connection`, with the file it has open.
    init(connection: SQLiteConnection, code: Int32? = nil, sql: String?) {
        let file = sqlite3_db_filename(connection, "main").map { String(cString: $0) }
        self.init(code: ResultCode(rawValue: code ?? sqlite3_extended_errcode(connection)),
                  message: String(cString: sqlite3_errmsg(connection)), sql: sql, file: file.flatMap { $0.isEmpty ? nil : $0 })
    }

    public var description: String {
        var text = "SQLite error \(code.rawValue): \(message)"
        if let sql { text += " - while executing `\(sql)`" }
        if let file, ResultCode.corrupt ~= code || ResultCode.notADatabase ~= code {
            return "\(file) is damaged (\(text)); restore it from a copy, or load the exports again into a new replica (--db NEW_PATH)"
        }
        return text
    }
}

/// Errors of this layer that are not SQLite's own.
public enum PersistenceError: Error, CustomStringConvertible, Sendable, Equatable {
    case notADatabase(path: String)
    case newerSchema(path: String, found: Int, supported: Int)
    case busy(path: String)
    case readOnlyMissing(path: String)
    case isDirectory(path: String)
    case missingFolder(path: String, folder: String)

    public var description: String {
        switch self {
        case .notADatabase(let path):
            return "\(path) is not a crm-replica database (not an SQLite file); pass another --db path"
        case .newerSchema(let path, let found, let supported):
            return "\(path) was written by a newer crm-replica (schema \(found), this build knows up to \(supported)); upgrade crm-replica to open it"
        case .busy(let path):
            return "database is busy: another crm-replica process is writing \(path); try again when it has finished"
        case .readOnlyMissing(let path):
            return "\(path) does not exist; load an export first (crm-replica load FILE --db \(path))"
        case .isDirectory(let path):
            let file = (path as NSString).appendingPathComponent("crm-replica.sqlite")
            return "\(path) is a folder, not a database file; give a file path, for example --db \(file)"
        case .missingFolder(let path, let folder):
            return "cannot create \(path): the folder \(folder) does not exist; create it or give another --db path"
        }
    }
}
