import Catalogue
import Formats
import Persistence
import Storage

/// Writes the records of one file into a module's live table, inside the file's transaction,
/// with the same results as `RecordStore.put` record by record, but at bulk speed:
///
/// * **An empty table is bulk-loaded.** When the module's table holds no row at the start of the
///   file, its secondary indexes are dropped (their `CREATE INDEX` text is read from
///   `sqlite_master` first, so the DDL stays in the migration; the near-miss key indexes of
///   Contacts and Leads stay, see `sparseIndexes`), every row is appended through one
///   prepared `INSERT … ON CONFLICT (id) DO NOTHING`, and the indexes are built again at the end:
///   sorting a finished column once is about twice as fast as keeping six indexes in step with
///   a million inserts. DROP and CREATE INDEX are transactional, so a file that fails midway
///   rolls back to the table *with* its indexes, and loads nothing. The same goes for a table
///   that is small next to the file (`crm-replica load org/*` loads a 200-row older export just
///   before the million-row current one): nothing a load does looks records up by anything
///   but their id, whose primary-key index stays, so dropping the others changes only the cost.
/// * **A row that is not a plain insert goes through `put`:** an id seen earlier in the file
///   (the insert changes nothing, so the row is merged over the stored one and counted updated
///   or unchanged), and an id sitting in the module's recycle bin (its bin copy is updated).
/// * **A non-empty table is merged.** The stored `data` text is compared with the new JSON text
///   before anything is decoded: a reload of the same export is a primary-key read and a byte
///   comparison per row. New ids are inserted directly; changed records go through `put`.
/// * **An older version is not written.** A row whose record the replica already holds (live,
///   earlier in the file, or in the recycle bin) with a later `Modified_Time` is counted `stale`
///   and left alone (`Staleness`). The stored time comes with the primary-key read the merge
///   makes anyway, so this costs nothing on the paths that matter: rows of an empty table and
///   unchanged rows are never compared.
/// * **Ids:** the highest id is tracked here and `noteID` runs once per file.
///
/// CSV rows are bound straight from the bytes the parse thread hands over (`CSVRowParser`): the
/// `data` JSON is written there beside the cells (escaped exactly as `JSON.write` escapes, so a
/// reload compares `unchanged`), near-miss keys are computed for the key columns only (ASCII fast path, no
/// `String`), and no `Record`, dictionary or per-field `String` is built for an inserted row.
/// JSON records (API pages, NDJSON) come the same way, as bytes `JSONRecordScanner` wrote on the
/// parse thread (`write(_: JSONRecordBatch)`); the few it declines come as the parser's records.
final class BulkWriter {
    private let db: Database
    private let store: RecordStore
    let module: Module
    private let layout: LiveLayout
    /// True when the table was empty at the start: every row is appended without a lookup.
    let isBulk: Bool
    /// True when the secondary indexes are dropped for the file and built again by `finish`.
    let rebuildsIndexes: Bool
    private var dropped: [(name: String, sql: String)] = []
    /// Whether any recycle-bin row of this module exists: only then is each id probed there.
    private let binHasModule: Bool
    private let sideFields: [FieldDefinition]
    private let insert: Statement
    private let selectStored: Statement
    private let binProbe: RecycleBin.Probe
    private var maxID: Int64 = 0
    private var saved: [(pragma: String, value: Int)] = []
    private var finished = false

    /// Connection settings while a bulk load runs. Both are per connection, not per file, and
    /// are put back by `finish`/`restore`.
    /// * `cache_size = -8192` (8 MiB): enough for the B-tree pages being appended to, and it
    ///   also sets the size of the sorter's in-memory runs when the indexes are rebuilt. Bigger
    ///   runs were not faster here (fewer, longer sorts that the worker threads cannot share),
    ///   and memory would grow with them; with 8 MiB the load stays well under 100 MB RSS
    ///   whatever the file size.
    /// * `threads = 2`: `CREATE INDEX` sorts its keys with up to two helper threads (this machine
    ///   has 2 cores); a large part of the index rebuild overlaps with the table scan.
    /// * `temp_store` stays FILE on purpose: with MEMORY, SQLite sorts the whole index in RAM
    ///   (no size limit, no helper threads), so memory would grow with the file.
    /// WAL and `synchronous = NORMAL` stay as `Database` sets them: the replica file stays
    /// durable and never corrupt, and readers keep reading during a load.
    static let bulkPragmas: [(pragma: String, value: Int)] = [("cache_size", -8192), ("threads", 2)]

