import Persistence

/// Every row of every table (or of the tables asked for), the schema and the user version, in a
/// stable order: two dumps are equal exactly when the database content is. Rows are sorted as
/// text rather than by key, so that tables without a unique first column compare reliably too.
public struct DatabaseDump: Equatable, CustomStringConvertible {
    public let userVersion: Int
    public let schema: [String]
    /// Table name → its rows, each row rendered as text, sorted.
    public let tables: [String: [String]]
    /// The tables in the order they were read: by name, or as `only` listed them.
    public let order: [String]

    /// Reads through a fresh read-only connection, which never waits on a writer and sees only
    /// committed data: what another process would find in the file.
    public init(path: String, excluding: Set<String> = [], only: [String]? = nil) throws {
        try self.init(try Database(path: path, mode: .readOnly), excluding: excluding, only: only)
    }

    /// Reads through `db` itself, the connection the test writes with.
    public init(_ db: Database, excluding: Set<String> = [], only: [String]? = nil) throws {
        userVersion = try db.schemaVersion
        schema = try db.statement("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
            .rows { $0.text(0) ?? "" }
        let names = try only ?? db.statement("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").rows { $0.text(0) ?? "" }
        var tables: [String: [String]] = [:]
        for name in names where !excluding.contains(name) {
            // The name comes from sqlite_master or the test, quoted as an identifier.
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            tables[name] = try db.statement("SELECT * FROM \(quoted)").rows { row in
                (0..<row.columnCount).map { row.value($0).description }.joined(separator: "|")
            }.sorted()
        }
        self.tables = tables
        order = names.filter { !excluding.contains($0) }
    }

    public func count(_ table: String) -> Int { tables[table]?.count ?? -1 }

    /// One line a row, `table: value|value|…`, table by table: what in-process tests compare, so
    /// that a failed `#expect` shows the rows themselves.
    public var lines: [String] { order.flatMap { table in (tables[table] ?? []).map { "\(table): \($0)" } } }

    public var description: String {
        "user_version \(userVersion); " + tables.keys.sorted().map { "\($0): \(tables[$0]?.count ?? 0) rows" }.joined(separator: ", ")
    }

    /// The tables whose rows differ from `other`'s, for failure messages.
    public func differences(from other: DatabaseDump) -> [String] {
        var names = Set(tables.keys).union(other.tables.keys).filter { tables[$0] != other.tables[$0] }.sorted()
        if schema != other.schema { names.insert("(schema)", at: 0) }
        if userVersion != other.userVersion { names.insert("(user_version)", at: 0) }
        return names
    }
}
