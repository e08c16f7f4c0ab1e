import Formats
import Foundation
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
    private var sideFields: [Module: [FieldDefinition]] = [:]
    /// Bumped by `forgetCatalogues`: callers that cache what they read alongside the catalogue
    /// (the evaluator's duplicate-check preference) compare it to know when to read again.
    public private(set) var generation = 0

    /// Opening a file for writing outside a transaction recomputes, once, the near-miss keys an
    /// older crm-replica wrote (`recomputeNearMissKeys`). Best effort: when it cannot (another
    /// writer holds the lock), the first near-miss lookup does it, or refuses (`checkNearMissKeys`).
    public init(db: Database) {
        self.db = db
        if db.mode == .readWrite, !db.isInTransaction { try? recomputeNearMissKeys() }
    }

    /// Set once the committed file is known to hold current near-miss keys.
    private var nearMissKeysCurrent = false

    // MARK: Deferred writes

    /// Records written by `insert` and `replace` while set, kept in memory (`PendingWrites`)
    /// and consulted by every read, until `flush` writes them to SQLite. A replay turns it on:
    /// a dry run then never writes its records into the big tables at all. Every other write
    /// (loads, the recycle bin, ids noted) flushes first, so SQLite is the state they see.
    /// Turn it off only after `flush` or `discardPending`: pending records are dropped then.
    public var deferWrites = false {
        didSet { pending = deferWrites ? (pending ?? PendingWrites()) : nil }
    }
    /// Non-nil while deferring (nil during a flush, whose writes go to SQLite).
    private(set) var pending: PendingWrites?
    /// Bumped by every write of records to SQLite: what was read from SQLite before holds
    /// while it is unchanged (`ReadAhead`).
    public private(set) var sqlGeneration = 0
    /// Past this many pending records a deferred write flushes, so memory stays bounded
    /// (a pending contact costs about 2 KB).
    public var pendingLimit = 20_000

    /// Writes the pending records (and the highest id issued) to SQLite, in the order first written.
    public func flush() throws {
        guard let held = pending, !held.isEmpty || held.maxID != nil else { return }
        pending = nil
        defer { pending = deferWrites ? PendingWrites() : nil }
        for module in Module.allCases {
            for (id, entry) in held.written(module) {
                if entry.inserted {
                    try writeLive(entry.record, module: module, id: id, update: false)
                } else {
                    try replace(entry.record, module: module)
                }
            }
        }
        if let maxID = held.maxID { try noteID(String(maxID)) }
    }

    /// Forgets the pending records: a dry run's writes, which its rollback discards from SQLite too.
    public func discardPending() {
        pending?.removeAll()
    }

    /// The pending record `id` of `module`, if one is held.
    public func pendingRecord(_ module: Module, id: String) -> Record? { pending?.record(module, id: id) }

    /// Whether `id` of `module` is pending: its SQLite row (if any) is out of date.
    public func isPending(_ module: Module, id: String) -> Bool { pending?.holds(module, id: id) ?? false }

    /// Whether any of `ids` of `module` is pending.
    public func isPending(_ module: Module, anyOf ids: [String]) -> Bool {
        guard let pending, pending.holdsAny(module) else { return false }
        return ids.contains { pending.holds(module, id: $0) }
    }

    /// Pending records of `module` holding `value` in `field` (an indexed field: a key column or
    /// a side-indexed field), compared as the SQL lookups compare: NOCASE, or by near-miss key.
    public func pendingHolders(_ module: Module, field: String, value: String, nearMiss: Bool) -> [(id: String, record: Record)] {
        guard let pending, pending.holdsAny(module) else { return [] }
        return pending.holders(module, field: field, value: value, nearMiss: nearMiss)
    }

    /// The fields the pending indexes cover: those SQLite indexes too (once per catalogue).
    private func indexedFields(_ module: Module) throws -> [String] {
        if let cached = indexedFieldNames[module] { return cached }
        let names = try module.keyColumns.map(\.field) + sideIndexedFields(module).map(\.apiName)
        indexedFieldNames[module] = names
        return names
    }

    private var indexedFieldNames: [Module: [String]] = [:]

    private func deferred(_ record: Record, module: Module, id: String, inserted: Bool) throws {
        guard let pending else { return }
        pending.put(record, id: id, module: module, inserted: inserted, indexedFields: try indexedFields(module))
        if pending.count >= pendingLimit { try flush() }
    }

    /// The catalogue of `module`, read once per store (call `forgetCatalogues` after changing it).
    public func catalogue(_ module: Module) throws -> FieldCatalogue {
        if let cached = catalogues[module] { return cached }
        let loaded = try FieldCatalogue.load(db, module: module)
        catalogues[module] = loaded
        return loaded
    }

    public func forgetCatalogues() {
        catalogues.removeAll()
        sideFields.removeAll()
        indexedFieldNames.removeAll()
        generation &+= 1
    }

    /// `catalogue(module).sideIndexedFields`, computed once per catalogue (every write asks).
    public func sideIndexedFields(_ module: Module) throws -> [FieldDefinition] {
        if let cached = sideFields[module] { return cached }
        let fields = try catalogue(module).sideIndexedFields
        sideFields[module] = fields
        return fields
    }

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
        if let record = pendingRecord(module, id: id) {
            return StoredRecord(module: module, location: .live, record: record, deletion: nil, fieldsKnown: true)
        }
        return try db.statement(LiveLayout.of(module).selectDataSQL).firstRow([.text(id)]) { row in
            StoredRecord(module: module, location: .live, record: try Self.decode(row.text(0)), deletion: nil, fieldsKnown: true)
        }
    }

    /// The stored `data` text of the live record of `module` with `id`, undecoded.
    public func storedJSON(module: Module, id: String) throws -> String? {
        if let record = pendingRecord(module, id: id) { return record.json }
        return try db.statement(LiveLayout.of(module).selectDataSQL).firstRow([.text(id)]) { $0.text(0) } ?? nil
    }

    /// The module of the recycle-bin row with `id`, if there is one (a primary-key probe).
    public func binModule(id: String) throws -> Module? {
        try db.statement("SELECT module FROM recycle_bin WHERE id = ?").firstRow([.text(id)]) { Module(name: $0.text(0) ?? "") } ?? nil
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
        try put(record, module: module, notingID: true)
    }

    /// `put`, for loaders that track the highest id themselves and call `noteID` once per file
    /// (`notingID: false`) instead of once per record. `json` is `record.json` when the caller
    /// already has it. A stored record whose `data` is byte-for-byte the new JSON is unchanged
    /// without being decoded (a reload of the same export).
    @discardableResult
    public func put(_ record: Record, module: Module, notingID: Bool, json: String? = nil) throws -> WriteOutcome {
        guard let id = record.id else { throw StoreError.missingID(module: module) }
        try flush()
        if notingID { try noteID(id) }
        let json = json ?? record.json
        if let stored = try storedJSON(module: module, id: id) {
            if Matching.sameBytes(stored, json) { return .unchanged }
            let existing = try Self.decode(stored)
            let merged = record.merged(over: existing)
            if merged == existing { return .unchanged }
            try writeLive(merged, module: module, id: id, update: true)
            return .updated
        }
        if let binned = try findInBin(id: id), binned.module == module {
            let merged = record.merged(over: binned.record)
            if binned.fieldsKnown && merged == binned.record { return .unchanged }
            try writeBin(merged, module: module, id: id, deletion: binned.deletion ?? Deletion(time: nil))
            return .updated
        }
        try writeLive(record, module: module, id: id, update: false, json: json)
        return .inserted
    }

    /// Inserts a new live record (the engine's insert). The record must carry its new id.
    public func insert(_ record: Record, module: Module) throws {
        try insert(record, module: module, notingID: true)
    }

    /// `insert`; `notingID: false` when the id came from `nextID`, which has noted it already.
    public func insert(_ record: Record, module: Module, notingID: Bool) throws {
        guard let id = record.id else { throw StoreError.missingID(module: module) }
        if pending != nil {
            if notingID, let number = Int64(id) { try noteDeferredID(number) }
            return try deferred(record, module: module, id: id, inserted: true)
        }
        if notingID { try noteID(id) }
        try writeLive(record, module: module, id: id, update: false)
    }

    /// Replaces a live record's fields with `record` (already merged by the caller).
    ///
    /// Only the indexed key columns whose stored value differs are assigned: SQLite rewrites the
    /// index entries of every column an UPDATE assigns, equal or not, so an update that leaves
    /// Email as it was costs no Email index work. The row afterwards is the same either way.
    public func replace(_ record: Record, module: Module) throws {
        guard let id = record.id else { throw StoreError.missingID(module: module) }
        if pending != nil { return try deferred(record, module: module, id: id, inserted: false) }
        sqlGeneration &+= 1
        let layout = LiveLayout.of(module)
        let values = layout.values(record, id: id, json: record.json)
        let stored = try db.statement(layout.selectKeyColumnsSQL).firstRow([.text(id)]) { row in
            layout.keyColumnIndexes.indices.map { row.value(Int32($0)) }
        }
        guard let stored else {
            try db.statement(layout.upsertSQL).run(values)
            try writeSideFields(record, module: module, id: id, location: .live, replacing: true)
            return
        }
        var changed = 0
        for (bit, index) in layout.keyColumnIndexes.enumerated() where !Self.identical(stored[bit], values[index]) {
            changed |= 1 << bit
        }
        var arguments = layout.otherColumnIndexes.map { values[$0] }
        for (bit, index) in layout.keyColumnIndexes.enumerated() where changed & (1 << bit) != 0 { arguments.append(values[index]) }
        arguments.append(.text(id))
        try db.statement(updateSQL(layout, changed: changed)).run(arguments)
        try writeSideFields(record, module: module, id: id, location: .live, replacing: true)
    }

    private var updateStatements: [Module: [Int: String]] = [:]

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

    private func writeLive(_ record: Record, module: Module, id: String, update: Bool, json: String? = nil) throws {
        sqlGeneration &+= 1
        let layout = LiveLayout.of(module)
        try db.statement(layout.upsertSQL).run(layout.values(record, id: id, json: json ?? record.json))
        try writeSideFields(record, module: module, id: id, location: .live, replacing: update)
    }

    /// Writes the side index of a live record just inserted outside `put`/`insert` (the bulk loader).
    public func writeSideFields(of record: Record, module: Module, id: String) throws {
        try flush()
        try writeSideFields(record, module: module, id: id, location: .live, replacing: false)
    }

    private func writeSideFields(_ record: Record, module: Module, id: String, location: Location, replacing: Bool) throws {
        sqlGeneration &+= 1
        let fields = try sideIndexedFields(module)
        if replacing { try db.run("DELETE FROM field_values WHERE module = ? AND record_id = ?", [.text(module.rawValue), .text(id)]) }
        guard !fields.isEmpty else { return }
        for field in fields {
            guard let value = record.comparable(field.apiName) else { continue }
            try writeSideValue(module: module, id: id, location: location, field: field.apiName, value: value)
        }
    }

    /// One row of the side index: `value` (non-empty) of a side-indexed `field` of record `id`.
    /// The bulk loader calls it for the records it inserts itself; every other write goes
    /// through `put`, `insert`, `replace` or `writeBin`, which keep the side index in step.
    public func writeSideValue(module: Module, id: String, location: Location, field: String, value: String) throws {
        try flush()
        sqlGeneration &+= 1
        try db.statement("""
            INSERT OR REPLACE INTO field_values (module, record_id, location, field, value, value_key) VALUES (?, ?, ?, ?, ?, ?)
            """).run([.text(module.rawValue), .text(id), .text(location.rawValue), .text(field),
                      .text(value), .text(Matching.nearMissKey(value))])
    }

    /// Rebuilds the side index of `module` after its catalogue changed (a field became unique).
    public func reindexSideFields(module: Module) throws {
        try flush()
        sqlGeneration &+= 1
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
        try flush()
        sqlGeneration &+= 1
        try noteID(id)
        let keyValues: [String: String] = Dictionary(uniqueKeysWithValues: module.keyColumns.compactMap { key in
            record?.text(key.field).map { (key.field, $0) }
        })
        let binKeys = Self.binKeyColumns
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
            values += field == "Campaign_Name" ? [SQLValue(value), SQLValue(value.map(Matching.nearMissKey))]
                : [LiveLayout.keyValue(value), LiveLayout.nearMissValue(value)]
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
        try flush()
        guard let stored = try find(module: module, id: id) else { return false }
        var deletion = deletion
        if deletion.displayName == nil { deletion.displayName = Self.displayName(stored.record, module: module) }
        sqlGeneration &+= 1
        try db.run("DELETE FROM \(module.table) WHERE id = ?", [.text(id)])
        try writeBin(stored.record, module: module, id: id, deletion: deletion)
        return true
    }

    /// Moves a bin row back to its module. The caller checks unique fields first.
    public func restoreFromBin(id: String) throws -> StoredRecord? {
        try flush()
        guard let binned = try findInBin(id: id), binned.fieldsKnown else { return nil }
        sqlGeneration &+= 1
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
        if pending != nil { return try noteDeferredID(number) }
        try db.run("""
            INSERT INTO replica_state (key, value) VALUES ('max_id', ?)
            ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)
            """, [.integer(number)])
    }

    /// Remembers `number` in the pending state: the flush notes the highest.
    private func noteDeferredID(_ number: Int64) throws {
        guard let pending else { return }
        let current = try pending.maxID ?? Int64(db.scalarInt("SELECT value FROM replica_state WHERE key = 'max_id'"))
        pending.maxID = max(current, number)
    }

    /// A new 19-digit id above every id seen or issued.
    public func nextID() throws -> String {
        if let pending {
            let current = try pending.maxID ?? Int64(db.scalarInt("SELECT value FROM replica_state WHERE key = 'max_id'"))
            let next = max(current + 1, 1_000_000_000_000_000_000)
            pending.maxID = next
            return String(next)
        }
        let current = try db.scalarInt("SELECT value FROM replica_state WHERE key = 'max_id'")
        let next = max(Int64(current) + 1, 1_000_000_000_000_000_000)
        try noteID(String(next))
        return String(next)
    }
}

