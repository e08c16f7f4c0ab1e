import Catalogue
import Formats
import Foundation
import Persistence

/// The `import_log` table: which bytes (SHA-256) built or changed the replica, and what they did.
/// `load` writes a row per file, a committed `replay` a row per input file, `calibrate --apply` a
/// row per input whose real answers decided settings.
public enum ImportLog {
    public enum Kind: String, Sendable { case load, replay, calibrate }

    public struct Entry: Sendable {
        public var kind: Kind
        public var source: String
        public var sha256: String
        public var module: Module?
        public var format: String
        public var read = 0, inserted = 0, updated = 0, unchanged = 0, rejected = 0

        public init(kind: Kind, source: String, sha256: String, module: Module?, format: String) {
            self.kind = kind
            self.source = source
            self.sha256 = sha256
            self.module = module
            self.format = format
        }
    }

    /// Appends `entry`, its source as a standardized absolute path, stamped with the current time.
    public static func append(_ db: Database, _ entry: Entry, at time: Date = Date()) throws {
        try db.run("""
            INSERT INTO import_log (kind, source, sha256, module, format, read, inserted, updated, unchanged, rejected, at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(entry.kind.rawValue), .text(URL(fileURLWithPath: entry.source).standardizedFileURL.path), .text(entry.sha256),
                  SQLValue(entry.module?.rawValue), .text(entry.format), .integer(Int64(entry.read)), .integer(Int64(entry.inserted)),
                  .integer(Int64(entry.updated)), .integer(Int64(entry.unchanged)), .integer(Int64(entry.rejected)),
                  .text(Timestamps.format(time))])
    }
}

extension ImportLog {
    /// The newest `load` of `module` in one of `formats` (the record exports): its file and when it
    /// was loaded, for "load a newer export".
    public static func latestLoad(_ db: Database, module: Module, formats: [String]) throws -> (source: String, at: String)? {
        try db.statement("""
            SELECT source, at FROM import_log WHERE kind = 'load' AND module = ? AND format IN (SELECT value FROM json_each(?))
            ORDER BY seq DESC LIMIT 1
            """).rows([.text(module.rawValue), .text(JSON.write(.array(formats.map(JSONValue.string))))]) { ($0.text(0) ?? "", $0.text(1) ?? "") }.first
    }

    /// When the replica last took in a file (a load, or a committed replay): the server's
    /// `settings/modules` answers 304 to an `If-Modified-Since` later than this.
    public static func latest(_ db: Database) throws -> Date? {
        try db.scalarText("SELECT max(at) FROM import_log").flatMap(Timestamps.parse)
    }
}
