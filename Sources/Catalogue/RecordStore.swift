import Persistence

/// Where a record lives.
public enum Location: String, Sendable, Codable {
    case live
    case recycleBin = "recycle_bin"
}

/// Who deleted a record, as the deleted-records list and recycle-bin API report it.
public struct Deletion: Sendable, Equatable {
    public var time: String?
    public var byName: String?
    public var byID: String?
    public var type: String
    public var displayName: String?
    public var createdByName: String?
    public var createdByID: String?

    public init(time: String?, byName: String? = nil, byID: String? = nil, type: String = "recycle",
                displayName: String? = nil, createdByName: String? = nil, createdByID: String? = nil) {
        self.time = time
        self.byName = byName
        self.byID = byID
        self.type = type
        self.displayName = displayName
        self.createdByName = createdByName
        self.createdByID = createdByID
    }
}

/// A record as stored, with where it is.
public struct StoredRecord: Sendable, Equatable {
    public let module: Module
    public let location: Location
    public let record: Record
    /// Set for recycle-bin rows.
    public let deletion: Deletion?
    /// False for a bin row known only from the deleted-records list.
    public let fieldsKnown: Bool
}

/// Reads and writes records: the module tables, the recycle bin, and the side index of checked
/// fields without a column. Every write keeps the key columns and near-miss keys in step with `data`.
public final class RecordStore {
    public enum WriteOutcome: Sendable { case inserted, updated, unchanged }

    public let db: Database
    private var catalogues: [Module: FieldCatalogue] = [:]

    public init(db: Database) { self.db = db }

    /// The catalogue of `module`, read once per store (call `forgetCatalogues` after changing it).
    public func catalogue(_ module: Module) throws -> FieldCatalogue {
        if let cached = catalogues[module] { return cached }
        let loaded = try FieldCatalogue.load(db, module: module)
        catalogues[module] = loaded
        return loaded
    }

    public func forgetCatalogues() { catalogues.removeAll() }

    // MARK: Reading

    /// The record with `id`, live in any module or in the recycle bin.
    public func find(id: String) throws -> StoredRecord? {
        for module in Module.allCases {
            if let record = try find(module: module, id: id) { return record }
        }
        return try findInBin(id: id)
    }

    /// The live record of `module` with `id`.
    public func find(module: Module, id: String) throws -> StoredRecord? {
        try db.statement("SELECT data FROM \(module.table) WHERE id = ?").firstRow([.text(id)]) { row in
            StoredRecord(module: module, location: .live, record: try Self.decode(row.text(0)), deletion: nil, fieldsKnown: true)
        }
    }

    public func findInBin(id: String) throws -> StoredRecord? {
        try db.statement("""
            SELECT module, data, deleted_time, deleted_by_name, deleted_by_id, type, display_name, created_by_name, created_by_id
            FROM recycle_bin WHERE id = ?
            """).firstRow([.text(id)]) { row in
            let module = Module(name: row.text(0) ?? "") ?? .contacts
            let data = row.text(1)
            var record = try data.map(Self.decode) ?? Record()
            if data == nil { record["id"] = .string(id) }
            let deletion = Deletion(time: row.text(2), byName: row.text(3), byID: row.text(4), type: row.text(5) ?? "recycle",
                                    displayName: row.text(6), createdByName: row.text(7), createdByID: row.text(8))
            return StoredRecord(module: module, location: .recycleBin, record: record, deletion: deletion, fieldsKnown: data != nil)
        }
    }

    static func decode(_ text: String?) throws -> Record {
        guard let text, case .object(let fields) = try JSON.parse(text) else { return Record() }
        return Record(fields: fields)
    }

    // MARK: Live records

