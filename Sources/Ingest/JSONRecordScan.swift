import Catalogue
import Formats

/// JSON records ready for `BulkWriter`, made on a parse thread: most as bytes (`Scanned`), the
/// rest as the parser's records. A value: it moves between threads whole.
struct JSONRecordBatch: Sendable {
    /// A record `JSONRecordScanner` wrote: everything the writer binds, as ranges in `bytes`.
    struct Scanned: Sendable {
        /// The record id's digits.
        var id: Range<Int>
        var number: Int64
        /// The record's `data` text: what `Record.json` gives for the parser's record.
        var json: Range<Int>
        /// Its first slot in `keySlots`.
        var keys: Int
    }

    enum Entry: Sendable {
        case scanned(Scanned)
        /// A record the scanner declined, made by the parser (`JSONRecord.make`).
        case parsed(BulkWriter.PreparedRecord)
    }

    var bytes: [UInt8] = []
    /// For each scanned record, for each key column of the module (`Module.keyColumns`): the
    /// column's value, then its near-miss key, as `LiveLayout.values` makes them; nil for NULL.
    var keySlots: [Range<Int>?] = []
    var entries: [Entry] = []

    var count: Int { entries.count }
}

/// Makes a record of a JSON object from its bytes, with the results `JSONRecord.make` and
/// `LiveLayout.values` give for the parsed object (the same id, `data` text and key column
/// values: `JSONRecordScanTests` compares them), so that a bulk load builds no `JSONValue` for
/// it. An object it declines (`JSONCanonicalScanner`'s cases, an id that is not a valid record
/// id, a key field holding an escaped string) is left to the parser, which gives the result or
/// the error.
struct JSONRecordScanner {
    private let keyFields: [[UInt8]]
    private let isPerson: Bool
    private var members: [JSONCanonicalScanner.Member] = []
    private var keyScratch: [UInt8] = []

    init(module: Module) {
        keyFields = module.keyColumns.map { Array($0.field.utf8) }
        isPerson = module.isPerson
    }

    /// Appends the record object that is next in `json` to `batch`; false, with `batch` as it was,
    /// when the parser must make it. `alone`: the object must be all that is left (an NDJSON line).
    mutating func append(from json: inout JSONCanonicalScanner, to batch: inout JSONRecordBatch, alone: Bool = false) -> Bool {
        let (bytesMark, slotsMark) = (batch.bytes.count, batch.keySlots.count)
        guard let scanned = scan(from: &json, into: &batch), !alone || json.isAtEnd() else {
            batch.bytes.removeSubrange(bytesMark...)
            batch.keySlots.removeSubrange(slotsMark...)
            return false
        }
        batch.entries.append(.scanned(scanned))
        return true
    }

    /// Whether the record appended last has a member `key`.
    func lastHas(_ key: String, in batch: JSONRecordBatch) -> Bool { member(Array(key.utf8), in: batch.bytes) != nil }

    private mutating func scan(from json: inout JSONCanonicalScanner, into batch: inout JSONRecordBatch) -> JSONRecordBatch.Scanned? {
        let start = batch.bytes.count
        guard json.object(into: &batch.bytes, members: &members, quotingNumberOf: "id") else { return nil }
        let record = start..<batch.bytes.count
        guard case .range(let id)? = member(Self.idKey, in: batch.bytes)?.text,
              let number = batch.bytes.withUnsafeBufferPointer({ ExportID.value(ofDigits: UnsafeBufferPointer(rebasing: $0[id])) })
        else { return nil }
        let keys = batch.keySlots.count
        for field in keyFields {
            var text: Range<Int>?
            switch member(field, in: batch.bytes)?.text {
            case .range(let range)?: text = range
            case .escaped?: return nil
            case .none?, nil: text = nil
            }
            // An empty key field of Contacts or Leads stores NULL in both columns (schema 2).
            batch.keySlots.append(isPerson && text?.isEmpty == true ? nil : text)
            guard let text else {
                batch.keySlots.append(nil)
                continue
            }
            let stored = batch.bytes.withUnsafeBufferPointer { bytes in
                let value = UnsafeBufferPointer(rebasing: bytes[text])
                if isPerson { return Matching.storedKey(utf8: value, into: &keyScratch) }
                Matching.nearMissKey(utf8: value, into: &keyScratch)
                return true
            }
            guard stored else {
                batch.keySlots.append(nil)
                continue
            }
            batch.keySlots.append(batch.bytes.count..<batch.bytes.count + keyScratch.count)
            batch.bytes.append(contentsOf: keyScratch)
        }
        return .init(id: id, number: number, json: record, keys: keys)
    }

