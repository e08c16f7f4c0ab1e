import Catalogue
import Persistence

/// The `field_values` table: the values of checked fields that have no column of their own,
/// with their near-miss keys, for live and binned records alike. Its writes are spelled here only.
struct SideIndex {
    let db: Database

    /// One row: `value` (non-empty) of `field` of record `id`.
    func write(module: Module, id: String, location: Location, field: String, value: String) throws {
        try db.statement("""
            INSERT OR REPLACE INTO field_values (module, record_id, location, field, value, value_key) VALUES (?, ?, ?, ?, ?, ?)
            """).run([.text(module.rawValue), .text(id), .text(location.rawValue), .text(field),
                      .text(value), .text(Matching.nearMissKey(value))])
    }

    /// Removes the rows of record `id`.
    func remove(module: Module, id: String) throws {
        try db.run("DELETE FROM field_values WHERE module = ? AND record_id = ?", [.text(module.rawValue), .text(id)])
    }

    /// Removes every row of `module` (before a rebuild).
    func removeAll(_ module: Module) throws {
        try db.run("DELETE FROM field_values WHERE module = ?", [.text(module.rawValue)])
    }

    /// Part of `RecordStore.recomputeNearMissKeys`: the keys of non-ASCII values.
    func recomputeNearMissKeys() throws {
        let side = try db.statement("SELECT rowid, value FROM field_values WHERE \(RecordStore.nonASCII("value"))")
            .rows { ($0.int(0), $0.text(1) ?? "") }
        for (rowid, value) in side {
            try db.run("UPDATE field_values SET value_key = ? WHERE rowid = ?", [.text(Matching.nearMissKey(value)), .integer(Int64(rowid))])
        }
    }
}