    /// A file of `fileBytes` bytes rebuilds the indexes of a table holding fewer than
    /// `fileBytes / bytesPerStoredRow` rows: export rows are 150-250 bytes, so that is a table of
    /// at most about half the rows the file brings, where sorting old and new rows together once
    /// costs less than inserting the new ones into six live indexes.
    static let bytesPerStoredRow = 400

    init(store: RecordStore, module: Module, fileBytes: Int) throws {
        db = store.db
        self.store = store
        self.module = module
        layout = LiveLayout.of(module)
        // Counts no further than the threshold, so a big table costs no full count.
        let threshold = fileBytes / Self.bytesPerStoredRow
        let rows = try db.scalarInt("SELECT count(*) FROM (SELECT 1 FROM \(module.table) LIMIT ?)", [.integer(Int64(threshold) + 1)])
        isBulk = rows == 0
        rebuildsIndexes = isBulk || rows < threshold
        binHasModule = try store.binHoldsAny(module)
        sideFields = try store.sideIndexedFields(module)
        if rebuildsIndexes {
            for (pragma, value) in Self.bulkPragmas {
                saved.append((pragma, try db.scalarInt("PRAGMA \(pragma)")))
                try db.execute("PRAGMA \(pragma) = \(value)")
            }
            var tables = [module.table]
            // The side index is shared by every module: rebuild it only when it is empty too.
            if !sideFields.isEmpty, try db.scalarInt("SELECT NOT EXISTS (SELECT 1 FROM field_values)") == 1 {
                tables.append("field_values")
            }
            for table in tables {
                dropped += try db.statement("""
                    SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name
                    """).rows([.text(table)]) { ($0.text(0) ?? "", $0.text(1) ?? "") }
            }
            let kept = try Self.sparseIndexes(db, module: module)
            dropped.removeAll { kept.contains($0.name) }
            for index in dropped { try db.execute("DROP INDEX \(Self.quoted(index.name))") }
        }
        insert = try db.statement(layout.insertOrIgnoreSQL)
        selectStored = try db.statement(LiveLayout.selectDataAndModifiedSQL(module))
        binProbe = try store.binProbe()
    }

    /// The indexes of `module`'s table a bulk load keeps up to date instead of building again:
    /// the partial indexes on people's near-miss key columns. Such a key is stored only where it
    /// differs from the ASCII-lower-cased value (4,613 of the 996,917 sample rows), so keeping its
    /// index current costs a predicate check per row, where building it again after the rows
    /// reads the whole table once more, page by page (`pread`: the rows are still in the WAL).
    /// Measured on the 1M-row sample: 3 interleaved pairs, 10.0-10.8 s against 11.0-12.9 s,
    /// though callgrind counts 0.9% more instructions at 100,000 rows (the reads are system time).
    static func sparseIndexes(_ db: Database, module: Module) throws -> Set<String> {
        guard module.isPerson else { return [] }
        let keyColumns = Set(module.keyColumns.map(\.keyColumn))
        let indexed = try db.statement("SELECT name FROM pragma_index_info(?)")
        var sparse: Set<String> = []
        for name in try db.statement("SELECT name FROM pragma_index_list(?) WHERE partial = 1").rows([.text(module.table)], { $0.text(0) ?? "" }) {
            let columns = try indexed.rows([.text(name)]) { $0.text(0) ?? "" }
            if !columns.isEmpty, columns.allSatisfy(keyColumns.contains) { sparse.insert(name) }
        }
        return sparse
    }

    /// What the replica holds of a record: its `data` (live rows) and its `Modified_Time`.
    private struct Held {
        var data: String?
        var modified: String?
    }

    /// The live row of `id`.
    private func stored(_ id: String) throws -> Held? {
        try selectStored.firstRow([.text(id)]) { Held(data: $0.text(0), modified: $0.text(1)) }
    }

