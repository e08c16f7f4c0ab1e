import Catalogue
import Foundation
import Persistence

/// The live tables (`contacts`, `leads`, `campaigns`): their rows and SQL, spelled here and in
/// `LiveLayout` only. Deferred writes, the side index and the bin are `RecordStore`'s to compose.
final class LiveRecords {
    let db: Database
    /// `updateSQL`'s texts, by module and changed key columns (the statements are cached on `db`).
    private var updateStatements: [Module: [Int: String]] = [:]

    init(db: Database) {
        self.db = db
    }

    /// The record of `module` with `id`, decoded.
    func record(_ module: Module, id: String) throws -> Record? {
        try db.statement(LiveLayout.of(module).selectDataSQL).firstRow([.text(id)]) { try RecordStore.decode($0.text(0)) }
    }

    /// The stored `data` text of the record of `module` with `id`, undecoded.
    func storedJSON(_ module: Module, id: String) throws -> String? {
        try db.statement(LiveLayout.of(module).selectDataSQL).firstRow([.text(id)]) { $0.text(0) } ?? nil
    }

    /// Inserts the row, or overwrites every column of the row with the same id.
    func upsert(_ record: Record, module: Module, id: String, json: String) throws {
        let layout = LiveLayout.of(module)
        try db.statement(layout.upsertSQL).run(layout.values(record, id: id, json: json))
    }

    /// Overwrites the row of `id` with `record` (inserting it when there is none).
    ///
    /// Only the indexed key columns whose stored value differs are assigned: SQLite rewrites the
    /// index entries of every column an UPDATE assigns, equal or not, so an update that leaves
    /// Email as it was costs no Email index work. The row afterwards is the same either way.
    func replace(_ record: Record, module: Module, id: String) throws {
        let layout = LiveLayout.of(module)
        let values = layout.values(record, id: id, json: record.json)
        let stored = try db.statement(layout.selectKeyColumnsSQL).firstRow([.text(id)]) { row in
            layout.keyColumnIndexes.indices.map { row.value(Int32($0)) }
        }
        guard let stored else { return try db.statement(layout.upsertSQL).run(values) }
        var changed = 0
        for (bit, index) in layout.keyColumnIndexes.enumerated() where !Self.identical(stored[bit], values[index]) {
            changed |= 1 << bit
        }
        var arguments = layout.otherColumnIndexes.map { values[$0] }
        for (bit, index) in layout.keyColumnIndexes.enumerated() where changed & (1 << bit) != 0 { arguments.append(values[index]) }
        arguments.append(.text(id))
        try db.statement(updateSQL(layout, changed: changed)).run(arguments)
    }

    /// `UPDATE … SET` the non-key columns and the key columns in `changed` (a bit per key column).
    private func updateSQL(_ layout: LiveLayout, changed: Int) -> String {
        if let sql = updateStatements[layout.module]?[changed] { return sql }
        var names = layout.otherColumnIndexes.map { layout.columns[$0].name }
        for (bit, index) in layout.keyColumnIndexes.enumerated() where changed & (1 << bit) != 0 { names.append(layout.columns[index].name) }
        let sql = "UPDATE \(layout.module.table) SET \(names.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"
        updateStatements[layout.module, default: [:]][changed] = sql
        return sql
    }

    /// Byte-for-byte equality (Swift's `String ==` would call canonically equivalent text equal).
    static func identical(_ a: SQLValue, _ b: SQLValue) -> Bool {
        switch (a, b) {
        case (.text(let x), .text(let y)): return Matching.sameBytes(x, y)
        case (.null, .null): return true
        default: return a == b
        }
    }

    func delete(_ module: Module, id: String) throws {
        try db.run("DELETE FROM \(module.table) WHERE id = ?", [.text(id)])
    }

    /// Every record of `module` (a side-index rebuild).
    func records(_ module: Module) throws -> [Record] {
        try db.statement("SELECT data FROM \(module.table)").rows { try RecordStore.decode($0.text(0)) }
    }

    /// Part of `RecordStore.recomputeNearMissKeys`: the live tables' keys of non-ASCII values.
    func recomputeNearMissKeys() throws {
        for module in Module.allCases {
            for key in module.keyColumns {
                // Names are `Module`'s constants; values are bound.
                let rows = try db.statement("SELECT id, \(key.column) FROM \(module.table) WHERE \(RecordStore.nonASCII(key.column))")
                    .rows { ($0.text(0) ?? "", $0.text(1) ?? "") }
                for (id, value) in rows {
                    let stored = module.isPerson ? LiveLayout.nearMissValue(value) : .text(Matching.nearMissKey(value))
                    try db.run("UPDATE \(module.table) SET \(key.keyColumn) = ? WHERE id = ?", [stored, .text(id)])
                }
            }
        }
    }
}

