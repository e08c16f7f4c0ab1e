import Catalogue
import Persistence

/// The read-only questions of the HTTP server's `GET` calls (a record, a page of a module, a
/// search, the deleted records). Their SQL is in the files that own the tables (`LiveRecords`,
/// `RecycleBin`): the server only parses the query string and renders the rows.
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
        try LiveRecords(db: db).records(module, matching: condition, order: order, offset: offset, limit: limit)
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
