import Catalogue
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

    /// A value as one of the two indexes keys it. Compared as SQLite compares, byte for byte:
    /// ASCII text is kept as a `String` (for ASCII, `String ==` is byte equality, and a value
    /// already in lower case is its own key, with nothing to allocate); other text as its UTF-8
    /// bytes, because `String ==` calls canonically equivalent text equal.
    enum Key: Hashable {
        case ascii(String)
        case bytes(Bytes)

        /// `text`'s key: `.ascii` when every byte is ASCII.
        init(_ text: String) {
            var text = text
            let ascii = text.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } }
            self = ascii ? .ascii(text) : .bytes(Bytes(bytes: Array(text.utf8)))
        }
    }

    /// UTF-8 bytes, hashed as raw memory (hashing a `[UInt8]` element by element was slow).
    struct Bytes: Hashable {
        let bytes: [UInt8]

        func hash(into hasher: inout Hasher) {
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        }
    }

    /// The two indexes of one field of one module: ids by NOCASE key and by near-miss key
    /// (almost always one id, so an array rather than a set).
    final class FieldIndex {
        let module: Module
        let field: String
        var nocase: [Key: [String]] = [:]
        /// Built at the first near-miss lookup: only `match=unicode` and explanations ask one.
        var nearMiss: [Key: [String]]?

        init(module: Module, field: String) {
            self.module = module
            self.field = field
            // A replay writes thousands of values: start past the many small rehashes.
            nocase.reserveCapacity(4096)
        }
    }

    /// The pending records of one module: by id, and the ids in the order first written (the
    /// order the flush writes them in).
    final class ModuleRecords {
        var byID: [String: Pending] = [:]
        var order: [String] = []
    }

    /// Indexed by `Module.allCases` position: a replay asks for a module on every lookup.
    private var modules: [ModuleRecords] = Module.allCases.map { _ in ModuleRecords() }
    /// One per indexed field written so far: a handful, found by a linear scan.
    private var indexes: [FieldIndex] = []
    /// The highest id issued while deferring; nil until `RecordStore.nextID` first reads it.
    var maxID: Int64?
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    private func records(_ module: Module) -> ModuleRecords { modules[Self.position[module]!] }

    private static let position = Dictionary(uniqueKeysWithValues: Module.allCases.enumerated().map { ($1, $0) })

    func record(_ module: Module, id: String) -> Record? { records(module).byID[id]?.record }

    func holds(_ module: Module, id: String) -> Bool { records(module).byID[id] != nil }

    func holdsAny(_ module: Module) -> Bool { !records(module).order.isEmpty }

    /// The pending records of `module` in the order first written.
    func written(_ module: Module) -> [(id: String, pending: Pending)] {
        let records = records(module)
        return records.order.map { ($0, records.byID[$0]!) }
    }

    /// Stores `record` (which has an id) as pending, indexing `indexedFields`.
    func put(_ record: Record, id: String, module: Module, inserted: Bool, indexedFields: [String]) {
        let records = records(module)
        if let previous = records.byID.updateValue(Pending(record: record, inserted: inserted), forKey: id) {
            unindex(previous.record, id: id, module: module, fields: indexedFields)
            records.byID[id]!.inserted = previous.inserted
        } else {
            records.order.append(id)
            count += 1
        }
        for field in indexedFields {
            guard let value = record.comparable(field) else { continue }
            let index = self.index(module, field)
            if index.nearMiss == nil {
                Self.add(id, to: &index.nocase[Self.nocaseKey(value), default: []])
            } else {
                let (folded, nearMissKey) = Self.keys(value)
                Self.add(id, to: &index.nocase[folded, default: []])
                Self.add(id, to: &index.nearMiss![nearMissKey, default: []])
            }
        }
    }

    private func unindex(_ record: Record, id: String, module: Module, fields: [String]) {
        for field in fields {
            guard let value = record.comparable(field) else { continue }
            let (folded, nearMissKey) = Self.keys(value)
            let index = self.index(module, field)
            index.nocase[folded]?.removeAll { $0 == id }
            index.nearMiss?[nearMissKey]?.removeAll { $0 == id }
        }
    }

    /// Pending records of `module` whose `field` equals `value` under NOCASE (`nearMiss` false)
    /// or has the near-miss key of `value` (`nearMiss` true), by id.
    func holders(_ module: Module, field: String, value: String, nearMiss byKey: Bool) -> [(id: String, record: Record)] {
        guard let index = indexes.first(where: { $0.module == module && $0.field == field }) else { return [] }
        let records = records(module)
        if byKey && index.nearMiss == nil {
            var built: [Key: [String]] = [:]
            for id in records.order {
                guard let stored = records.byID[id]?.record.comparable(field) else { continue }
                Self.add(id, to: &built[Self.keys(stored).nearMiss, default: []])
            }
            index.nearMiss = built
        }
        let key = byKey ? Self.keys(value).nearMiss : Self.nocaseKey(value)
        guard let ids = (byKey ? index.nearMiss! : index.nocase)[key], !ids.isEmpty else { return [] }
        return ids.sorted().compactMap { id in records.byID[id].map { (id, $0.record) } }
    }

    func removeAll() {
        modules = Module.allCases.map { _ in ModuleRecords() }
        indexes.removeAll()
        maxID = nil
        count = 0
    }

    private func index(_ module: Module, _ field: String) -> FieldIndex {
        if let found = indexes.first(where: { $0.module == module && $0.field == field }) { return found }
        let created = FieldIndex(module: module, field: field)
        indexes.append(created)
        return created
    }

    private static func add(_ id: String, to ids: inout [String]) {
        if !ids.contains(id) { ids.append(id) }
    }

    /// The value with ASCII letters lower-cased: equal keys are exactly the values SQLite's
    /// NOCASE collation calls equal.
    static func nocaseKey(_ value: String) -> Key {
        keys(value, nearMiss: false).nocase
    }

    /// Both keys of `value`, in one pass where they coincide: for ASCII text without surrounding
    /// white space the near-miss key is the NOCASE key.
    static func keys(_ value: String) -> (nocase: Key, nearMiss: Key) {
        keys(value, nearMiss: true)
    }

    private static func keys(_ value: String, nearMiss: Bool) -> (nocase: Key, nearMiss: Key) {
        var value = value
        let (ascii, upper, spaced) = value.withUTF8 { bytes -> (Bool, Bool, Bool) in
            var high: UInt8 = 0
            var upper = false
            for byte in bytes {
                high |= byte
                if byte &- 0x41 < 26 { upper = true }
            }
            let spaced = bytes.first.map(Matching.isASCIISpace) == true || bytes.last.map(Matching.isASCIISpace) == true
            return (high < 0x80, upper, spaced)
        }
        let folded: Key
        if !upper {
            folded = ascii ? .ascii(value) : .bytes(Bytes(bytes: Array(value.utf8)))
        } else {
            let bytes = value.withUTF8 { bytes in bytes.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 } }
            folded = ascii ? .ascii(String(decoding: bytes, as: UTF8.self)) : .bytes(Bytes(bytes: bytes))
        }
        guard nearMiss else { return (folded, folded) }
        return (folded, ascii && !spaced ? folded : Key(Matching.nearMissKey(value)))
    }
}