/// The columns of a module's live table and where each value comes from: the one description
/// that `LiveRecords` and the bulk loader both bind from, with its SQL built once.
public struct LiveLayout: Sendable {
    public enum Source: Sendable, Equatable {
        case id
        /// `record.text(field)`.
        case field(String)
        /// The near-miss key of `record.text(field)`.
        case nearMissKey(String)
        /// The whole record as JSON.
        case data
    }

    public struct Column: Sendable, Equatable {
        public let name: String
        public let source: Source
    }

    public let module: Module
    /// In binding order: parameter `n` (1-based) is `columns[n - 1]`.
    public let columns: [Column]
    /// Inserts, or overwrites every column of the row with the same id.
    public let upsertSQL: String
    /// Inserts, or does nothing when the id is already stored (`changes` tells which).
    public let insertOrIgnoreSQL: String
    public let selectDataSQL: String
    /// The indexed columns (the key columns and their near-miss keys), as indexes into `columns`.
    public let keyColumnIndexes: [Int]
    /// Whether `columns[i]` stores NULL for an empty value: the key columns and near-miss keys
    /// of Contacts and Leads (schema 2).
    let isNullableKey: [Bool]
    /// Every other column but `id` (`data`).
    public let otherColumnIndexes: [Int]
    /// `SELECT` of the `keyColumnIndexes` columns, in that order, by id.
    public let selectKeyColumnsSQL: String

    init(module: Module) {
        self.module = module
        var columns = [Column(name: "id", source: .id)]
        for key in module.keyColumns {
            columns.append(Column(name: key.column, source: .field(key.field)))
            columns.append(Column(name: key.keyColumn, source: .nearMissKey(key.field)))
        }
        // Schema 7: nothing but what an index needs beside the record itself.
        columns.append(Column(name: "data", source: .data))
        self.columns = columns
        let names = columns.map(\.name).joined(separator: ", ")
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let assignments = columns.dropFirst().map { "\($0.name) = excluded.\($0.name)" }.joined(separator: ", ")
        // Column names are this file's constants, never user text.
        upsertSQL = """
            INSERT INTO \(module.table) (\(names)) VALUES (\(placeholders))
            ON CONFLICT (id) DO UPDATE SET \(assignments)
            """
        insertOrIgnoreSQL = "INSERT INTO \(module.table) (\(names)) VALUES (\(placeholders)) ON CONFLICT (id) DO NOTHING"
        selectDataSQL = "SELECT data FROM \(module.table) WHERE id = ?"
        let keyIndexes = columns.indices.filter { index in
            switch columns[index].source {
            case .nearMissKey: return true
            case .field(let field): return module.keyColumn(for: field) != nil
            default: return false
            }
        }
        keyColumnIndexes = keyIndexes
        // Campaign_Name keeps "" (its column is read back); only the people's key columns hold NULL.
        isNullableKey = columns.indices.map { module.isPerson && keyIndexes.contains($0) }
        otherColumnIndexes = columns.indices.filter { $0 != 0 && !keyIndexes.contains($0) }
        selectKeyColumnsSQL = "SELECT \(keyIndexes.map { columns[$0].name }.joined(separator: ", ")) FROM \(module.table) WHERE id = ?"
    }

    /// The values to bind for `record` (stored under `id`, with `json` its `data`), in column order.
    /// An empty key field of Contacts or Leads stores NULL in its column and its near-miss key
    /// (schema 2: empty values never match, and the partial key indexes leave NULL out); `data`
    /// keeps the "".
    public func values(_ record: Record, id: String, json: String) -> [SQLValue] {
        columns.indices.map { index in
            switch columns[index].source {
            case .id: return .text(id)
            case .field(let field):
                let text = record.text(field)
                return isNullableKey[index] ? Self.keyValue(text) : SQLValue(text)
            case .nearMissKey(let field):
                return isNullableKey[index] ? Self.nearMissValue(record.text(field)) : SQLValue(record.text(field).map(Matching.nearMissKey))
            case .data: return .text(json)
            }
        }
    }

    /// A key column's value: NULL for a missing or empty field.
    static func keyValue(_ text: String?) -> SQLValue {
        guard let text, !text.isEmpty else { return .null }
        return .text(text)
    }

    /// The near-miss key column's value: NULL for a missing or empty field (a non-empty value
    /// whose key is empty, such as " ", keeps its "" key).
    /// Since the key is also NULL when it is only the value ASCII-lower-cased (`Matching.storedKey`):
    /// the lookup finds such rows through the value's `COLLATE NOCASE` index.
    static func nearMissValue(_ text: String?) -> SQLValue {
        guard let text else { return .null }
        return SQLValue(Matching.storedKey(text))
    }

    // MARK: Fields read back from `data`

