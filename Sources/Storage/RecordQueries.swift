import Catalogue
import Foundation
import Persistence

/// The read-only questions of the HTTP server's `GET` calls (a record, a page of a module, a
/// search, the deleted records), with their SQL here in Storage beside the tables' other SQL:
/// the server only parses the query string and renders the rows. Every value is bound; field
/// names reach SQL only as bound JSON paths or as `Module`'s own column names.
public struct RecordQueries {
    let db: Database

    public init(db: Database) { self.db = db }

    /// A search condition: `(Field:equals:value)`, `and`/`or` of conditions, or a word anywhere in
    /// the record. Equality ignores ASCII case, as the engine's `match=nocase` and Zoho's search do.
    public indirect enum Condition: Equatable, Sendable {
        case equals(field: String, value: String)
        case all([Condition])
        case any([Condition])
        case word(String)
    }

    public struct Order: Equatable, Sendable {
        public var field: String
        public var ascending: Bool
        public init(field: String, ascending: Bool) {
            self.field = field
            self.ascending = ascending
        }
    }

    /// The stored JSON of the live record `id` of `module`.
    public func record(_ module: Module, id: String) throws -> String? {
        try LiveRecords(db: db).storedJSON(module, id: id)
    }

    /// Up to `limit` records' JSON matching `condition` (all when nil), in `order` then by id,
    /// after skipping `offset`. The caller asks for one more than a page to learn `more_records`.
    public func records(_ module: Module, matching condition: Condition?, order: Order, offset: Int, limit: Int) throws -> [String] {
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

    private func sql(_ condition: Condition, module: Module, arguments: inout [SQLValue]) -> String {
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
        if ["Created_Time", "Modified_Time"].contains(field) { return (field, []) }
        return ("CAST(json_extract(data, ?) AS TEXT)", [.text("$.\"\(field.replacingOccurrences(of: "\"", with: ""))\"")])
    }

    /// The recycle-bin rows of `module`, newest deletion first.
    public func deleted(_ module: Module) throws -> [DeletedRow] {
        try RecycleBin(db: db).rows(module)
    }
}

/// One row of `GET /{Module}/deleted`.
public struct DeletedRow: Equatable, Sendable {
    public let id: String
    public let deletion: Deletion
}

extension RecycleBin {
    func rows(_ module: Module) throws -> [DeletedRow] {
        try db.statement("""
            SELECT id, deleted_time, deleted_by_name, deleted_by_id, type, display_name, created_by_name, created_by_id
            FROM recycle_bin WHERE module = ? ORDER BY deleted_time DESC, id DESC
            """).rows([.text(module.rawValue)]) { row in
            DeletedRow(id: row.text(0) ?? "", deletion: Deletion(time: row.text(1), byName: row.text(2), byID: row.text(3), type: row.text(4) ?? "recycle",
                                                               displayName: row.text(5), createdByName: row.text(6), createdByID: row.text(7)))
        }
    }
}
