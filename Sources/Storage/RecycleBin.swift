import Catalogue
import Persistence

/// The `recycle_bin` table: its rows, its key columns and its SQL, spelled here only. It
/// knows nothing of the side index or of deferred writes: `RecordStore` composes those.
public struct RecycleBin {
    let db: Database

    /// The key columns (and near-miss keys) a bin row keeps, whatever its module: every
    /// module's key columns, so that a binned record is found as its live row was.
    public static let keyColumns: [KeyColumn] = Module.contacts.keyColumns + Module.campaigns.keyColumns

    /// The bin's key column of `field`, if it has one (other checked fields are in the side index).
    public static func keyColumn(for field: String) -> KeyColumn? { keyColumns.first { $0.field == field } }

    private static let upsertSQL: String = {
        let columns = ["id", "module", "type", "display_name", "deleted_time", "deleted_by_name", "deleted_by_id",
                       "created_by_name", "created_by_id", "Owner_Name", "Owner_Id", "Created_Time", "Modified_Time", "data"]
            + keyColumns.flatMap { [$0.column, $0.keyColumn] }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let assignments = columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        // Column names are constants, never user text.
        return "INSERT INTO recycle_bin (\(columns.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT (id) DO UPDATE SET \(assignments)"
    }()

    /// The module of the row with `id`, if there is one (a primary-key probe).
    func module(id: String) throws -> Module? {
        try db.statement("SELECT module FROM recycle_bin WHERE id = ?").firstRow([.text(id)]) { Module(name: $0.text(0) ?? "") } ?? nil
    }

    /// Whether any row of `module` is in the bin (a loader then probes each id it reads).
    func holdsAny(_ module: Module) throws -> Bool {
        try db.scalarInt("SELECT EXISTS (SELECT 1 FROM recycle_bin WHERE module = ?)", [.text(module.rawValue)]) == 1
    }

    /// Looks bin rows up by id, one per record a loader reads, with its statement prepared once.
    public struct Probe {
        let statement: Statement

        /// The `Modified_Time` of row `id` if it is a row of `module` (`.some(nil)`: one without).
        public func modifiedTime(id: String, module: Module) throws -> String?? {
            let row = try statement.firstRow([.text(id)]) { (module: Module(name: $0.text(0) ?? ""), modified: $0.text(1)) }
            guard let row, row.module == module else { return nil }
            return .some(row.modified)
        }
    }

    func probe() throws -> Probe {
        Probe(statement: try db.statement("SELECT module, Modified_Time FROM recycle_bin WHERE id = ?"))
    }

    func find(id: String) throws -> StoredRecord? {
        try db.statement("""
            SELECT module, data, deleted_time, deleted_by_name, deleted_by_id, type, display_name, created_by_name, created_by_id
            FROM recycle_bin WHERE id = ?
            """).firstRow([.text(id)]) { row in
            let module = Module(name: row.text(0) ?? "") ?? .contacts
            let data = row.text(1)
            var record = try data.map(RecordStore.decode) ?? Record()
            if data == nil { record["id"] = .string(id) }
            let deletion = Deletion(time: row.text(2), byName: row.text(3), byID: row.text(4), type: row.text(5) ?? "recycle",
                                    displayName: row.text(6), createdByName: row.text(7), createdByID: row.text(8))
            return StoredRecord(module: module, location: .recycleBin, record: record, deletion: deletion, fieldsKnown: data != nil)
        }
    }

    /// Stores (or overwrites) the row `id`. `record` is nil when only the deleted-records list knows it.
    func write(_ record: Record?, module: Module, id: String, deletion: Deletion) throws {
        var values: [SQLValue] = [.text(id), .text(module.rawValue), .text(deletion.type), SQLValue(deletion.displayName),
                                  SQLValue(deletion.time), SQLValue(deletion.byName), SQLValue(deletion.byID),
                                  SQLValue(deletion.createdByName), SQLValue(deletion.createdByID),
                                  SQLValue(record?.ownerName), SQLValue(record?.ownerID), SQLValue(record?.text("Created_Time")),
                                  SQLValue(record?.text("Modified_Time")), SQLValue(record.map(\.json))]
        for key in Self.keyColumns {
            // Only the module's own key fields are filled: a campaign's Email column stays NULL.
            let value = module.keyColumn(for: key.field) == nil ? nil : record?.text(key.field)
            values += key.field == "Campaign_Name" ? [SQLValue(value), SQLValue(value.map(Matching.nearMissKey))]
                : [LiveLayout.keyValue(value), LiveLayout.nearMissValue(value)]
        }
        try db.run(Self.upsertSQL, values)
    }

    func delete(id: String) throws {
        try db.run("DELETE FROM recycle_bin WHERE id = ?", [.text(id)])
    }

    /// The rows of `module` whose fields are known.
    func records(_ module: Module) throws -> [(id: String, record: Record)] {
        try db.statement("SELECT id, data FROM recycle_bin WHERE module = ? AND data IS NOT NULL")
            .rows([.text(module.rawValue)]) { ($0.text(0) ?? "", try RecordStore.decode($0.text(1))) }
    }

    /// Part of `RecordStore.recomputeNearMissKeys`: the bin's keys of non-ASCII values.
    func recomputeNearMissKeys() throws {
        for key in Self.keyColumns {
            let rows = try db.statement("SELECT id, \(key.column) FROM recycle_bin WHERE \(RecordStore.nonASCII(key.column))")
                .rows { ($0.text(0) ?? "", $0.text(1) ?? "") }
            for (id, value) in rows {
                let stored = key.field == "Campaign_Name" ? .text(Matching.nearMissKey(value)) : LiveLayout.nearMissValue(value)
                try db.run("UPDATE recycle_bin SET \(key.keyColumn) = ? WHERE id = ?", [stored, .text(id)])
            }
        }
    }
}

extension RecycleBin {
    /// The rows of `module`, newest deletion first (`GET /{Module}/deleted`).
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