// MARK: Near-miss keys of older files

extension RecordStore {
    /// The `replica_state` row migration 003 leaves when the file holds non-ASCII key values whose
    /// near-miss keys were computed without the look-alike step.
    static let outdatedKeysNote = "near_miss_keys_outdated"

    /// Whether the file (as this connection sees it) still holds near-miss keys of the older rule.
    public func hasOutdatedNearMissKeys() throws -> Bool {
        try db.scalarInt("SELECT count(*) FROM replica_state WHERE key = ?", [.text(Self.outdatedKeysNote)]) > 0
    }

    /// Called before every near-miss lookup, so that no lookup reads an outdated key: a file
    /// opened for writing is re-keyed (inside the running transaction, if one runs: a dry run then
    /// re-keys again next time, until a write commits it); a read-only one refuses with advice.
    public func checkNearMissKeys() throws {
        if nearMissKeysCurrent { return }
        guard try hasOutdatedNearMissKeys() else {
            // No note, and none can come back: only migration 003 writes it, when the file is opened.
            nearMissKeysCurrent = true
            return
        }
        guard db.mode == .readWrite else { throw StoreError.outdatedNearMissKeys(path: db.path) }
        let committed = !db.isInTransaction
        try recomputeNearMissKeys()
        nearMissKeysCurrent = committed
    }