    /// Stores `record` (which has an id) as a live record of `module`, merged over any stored
    /// version. A record that sits in the recycle bin has its bin copy updated instead, so that
    /// loading an export and a deleted-records list gives the same result in either order.
    @discardableResult
    public func put(_ record: Record, module: Module) throws -> WriteOutcome {
        guard let id = record.id else { throw StoreError.missingID(module: module) }
        try noteID(id)
        if let existing = try find(module: module, id: id) {
            let merged = record.merged(over: existing.record)
            if merged == existing.record { return .unchanged }
            try writeLive(merged, module: module, id: id, update: true)
            return .updated
        }
        if let binned = try findInBin(id: id), binned.module == module {
            let merged = record.merged(over: binned.record)
            if binned.fieldsKnown && merged == binned.record { return .unchanged }
            try writeBin(merged, module: module, id: id, deletion: binned.deletion ?? Deletion(time: nil))
            return .updated
        }
        try writeLive(record, module: module, id: id, update: false)
        return .inserted
    }

    /// Inserts a new live record (the engine's insert). The record must carry its new id.
    public func insert(_ record: Record, module: Module) throws {
        guard let id = record.id else { throw StoreError.missingID(module: module) }
        try noteID(id)
        try writeLive(record, module: module, id: id, update: false)
    }

    /// Replaces a live record's fields with `record` (already merged by the caller).
    public func replace(_ record: Record, module: Module) throws {
        guard let id = record.id else { throw StoreError.missingID(module: module) }
        try writeLive(record, module: module, id: id, update: true)
    }

    private func writeLive(_ record: Record, module: Module, id: String, update: Bool) throws {
        let keys = module.keyColumns
        var columns = ["id"] + keys.flatMap { [$0.column, $0.keyColumn] }
        var values: [SQLValue] = [.text(id)]
        for key in keys {
            let value = record.text(key.field)
            values.append(SQLValue(value))
            values.append(SQLValue(value.map(Matching.nearMissKey)))
        }
        columns += ["Owner_Name", "Owner_Id", "Created_Time", "Modified_Time", "data"]
        values += [SQLValue(record.ownerName), SQLValue(record.ownerID), SQLValue(record.text("Created_Time")),
                   SQLValue(record.text("Modified_Time")), .text(record.json)]
        if module.isPerson {
            columns += ["First_Name", "Last_Name"]
            values += [SQLValue(record.text("First_Name")), SQLValue(record.text("Last_Name"))]
        }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let assignments = columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        // Column names are this file's constants, never user text.
        try db.run("""
            INSERT INTO \(module.table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders))
            ON CONFLICT (id) DO UPDATE SET \(assignments)
            """, values)
        try writeSideFields(record, module: module, id: id, location: .live, replacing: update)
    }