    private static let idKey = Array("id".utf8)

    /// The member `key` of the object scanned last.
    private func member(_ key: [UInt8], in bytes: [UInt8]) -> JSONCanonicalScanner.Member? {
        members.first { $0.key.count == key.count && bytes[$0.key].elementsEqual(key) }
    }
}

/// What format detection needs of a JSON document: its top-level keys and what its `data` is.
struct JSONShape {
    enum DataMember {
        case array(isEmpty: Bool, firstHasDeletedTime: Bool)
        /// Not an array: the JSON type's name.
        case other(String)
    }

    var keys: Set<String>
    var data: DataMember?

    /// The shape of a parsed root object.
    init(_ root: JSONObject) {
        keys = Set(root.keys)
        data = root["data"].map { data in
            guard case .array(let items) = data else { return .other(data.typeName) }
            return .array(isEmpty: items.isEmpty, firstHasDeletedTime: items.first?["deleted_time"] != nil)
        }
    }

    init(keys: Set<String>, data: DataMember?) {
        (self.keys, self.data) = (keys, data)
    }
}

/// An API page, `{"data":[…],…}`, read without the parser: its shape and its records, each made
/// by `JSONRecordScanner`. Nil when anything in it is declined (the file then takes the parser's
/// path, whole, so its errors read as before): a page is small, and all or nothing keeps one
/// path per file.
struct ScannedPage: Sendable {
    let records: JSONRecordBatch
    let keys: Set<String>
    let firstHasDeletedTime: Bool

    var shape: JSONShape { JSONShape(keys: keys, data: .array(isEmpty: records.count == 0, firstHasDeletedTime: firstHasDeletedTime)) }

    init?(_ bytes: UnsafeBufferPointer<UInt8>, module: Module) {
        var json = JSONCanonicalScanner()
        json.begin(bytes)
        var scanner = JSONRecordScanner(module: module)
        var records = JSONRecordBatch()
        var keys: Set<String> = []
        var firstHasDeletedTime = false
        var skipped: [UInt8] = []
        var sawData = false
        guard json.consume(UInt8(ascii: "{")) else { return nil }
        if !json.consume(UInt8(ascii: "}")) {
            repeat {
                guard let key = json.key().map({ String(decoding: $0, as: UTF8.self) }), keys.insert(key).inserted else { return nil }
                guard key == "data" else {
                    skipped.removeAll(keepingCapacity: true)
                    guard json.value(into: &skipped) else { return nil }
                    continue
                }
                sawData = true
                guard json.consume(UInt8(ascii: "[")) else { return nil }
                if json.consume(UInt8(ascii: "]")) { continue }
                repeat {
                    guard json.peek() == UInt8(ascii: "{"), scanner.append(from: &json, to: &records) else { return nil }
                    if records.count == 1 { firstHasDeletedTime = scanner.lastHas("deleted_time", in: records) }
                } while json.consume(UInt8(ascii: ","))
                guard json.consume(UInt8(ascii: "]")) else { return nil }
            } while json.consume(UInt8(ascii: ","))
            guard json.consume(UInt8(ascii: "}")) else { return nil }
        }
        guard sawData, json.isAtEnd() else { return nil }
        (self.records, self.keys, self.firstHasDeletedTime) = (records, keys, firstHasDeletedTime)
    }
}