    /// This module's recycle-bin row `id` (probed only when the module has bin rows at all).
    private func binned(_ id: String) throws -> Held? {
        guard binHasModule else { return nil }
        return try binProbe.modifiedTime(id: id, module: module).map { Held(modified: $0) }
    }

    /// `write` through `put`, unless the stored version is newer.
    private func put(modified: String?, storedModified: String?, _ put: () throws -> RecordStore.WriteOutcome) rethrows -> ItemOutcome {
        if Staleness.isStale(incoming: modified, stored: storedModified) { return .stale }
        return ItemOutcome(try put())
    }

    /// Builds the dropped indexes again and notes the highest id. Call once, after the last row.
    func finish() throws {
        guard !finished else { return }
        finished = true
        for index in dropped { try db.execute(index.sql) }
        if maxID > 0 { try store.noteID(String(maxID)) }
        restore()
    }

    /// Puts the connection settings back; the caller's rollback restores the indexes.
    func restore() {
        for (pragma, value) in saved { try? db.execute("PRAGMA \(pragma) = \(value)") }
        saved = []
    }

    private static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    // MARK: Records (JSON and NDJSON files)

    /// A record ready to be written: its id and its JSON text, made where the record is parsed
    /// (the NDJSON loader's parse thread). A value: it moves between threads. The column values
    /// (`LiveLayout.values`) are left to the SQLite thread: parsing is the slower half of an
    /// NDJSON load, and this split evens the two (callgrind: 8.6 G and 7.1 G instructions for
    /// 100,000 records, where making the values on the parse thread left it 10.8 G and 4.9 G).
    struct PreparedRecord: Sendable {
        let record: Record
        let id: String
        let json: String

        init(_ record: Record, module: Module) throws {
            guard let id = record.id else { throw StoreError.missingID(module: module) }
            self.record = record
            self.id = id
            json = record.json
        }

        /// The parser's record of a scanned one: `json` is its `Record.json` already.
        fileprivate init(scanned row: JSONRecordBatch.Scanned, bytes: UnsafeBufferPointer<UInt8>) throws {
            let text = UnsafeBufferPointer(rebasing: bytes[row.json])
            guard case .object(let fields) = try JSON.parse(text) else { preconditionFailure("a scanned record is an object") }
            record = Record(fields: fields)
            id = String(decoding: UnsafeBufferPointer(rebasing: bytes[row.id]), as: UTF8.self)
            json = String(decoding: text, as: UTF8.self)
        }
    }

    /// Writes a batch of JSON records in order.
    func write(_ batch: JSONRecordBatch) throws -> Tally {
        var tally = Tally()
        try batch.bytes.withUnsafeBufferPointer { bytes in
            for entry in batch.entries {
                switch entry {
                case .parsed(let record): tally.count(item: try write(record))
                case .scanned(let row): tally.count(item: try write(row, slots: batch.keySlots, bytes: bytes))
                }
            }
        }
        return tally
    }

    /// A scanned record: a plain insert (or, into a table that had rows, an unchanged record) is
    /// written from its bytes, as a CSV row is; anything else (a bin copy, an id seen earlier,
    /// a changed record) goes through `write(_: PreparedRecord)` with the parser's record.
    private func write(_ row: JSONRecordBatch.Scanned, slots: [Range<Int>?], bytes: UnsafeBufferPointer<UInt8>) throws -> ItemOutcome {
        if row.number > maxID { maxID = row.number }
        func parsed() throws -> PreparedRecord { try PreparedRecord(scanned: row, bytes: bytes) }
        if !isBulk, let stored = try stored(String(decoding: UnsafeBufferPointer(rebasing: bytes[row.id]), as: UTF8.self)) {
            if var data = stored.data, data.withUTF8({ $0.elementsEqual(bytes[row.json]) }) { return .unchanged }
            return try write(parsed())
        }
        guard !binHasModule, try insert(row, slots: slots, bytes: bytes) else { return try write(parsed()) }
        if !sideFields.isEmpty {
            let record = try parsed()
            try store.writeSideFields(of: record.record, module: module, id: record.id)
        }
        return .inserted
    }