    /// The SQL of `Record.text` of the member at JSON `path` (`$.Created_Time`) of `data`: a
    /// string's text, a number's literal as written, else NULL. Schema 7 keeps no column for a
    /// field no index needs, so the few readers of one (a holder's Created_Time and owner, a
    /// stored record's Modified_Time) read it here, from rows an index has already found.
    /// `table` is the alias of the live table (`t.`), or "". `path` is one of this file's constants.
    static func textSQL(_ path: String, table: String = "") -> String {
        let data = table + "data"
        return "CASE json_type(\(data), '\(path)') WHEN 'text' THEN \(data) ->> '\(path)' "
            + "WHEN 'integer' THEN \(data) -> '\(path)' WHEN 'real' THEN \(data) -> '\(path)' END"
    }

    /// `Record.ownerName`: `Owner.name` when `Owner` is an object (API JSON), else `Owner` itself
    /// (a UI export's `Contact Owner` cell).
    static func ownerNameSQL(table: String = "") -> String {
        "CASE json_type(\(table)data, '$.Owner') WHEN 'object' THEN \(textSQL("$.Owner.name", table: table)) "
            + "ELSE \(textSQL("$.Owner", table: table)) END"
    }

    /// `Record.ownerID`: `Owner.id` when `Owner` is an object, else NULL.
    static func ownerIDSQL(table: String = "") -> String {
        "CASE json_type(\(table)data, '$.Owner') WHEN 'object' THEN \(textSQL("$.Owner.id", table: table)) END"
    }

    /// `Created_Time, owner name, owner id` of a live row, in that order, as a holder lookup selects them.
    public static func holderColumnsSQL(table: String = "") -> String {
        [textSQL("$.Created_Time", table: table), ownerNameSQL(table: table), ownerIDSQL(table: table)].joined(separator: ", ")
    }

    /// `data` and its `Modified_Time` of the live row of `module` with `id`.
    public static func selectDataAndModifiedSQL(_ module: Module) -> String {
        "SELECT data, \(textSQL("$.Modified_Time")) FROM \(module.table) WHERE id = ?"
    }

    private static let layouts: [Module: LiveLayout] = Dictionary(uniqueKeysWithValues: Module.allCases.map { ($0, LiveLayout(module: $0)) })

    /// The layout of `module`, built once per process.
    public static func of(_ module: Module) -> LiveLayout { layouts[module]! }
}

// MARK: The HTTP server's reads

extension LiveRecords {
    /// `RecordQueries.records`: a page of records' JSON. Every value is bound; field names reach
    /// SQL only as bound JSON paths or as `Module`'s own column names.
    func records(_ module: Module, matching condition: RecordQueries.Condition?, order: RecordQueries.Order, offset: Int, limit: Int) throws -> [String] {
        var arguments: [SQLValue] = []
        let filter = condition.map { "WHERE " + sql($0, module: module, arguments: &arguments) } ?? ""
        let sortArguments: [SQLValue]
        let sortExpression: String
        (sortExpression, sortArguments) = expression(order.field, module: module)
        arguments += sortArguments
        arguments += [.integer(Int64(limit)), .integer(Int64(offset))]
        let direction = order.ascending ? "ASC" : "DESC"
        // The table is `Module`'s constant; the filter and sort are built from constants and `?`.
        let text = "SELECT data FROM \(module.table) \(filter) ORDER BY \(sortExpression) \(direction), id \(direction) LIMIT ? OFFSET ?"
        return try db.statement(text).rows(arguments) { $0.text(0) ?? "{}" }
    }

    private func sql(_ condition: RecordQueries.Condition, module: Module, arguments: inout [SQLValue]) -> String {
        switch condition {
        case .equals(let field, let value):
            let (column, columnArguments) = expression(field, module: module)
            arguments += columnArguments
            arguments.append(.text(value))
            return "\(column) = ? COLLATE NOCASE"
        case .all(let parts):
            return "(" + parts.map { sql($0, module: module, arguments: &arguments) }.joined(separator: " AND ") + ")"
        case .any(let parts):
            return "(" + parts.map { sql($0, module: module, arguments: &arguments) }.joined(separator: " OR ") + ")"
        case .word(let word):
            let escaped = word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            arguments.append(.text("%\(escaped)%"))
            return "data LIKE ? ESCAPE '\\'"
        }
    }

    /// The SQL of a field's value: its indexed column when the table has one, else the value in
    /// the record's JSON as text (numbers and booleans compare by their JSON spelling).
    private func expression(_ field: String, module: Module) -> (String, [SQLValue]) {
        if field == "id" { return ("id", []) }
        if let key = module.keyColumn(for: field) { return (key.column, []) }
        return ("CAST(json_extract(data, ?) AS TEXT)", [.text("$.\"\(field.replacingOccurrences(of: "\"", with: ""))\"")])
    }
}
