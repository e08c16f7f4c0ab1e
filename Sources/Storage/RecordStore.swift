import Catalogue
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
    /// The tables, each the only owner of its SQL; this type composes them (deferred writes,
    /// the side index kept in step, ids noted) behind the API the loaders and the engine use.
    private let live: LiveRecords
    private let bin: RecycleBin
    private let side: SideIndex
    private let ids: IDAllocator
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
        live = LiveRecords(db: db)
        bin = RecycleBin(db: db)
        side = SideIndex(db: db)
        ids = IDAllocator(db: db)
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
    /// Past this many pending records a deferred write flushes, so memory stays bounded
    /// (a pending contact costs about 2 KB).
    public var pendingLimit = RecordStore.defaultPendingLimit
    public static let defaultPendingLimit = 20_000

    /// Called before each write of records to SQLite (not before a deferred one): whoever holds
    /// answers read from SQLite earlier learns that they may no longer hold. The store does not
    /// know who listens; nil (the usual case) costs one check per write.
    public var willChangeSQLite: (() -> Void)?

    private func sqliteWillChange() {
        if let observer = willChangeSQLite { observer() }
    }

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
    func indexedFields(_ module: Module) throws -> [String] {
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
        guard let record = try pendingRecord(module, id: id) ?? live.record(module, id: id) else { return nil }
        return StoredRecord(module: module, location: .live, record: record, deletion: nil, fieldsKnown: true)
    }

    /// The stored `data` text of the live record of `module` with `id`, undecoded.
    public func storedJSON(module: Module, id: String) throws -> String? {
        if let record = pendingRecord(module, id: id) { return record.json }
        return try live.storedJSON(module, id: id)
    }

    /// The module of the recycle-bin row with `id`, if there is one (a primary-key probe).
    public func binModule(id: String) throws -> Module? { try bin.module(id: id) }

    public func findInBin(id: String) throws -> StoredRecord? { try bin.find(id: id) }

    /// Whether the recycle bin holds any row of `module`.
    public func binHoldsAny(_ module: Module) throws -> Bool { try bin.holdsAny(module) }

    /// A probe of bin rows by id, for a loader checking every record it reads.
    public func binProbe() throws -> RecycleBin.Probe { try bin.probe() }

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
    public func replace(_ record: Record, module: Module) throws {
        guard let id = record.id else { throw StoreError.missingID(module: module) }
        if pending != nil { return try deferred(record, module: module, id: id, inserted: false) }
        sqliteWillChange()
        try live.replace(record, module: module, id: id)
        try writeSideFields(record, module: module, id: id, location: .live, replacing: true)
    }

    private func writeLive(_ record: Record, module: Module, id: String, update: Bool, json: String? = nil) throws {
        sqliteWillChange()
        try live.upsert(record, module: module, id: id, json: json ?? record.json)
        try writeSideFields(record, module: module, id: id, location: .live, replacing: update)
    }

    /// Writes the side index of a live record just inserted outside `put`/`insert` (the bulk loader).
    public func writeSideFields(of record: Record, module: Module, id: String) throws {
        try flush()
        try writeSideFields(record, module: module, id: id, location: .live, replacing: false)
    }

    private func writeSideFields(_ record: Record, module: Module, id: String, location: Location, replacing: Bool) throws {
        sqliteWillChange()
        let fields = try sideIndexedFields(module)
        if replacing { try side.remove(module: module, id: id) }
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
        sqliteWillChange()
        try side.write(module: module, id: id, location: location, field: field, value: value)
    }

    /// Rebuilds the side index of `module` after its catalogue changed (a field became unique).
    public func reindexSideFields(module: Module) throws {
        try flush()
        sqliteWillChange()
        forgetCatalogues()
        try side.removeAll(module)
        try live.records(module).forEach { record in
            if let id = record.id { try writeSideFields(record, module: module, id: id, location: .live, replacing: false) }
        }
        try bin.records(module).forEach { id, record in
            try writeSideFields(record, module: module, id: id, location: .recycleBin, replacing: false)
        }
    }

    // MARK: Recycle bin

    /// Stores a bin row. `record` may be empty when only the deleted-records list knows it.
    public func writeBin(_ record: Record?, module: Module, id: String, deletion: Deletion) throws {
        try flush()
        sqliteWillChange()
        try noteID(id)
        try bin.write(record, module: module, id: id, deletion: deletion)
        try side.remove(module: module, id: id)
        if let record { try writeSideFields(record, module: module, id: id, location: .recycleBin, replacing: false) }
    }

    /// Moves a live record to the bin. Its campaign memberships stay (inactive while it is there).
    @discardableResult
    public func moveToBin(module: Module, id: String, deletion: Deletion) throws -> Bool {
        try flush()
        guard let stored = try find(module: module, id: id) else { return false }
        var deletion = deletion
        if deletion.displayName == nil { deletion.displayName = Self.displayName(stored.record, module: module) }
        sqliteWillChange()
        try live.delete(module, id: id)
        try writeBin(stored.record, module: module, id: id, deletion: deletion)
        return true
    }

    /// Moves a bin row back to its module. The caller checks unique fields first.
    public func restoreFromBin(id: String) throws -> StoredRecord? {
        try flush()
        guard let binned = try findInBin(id: id), binned.fieldsKnown else { return nil }
        sqliteWillChange()
        try bin.delete(id: id)
        try side.remove(module: binned.module, id: id)
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
        try ids.note(number)
    }

    /// Remembers `number` in the pending state: the flush notes the highest.
    private func noteDeferredID(_ number: Int64) throws {
        guard let pending else { return }
        let current = try pending.maxID ?? ids.highest()
        pending.maxID = max(current, number)
    }

    /// A new 19-digit id above every id seen or issued.
    public func nextID() throws -> String {
        if let pending {
            let next = IDAllocator.next(after: try pending.maxID ?? ids.highest())
            pending.maxID = next
            return String(next)
        }
        let next = IDAllocator.next(after: try ids.highest())
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
        try db.write {
            sqliteWillChange()
            try live.recomputeNearMissKeys()
            try bin.recomputeNearMissKeys()
            try side.recomputeNearMissKeys()
            try db.run("DELETE FROM replica_state WHERE key = ?", [.text(Self.outdatedKeysNote)])
        }
        nearMissKeysCurrent = !db.isInTransaction
    }

    /// A predicate true for a `column` value with a non-ASCII character: the only values whose
    /// near-miss key the look-alike step changes. `column` is a constant name, never user text.
    static func nonASCII(_ column: String) -> String { "length(CAST(\(column) AS BLOB)) <> length(\(column))" }
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