    /// Recomputes the near-miss key of every stored key value with a non-ASCII character (the
    /// only keys the look-alike step changes), as the writes of this version compute them, and
    /// removes migration 003's note. Nothing to do, and one indexed read, when there is no note.
    public func recomputeNearMissKeys() throws {
        guard try hasOutdatedNearMissKeys() else { nearMissKeysCurrent = !db.isInTransaction; return }
        let nonASCII = { (column: String) in "length(CAST(\(column) AS BLOB)) <> length(\(column))" }
        try db.write {
            sqlGeneration &+= 1
            for module in Module.allCases {
                for key in module.keyColumns {
                    // Names are `Module`'s constants; values are bound.
                    let rows = try db.statement("SELECT id, \(key.column) FROM \(module.table) WHERE \(nonASCII(key.column))")
                        .rows { ($0.text(0) ?? "", $0.text(1) ?? "") }
                    for (id, value) in rows {
                        let stored = module.isPerson ? LiveLayout.nearMissValue(value) : .text(Matching.nearMissKey(value))
                        try db.run("UPDATE \(module.table) SET \(key.keyColumn) = ? WHERE id = ?", [stored, .text(id)])
                    }
                }
            }
            for (column, keyColumn) in Self.binKeyColumns {
                let rows = try db.statement("SELECT id, \(column) FROM recycle_bin WHERE \(nonASCII(column))").rows { ($0.text(0) ?? "", $0.text(1) ?? "") }
                for (id, value) in rows {
                    let stored = column == "Campaign_Name" ? .text(Matching.nearMissKey(value)) : LiveLayout.nearMissValue(value)
                    try db.run("UPDATE recycle_bin SET \(keyColumn) = ? WHERE id = ?", [stored, .text(id)])
                }
            }
            let side = try db.statement("SELECT rowid, value FROM field_values WHERE \(nonASCII("value"))")
                .rows { ($0.int(0), $0.text(1) ?? "") }
            for (rowid, value) in side {
                try db.run("UPDATE field_values SET value_key = ? WHERE rowid = ?", [.text(Matching.nearMissKey(value)), .integer(Int64(rowid))])
            }
            try db.run("DELETE FROM replica_state WHERE key = ?", [.text(Self.outdatedKeysNote)])
        }
        nearMissKeysCurrent = !db.isInTransaction
    }