    /// Inserts the scanned record, its values bound where they lie in the batch; false when its id
    /// is already stored.
    private func insert(_ row: JSONRecordBatch.Scanned, slots: [Range<Int>?], bytes: UnsafeBufferPointer<UInt8>) throws -> Bool {
        try insert.bind([])
        defer { insert.releaseBindings() }
        for (offset, slot) in scannedSlots.enumerated() {
            let index = Int32(offset + 1)
            let range: Range<Int>?
            switch slot {
            case .id: range = row.id
            case .data: range = row.json
            case .key(let key): range = slots[row.keys + key]
            }
            if let range { try insert.bindBorrowedText(UnsafeBufferPointer(rebasing: bytes[range]), at: index) } else { try insert.bind(.null, at: index) }
        }
        try insert.step()
        return db.changes == 1
    }

    /// Where each column of the layout comes from in a scanned record.
    private enum ScannedSlot {
        case id
        case data
        /// The slot after `JSONRecordBatch.Scanned.keys`.
        case key(Int)
    }

    private lazy var scannedSlots: [ScannedSlot] = layout.columns.map { column in
        switch column.source {
        case .id: return .id
        case .data: return .data
        case .field(let field), .nearMissKey(let field):
            guard let key = module.keyColumns.firstIndex(where: { $0.field == field }) else {
                preconditionFailure("schema 7 keeps no column but the key columns beside data")
            }
            if case .field = column.source { return .key(2 * key) }
            return .key(2 * key + 1)
        }
    }

    /// Writes one record (its id already validated).
    func write(_ record: Record) throws -> ItemOutcome {
        try write(PreparedRecord(record, module: module))
    }

    func write(_ prepared: PreparedRecord) throws -> ItemOutcome {
        let (record, id, json) = (prepared.record, prepared.id, prepared.json)
        if let number = Int64(id), number > maxID { maxID = number }
        let modified = record.text("Modified_Time")
        func put() throws -> RecordStore.WriteOutcome { try store.put(record, module: module, notingID: false, json: json) }
        if let bin = try binned(id) { return try self.put(modified: modified, storedModified: bin.modified, put) }
        if isBulk {
            try insert.run(layout.values(record, id: id, json: json))
            if db.changes == 1 {
                if !sideFields.isEmpty { try store.writeSideFields(of: record, module: module, id: id) }
                return .inserted
            }
        }
        guard let stored = try stored(id) else { return ItemOutcome(try put()) }
        if let data = stored.data, Matching.sameBytes(data, json) { return .unchanged }
        return try self.put(modified: modified, storedModified: stored.modified, put)
    }

    // MARK: CSV rows

    /// How one CSV file's columns feed the live table.
    struct CSVPlan {
        enum Slot {
            case id
            case cell(Int)
            /// A key column's cell of Contacts or Leads: NULL when empty (schema 2).
            case keyCell(Int)
            /// A near-miss key column: NULL when the cell is empty (Contacts and Leads).
            case key(cell: Int, buffer: Int)
            case null
            case data
        }

        let keys: [String]
        let idColumn: Int
        let slots: [Slot]
        /// `"key":` for each column, escaped as `JSON.write` escapes keys; a `,` before all but the first.
        let memberPrefixes: [[UInt8]]
        let keyBuffers: Int
        /// Contacts or Leads: a near-miss key equal to the ASCII-lower-cased value is stored NULL.
        let isPerson: Bool
        let sideColumns: [(field: String, column: Int)]
        /// The `Modified_Time` column, which decides whether a row is older than the stored record.
        let modifiedColumn: Int?

        /// The row's `Modified_Time`, read only where a stored version is compared.
        func modifiedTime(_ view: CSVRecordView) -> String? { modifiedColumn.map { view.string($0) } }

