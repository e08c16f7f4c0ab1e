import Catalogue
import Persistence

/// Zoho's module ids, as `GET /settings/modules` lists them, and the only owner of the
/// `module_ids` table: the loader writes them, the evaluator reads them so that
/// `duplicate_record.module` carries the `id` Zoho's response schema requires. Module ids are
/// org-specific, so without the org's metadata the answer says `null`.
public enum ModuleIDs {
    /// What storing one module's id did, so that a load can count it like a record.
    public enum Change: Sendable { case inserted, updated, unchanged }

    /// Stores `id` (nil: the metadata gives none) for `apiName`, replacing an earlier one: the
    /// latest metadata wins, and a module a file does not list keeps what it had, since a file
    /// may be one page of the listing.
    @discardableResult
    public static func store(_ db: Database, apiName: String, id: String?) throws -> Change {
        let stored = try db.statement("SELECT id FROM module_ids WHERE api_name = ?").rows([.text(apiName)]) { $0.text(0) }
        if let previous = stored.first, previous == id { return .unchanged }
        try db.run("""
            INSERT INTO module_ids (api_name, id) VALUES (?, ?)
            ON CONFLICT (api_name) DO UPDATE SET id = excluded.id
            """, [.text(apiName), id.map(SQLValue.text) ?? .null])
        return stored.isEmpty ? .inserted : .updated
    }

    /// The ids of the modules the replica stores; a module without a known id is absent. The
    /// table holds one row per module of the org (a few dozen), so it is read whole.
    public static func known(_ db: Database) throws -> [Module: String] {
        var ids: [Module: String] = [:]
        try db.statement("SELECT api_name, id FROM module_ids").forEachRow { row in
            if let module = Module(rawValue: row.text(0) ?? ""), let id = row.text(1) { ids[module] = id }
        }
        return ids
    }
}