    /// The recycle bin's key columns and their near-miss keys, as `writeBin` fills them.
    static let binKeyColumns = [("Email", "email_key"), ("Secondary_Email", "secondary_email_key"), ("Phone", "phone_key"),
                                ("Campaign_Name", "campaign_name_key")]
}

public enum StoreError: Error, CustomStringConvertible {
    case missingID(module: Module)
    /// A read-only near-miss lookup in a file whose look-alike keys predate schema 3.
    case outdatedNearMissKeys(path: String)

    public var description: String {
        switch self {
        case .missingID(let module): return "a \(module.rawValue) record without an id cannot be stored"
        case .outdatedNearMissKeys(let path):
            return "\(path) was written by an older crm-replica: the look-alike keys of its non-ASCII values must be recomputed once, "
                + "which a read-only connection cannot do; open it once for writing (`crm-replica why`, `replay` or `load` do), then ask again"
        }
    }
}

/// The columns of a module's live table and where each value comes from: the one description
/// that `RecordStore`'s writes and the bulk loader both bind from, with its SQL built once.
public struct LiveLayout: Sendable {
    public enum Source: Sendable, Equatable {
        case id
        /// `record.text(field)`.
        case field(String)
        /// The near-miss key of `record.text(field)`.
        case nearMissKey(String)
        case ownerName
        case ownerID
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
    /// Every other column but `id`.
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
        columns += [Column(name: "Owner_Name", source: .ownerName), Column(name: "Owner_Id", source: .ownerID),
                    Column(name: "Created_Time", source: .field("Created_Time")),
                    Column(name: "Modified_Time", source: .field("Modified_Time")), Column(name: "data", source: .data)]
        if module.isPerson {
            columns += [Column(name: "First_Name", source: .field("First_Name")), Column(name: "Last_Name", source: .field("Last_Name"))]
        }
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
            case .ownerName: return SQLValue(record.ownerName)
            case .ownerID: return SQLValue(record.ownerID)
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

    private static let layouts: [Module: LiveLayout] = Dictionary(uniqueKeysWithValues: Module.allCases.map { ($0, LiveLayout(module: $0)) })

    /// The layout of `module`, built once per process.
    public static func of(_ module: Module) -> LiveLayout { layouts[module]! }
}
