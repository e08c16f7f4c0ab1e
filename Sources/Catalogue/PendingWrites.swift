import OrderedCollections

/// Live records written while `RecordStore.deferWrites` is on, kept in memory until the store
/// writes them through to SQLite (`RecordStore.flush`).
///
/// Why: a dry-run replay of 10,000 upserts against a million contacts spent nearly half its
/// time inserting rows and index entries into the big B-trees, only to roll them back. Deferred,
/// a write is a dictionary update; lookups ask SQLite (through its indexes, as always) and then
/// this overlay, which answers for every record it holds: a pending record's old SQLite row is
/// set aside and the pending version matched instead. The overlay's two indexes compare exactly
/// as the SQL does: `nocase` on the value with ASCII letters folded (what `COLLATE NOCASE`
/// folds), `nearMiss` on `Matching.nearMissKey`.
final class PendingWrites {
    struct Pending {
        var record: Record
        /// True while SQLite has no row for it: the flush inserts rather than replaces.
        var inserted: Bool
    }

    /// A field's value as one of the two indexes keys it. Hashed as raw bytes: hashing a
    /// `[UInt8]` element by element made the indexes the replay's largest cost.
    struct IndexKey: Hashable {
        let module: Module
        let field: String
        /// UTF-8 bytes: Swift's `String ==` would call canonically equivalent text equal, where
        /// SQLite compares bytes.
        let key: [UInt8]

        func hash(into hasher: inout Hasher) {
            hasher.combine(module)
            hasher.combine(field)
            key.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// By module, then id, in the order first written (the flush writes in that order).
    private(set) var records: [Module: OrderedDictionary<String, Pending>] = [:]
    /// Ids by key; almost always one, so an array rather than a set.
    private var nocase: [IndexKey: [String]] = [:]
    private var nearMiss: [IndexKey: [String]] = [:]
    /// The highest id issued while deferring; nil until `RecordStore.nextID` first reads it.
    var maxID: Int64?
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    func record(_ module: Module, id: String) -> Record? { records[module]?[id]?.record }

    func holds(_ module: Module, id: String) -> Bool { records[module]?[id] != nil }

    func holdsAny(_ module: Module) -> Bool { !(records[module]?.isEmpty ?? true) }

    /// Stores `record` (which has an id) as pending, indexing `indexedFields`.
    func put(_ record: Record, id: String, module: Module, inserted: Bool, indexedFields: [String]) {
        if let previous = records[module]?[id] {
            unindex(previous.record, id: id, module: module, fields: indexedFields)
            records[module]![id] = Pending(record: record, inserted: previous.inserted)
        } else {
            records[module, default: [:]][id] = Pending(record: record, inserted: inserted)
            count += 1
        }
        for field in indexedFields {
            guard let value = record.comparable(field) else { continue }
            let (folded, nearMissKey) = Self.keys(value)
            Self.add(id, to: &nocase[IndexKey(module: module, field: field, key: folded), default: []])
            Self.add(id, to: &nearMiss[IndexKey(module: module, field: field, key: nearMissKey), default: []])
        }
    }

    private func unindex(_ record: Record, id: String, module: Module, fields: [String]) {
        for field in fields {
            guard let value = record.comparable(field) else { continue }
            let (folded, nearMissKey) = Self.keys(value)
            nocase[IndexKey(module: module, field: field, key: folded)]?.removeAll { $0 == id }
            nearMiss[IndexKey(module: module, field: field, key: nearMissKey)]?.removeAll { $0 == id }
        }
    }

    /// Pending records of `module` whose `field` equals `value` under NOCASE (`nearMiss` false)
    /// or has the near-miss key of `value` (`nearMiss` true), by id.
    func holders(_ module: Module, field: String, value: String, nearMiss byKey: Bool) -> [(id: String, record: Record)] {
        let key = IndexKey(module: module, field: field, key: byKey ? Self.keys(value).nearMiss : Self.nocaseKey(value))
        guard let ids = (byKey ? nearMiss : nocase)[key], !ids.isEmpty, let module = records[module] else { return [] }
        return ids.sorted().compactMap { id in module[id].map { (id, $0.record) } }
    }

    func removeAll() {
        records.removeAll()
        nocase.removeAll()
        nearMiss.removeAll()
        maxID = nil
        count = 0
    }

    private static func add(_ id: String, to ids: inout [String]) {
        if !ids.contains(id) { ids.append(id) }
    }

    /// The value with ASCII letters lower-cased: equal keys are exactly the values SQLite's
    /// NOCASE collation calls equal.
    static func nocaseKey(_ value: String) -> [UInt8] {
        var value = value
        return value.withUTF8 { bytes in bytes.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 } }
    }

    /// Both keys of `value` in one pass where they coincide: for ASCII text without surrounding
    /// white space the near-miss key is the NOCASE key.
    static func keys(_ value: String) -> (nocase: [UInt8], nearMiss: [UInt8]) {
        var value = value
        var plain = true
        let folded: [UInt8] = value.withUTF8 { bytes in
            if let first = bytes.first, let last = bytes.last, Matching.isASCIISpace(first) || Matching.isASCIISpace(last) { plain = false }
            return bytes.map { byte in
                if byte >= 0x80 { plain = false }
                return byte &- 0x41 < 26 ? byte | 0x20 : byte
            }
        }
        return (folded, plain ? folded : Array(Matching.nearMissKey(value).utf8))
    }
}