        /// Appends the near-miss key of each `.key` slot to `bytes` and its range to `ranges`, in
        /// slot order; nil where the column stores NULL. `scratch` is reused between rows.
        /// Made on the parse thread: a non-ASCII value's key (NFKC, look-alikes) is the costliest
        /// step of a row that SQLite does not take.
        func appendKeys(of view: CSVRecordView, to bytes: inout [UInt8], ranges: inout [Range<Int>?], scratch: inout [UInt8]) {
            for slot in slots {
                guard case .key(let cell, _) = slot else { continue }
                if isPerson {
                    guard Matching.storedKey(utf8: view[cell], into: &scratch) else {
                        ranges.append(nil)
                        continue
                    }
                } else {
                    Matching.nearMissKey(utf8: view[cell], into: &scratch)
                }
                ranges.append(bytes.count..<bytes.count + scratch.count)
                bytes.append(contentsOf: scratch)
            }
        }
    }

    func plan(keys: [String], idColumn: Int) -> CSVPlan {
        var columnOf: [String: Int] = [:]
        for (column, key) in keys.enumerated() { columnOf[key] = column }
        var buffers = 0
        let slots: [CSVPlan.Slot] = layout.columns.map { column in
            switch column.source {
            case .id: return .id
            case .data: return .data
            case .field(let field):
                guard let cell = columnOf[field] else { return .null }
                return module.isPerson && module.keyColumn(for: field) != nil ? .keyCell(cell) : .cell(cell)
            case .nearMissKey(let field):
                guard let cell = columnOf[field] else { return .null }
                buffers += 1
                return .key(cell: cell, buffer: buffers - 1)
            }
        }
        let prefixes = keys.enumerated().map { column, key in
            (column == 0 ? [] : [UInt8(ascii: ",")]) + JSONText.member(key)
        }
        let side = sideFields.compactMap { field in columnOf[field.apiName].map { (field.apiName, $0) } }
        return CSVPlan(keys: keys, idColumn: idColumn, slots: slots, memberPrefixes: prefixes, keyBuffers: buffers, isPerson: module.isPerson, sideColumns: side,
                       modifiedColumn: columnOf["Modified_Time"])
    }

    /// Writes one CSV row.
    func write(row: CSVRow, plan: CSVPlan) throws -> ItemOutcome {
        let (view, id) = (row.view, row.id)
        if row.number > maxID { maxID = row.number }
        if !isBulk {
            return try merge(row, plan: plan)
        }
        if let bin = try binned(String(decoding: id, as: UTF8.self)) {
            return try put(modified: plan.modifiedTime(view), storedModified: bin.modified) { try put(row, plan: plan) }
        }
        if try insertRow(row, plan: plan) { return .inserted }
        // An id seen earlier in this file.
        let earlier = try stored(String(decoding: id, as: UTF8.self))
        return try put(modified: plan.modifiedTime(view), storedModified: earlier?.modified) { try put(row, plan: plan) }
    }

    /// One CSV row as the writer sees it, all made by the parse thread (`CSVRowParser`) in one
    /// batch's bytes: the cells, the record id (normalized: the digits of a `zcrm_` cell) and its
    /// value, the record's JSON text (`JSONText.object`) and the near-miss keys (`CSVPlan.appendKeys`).
    struct CSVRow {
        let view: CSVRecordView
        let id: UnsafeBufferPointer<UInt8>
        let number: Int64
        let json: UnsafeBufferPointer<UInt8>
        let bytes: UnsafeBufferPointer<UInt8>
        let keyRanges: ArraySlice<Range<Int>?>

        /// The near-miss key of the `.key` slot numbered `buffer`; nil for NULL.
        func key(_ buffer: Int) -> UnsafeBufferPointer<UInt8>? {
            keyRanges[keyRanges.startIndex + buffer].map { UnsafeBufferPointer(rebasing: bytes[$0]) }
        }
    }

    /// An existing table: unchanged when the stored JSON is the same text, stale when the stored
    /// record is newer, else a direct insert for a new id, else `put`.
    private func merge(_ row: CSVRow, plan: CSVPlan) throws -> ItemOutcome {
        let idText = String(decoding: row.id, as: UTF8.self)
        if let stored = try stored(idText) {
            if var data = stored.data, data.withUTF8({ bytes in bytes.elementsEqual(row.json) }) { return .unchanged }
            return try put(modified: plan.modifiedTime(row.view), storedModified: stored.modified) { try put(row, plan: plan) }
        }
        if let bin = try binned(idText) {
            return try put(modified: plan.modifiedTime(row.view), storedModified: bin.modified) { try put(row, plan: plan) }
        }
        return try insertRow(row, plan: plan) ? .inserted : ItemOutcome(try put(row, plan: plan))
    }