    private func writeSideFields(_ record: Record, module: Module, id: String, location: Location, replacing: Bool) throws {
        let fields = try catalogue(module).sideIndexedFields
        if replacing { try db.run("DELETE FROM field_values WHERE module = ? AND record_id = ?", [.text(module.rawValue), .text(id)]) }
        guard !fields.isEmpty else { return }
        let insert = try db.statement("""
            INSERT OR REPLACE INTO field_values (module, record_id, location, field, value, value_key) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for field in fields {
            guard let value = record.comparable(field.apiName) else { continue }
            try insert.run([.text(module.rawValue), .text(id), .text(location.rawValue), .text(field.apiName),
                            .text(value), .text(Matching.nearMissKey(value))])
        }
    }

    /// Rebuilds the side index of `module` after its catalogue changed (a field became unique).
    public func reindexSideFields(module: Module) throws {
        forgetCatalogues()
        try db.run("DELETE FROM field_values WHERE module = ?", [.text(module.rawValue)])
        try db.statement("SELECT data FROM \(module.table)").rows { try Self.decode($0.text(0)) }.forEach { record in
            if let id = record.id { try writeSideFields(record, module: module, id: id, location: .live, replacing: false) }
        }
        try db.statement("SELECT id, data FROM recycle_bin WHERE module = ? AND data IS NOT NULL")
            .rows([.text(module.rawValue)]) { ($0.text(0) ?? "", try Self.decode($0.text(1))) }
            .forEach { id, record in try writeSideFields(record, module: module, id: id, location: .recycleBin, replacing: false) }
    }

    // MARK: Recycle bin

    /// Stores a bin row. `record` may be empty when only the deleted-records list knows it.
    public func writeBin(_ record: Record?, module: Module, id: String, deletion: Deletion) throws {
        try noteID(id)
        let keyValues: [String: String] = Dictionary(uniqueKeysWithValues: module.keyColumns.compactMap { key in
            record?.text(key.field).map { (key.field, $0) }
        })
        let binKeys = [("Email", "email_key"), ("Secondary_Email", "secondary_email_key"), ("Phone", "phone_key"), ("Campaign_Name", "campaign_name_key")]
        var columns = ["id", "module", "type", "display_name", "deleted_time", "deleted_by_name", "deleted_by_id",
                       "created_by_name", "created_by_id", "Owner_Name", "Owner_Id", "Created_Time", "Modified_Time", "data"]
        var values: [SQLValue] = [.text(id), .text(module.rawValue), .text(deletion.type), SQLValue(deletion.displayName),
                                  SQLValue(deletion.time), SQLValue(deletion.byName), SQLValue(deletion.byID),
                                  SQLValue(deletion.createdByName), SQLValue(deletion.createdByID),
                                  SQLValue(record?.ownerName), SQLValue(record?.ownerID), SQLValue(record?.text("Created_Time")),
                                  SQLValue(record?.text("Modified_Time")), SQLValue(record.map(\.json))]
        for (field, keyColumn) in binKeys {
            columns += [field, keyColumn]
            let value = keyValues[field]
            values += [SQLValue(value), SQLValue(value.map(Matching.nearMissKey))]
        }
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let assignments = columns.dropFirst().map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try db.run("INSERT INTO recycle_bin (\(columns.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT (id) DO UPDATE SET \(assignments)", values)
        try db.run("DELETE FROM field_values WHERE module = ? AND record_id = ?", [.text(module.rawValue), .text(id)])
        if let record { try writeSideFields(record, module: module, id: id, location: .recycleBin, replacing: false) }
    }

    /// Moves a live record to the bin. Its campaign memberships stay (inactive while it is there).
    @discardableResult
    public func moveToBin(module: Module, id: String, deletion: Deletion) throws -> Bool {
        guard let stored = try find(module: module, id: id) else { return false }
        var deletion = deletion
        if deletion.displayName == nil { deletion.displayName = Self.displayName(stored.record, module: module) }
        try db.run("DELETE FROM \(module.table) WHERE id = ?", [.text(id)])
        try writeBin(stored.record, module: module, id: id, deletion: deletion)
        return true
    }

    /// Moves a bin row back to its module. The caller checks unique fields first.
    public func restoreFromBin(id: String) throws -> StoredRecord? {
        guard let binned = try findInBin(id: id), binned.fieldsKnown else { return nil }
        try db.run("DELETE FROM recycle_bin WHERE id = ?", [.text(id)])
        try db.run("DELETE FROM field_values WHERE module = ? AND record_id = ?", [.text(binned.module.rawValue), .text(id)])
        try writeLive(binned.record, module: binned.module, id: id, update: false)
        return binned
    }

    /// "First Last" for people, the campaign name for campaigns: what Zoho's bin shows.
    public static func displayName(_ record: Record, module: Module) -> String? {
        if module == .campaigns { return record.text("Campaign_Name") }
        if let full = record.text("Full_Name"), !full.isEmpty { return full }
        let name = [record.text("First_Name"), record.text("Last_Name")].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return name.isEmpty ? nil : name
    }

    // MARK: Ids

    /// Remembers the highest id seen, so that created ids never collide with loaded ones.
    public func noteID(_ id: String) throws {
        guard let number = Int64(id) else { return }
        try db.run("""
            INSERT INTO replica_state (key, value) VALUES ('max_id', ?)
            ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)
            """, [.integer(number)])
    }

    /// A new 19-digit id above every id seen or issued.
    public func nextID() throws -> String {
        let current = try db.scalarInt("SELECT value FROM replica_state WHERE key = 'max_id'")
        let next = max(Int64(current) + 1, 1_000_000_000_000_000_000)
        try noteID(String(next))
        return String(next)
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case missingID(module: Module)

    public var description: String {
        switch self {
        case .missingID(let module): return "a \(module.rawValue) record without an id cannot be stored"
        }
    }
}