    /// Inserts the row from the CSV buffer; false when its id is already stored. The values are
    /// bound where they lie in the batch (no copy), which outlives this call; the bindings are
    /// released before it returns.
    private func insertRow(_ row: CSVRow, plan: CSVPlan) throws -> Bool {
        let (view, id) = (row.view, row.id)
        try insert.bind([])
        defer { insert.releaseBindings() }
        for (offset, slot) in plan.slots.enumerated() {
            let index = Int32(offset + 1)
            switch slot {
            case .id: try insert.bindBorrowedText(id, at: index)
            case .cell(let cell): try insert.bindBorrowedText(view[cell], at: index)
            case .keyCell(let cell):
                if view[cell].isEmpty { try insert.bind(.null, at: index) } else { try insert.bindBorrowedText(view[cell], at: index) }
            case .key(_, let buffer):
                if let key = row.key(buffer) { try insert.bindBorrowedText(key, at: index) } else { try insert.bind(.null, at: index) }
            case .null: try insert.bind(.null, at: index)
            case .data: try insert.bindBorrowedText(row.json, at: index)
            }
        }
        try insert.step()
        guard db.changes == 1 else { return false }
        if !plan.sideColumns.isEmpty {
            let idText = String(decoding: id, as: UTF8.self)
            for (field, column) in plan.sideColumns where !view[column].isEmpty {
                try store.writeSideValue(module: module, id: idText, location: .live, field: field, value: view.string(column))
            }
        }
        return true
    }

    /// The row as a `Record`, through `put`: what every row did before the bulk path.
    private func put(_ row: CSVRow, plan: CSVPlan) throws -> RecordStore.WriteOutcome {
        let (view, id) = (row.view, row.id)
        var fields = JSONObject(minimumCapacity: view.count)
        for column in 0..<view.count { fields[plan.keys[column]] = .string(view.string(column)) }
        fields["id"] = .string(String(decoding: id, as: UTF8.self))
        return try store.put(Record(fields: fields), module: module, notingID: false,
                             json: String(decoding: row.json, as: UTF8.self))
    }
}

/// JSON text written straight from bytes, exactly as `JSON.write` writes it: compact, members in
/// order, strings escaped per RFC 8259 (`"` `\` and U+0000–U+001F only; `\n \r \t \b \f` or
/// `\u00XX`), other bytes (non-ASCII UTF-8 included) copied as they are.
enum JSONText {
    /// `"key":`
    static func member(_ key: String) -> [UInt8] {
        var out: [UInt8] = []
        var key = key
        key.withUTF8 { JSON.appendString($0, to: &out) }
        out.append(UInt8(ascii: ":"))
        return out
    }

    /// Appends the record object of one CSV row: every cell a string, the id column holding `id`.
    static func object(_ view: CSVRecordView, plan: BulkWriter.CSVPlan, id: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for column in 0..<view.count {
            out.append(contentsOf: plan.memberPrefixes[column])
            JSON.appendString(column == plan.idColumn ? id : view[column], to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }
}

extension ExportID {
    /// `normalize` over the bytes of a CSV cell, without making a `String`: the digits (inside
    /// `cell`) and their value, or nil when `normalize` would return nil.
    static func parse(_ cell: UnsafeBufferPointer<UInt8>) -> (digits: UnsafeBufferPointer<UInt8>, value: Int64)? {
        if let number = value(ofDigits: cell) { return (cell, number) }
        guard cell.count > zcrm.count, cell.prefix(zcrm.count).elementsEqual(zcrm) else { return nil }
        let rest = UnsafeBufferPointer(rebasing: cell[zcrm.count...])
        return value(ofDigits: rest).map { (rest, $0) }
    }

    private static let zcrm: [UInt8] = Array("zcrm_".utf8)

    /// `RecordID.isValid` over bytes: the value of 10 to 19 ASCII digits that fit an Int64.
    static func value(ofDigits bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count >= 10, bytes.count <= 19 else { return nil }
        var value: Int64 = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }
}
