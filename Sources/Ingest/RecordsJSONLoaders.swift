import Catalogue
import Formats
import Storage

/// A record object as stored: every field with its JSON type, and the id as a string (read
/// exactly from a string or a JSON number), so that the same record from CSV and from JSON
/// compares equal on its key.
enum JSONRecord {
    static func make(_ value: JSONValue, at path: JSONPath, reader: JSONReader) throws -> Record {
        var fields = try reader.object(value, at: path)
        fields["id"] = .string(try reader.recordID(fields["id"], at: path.key("id")))
        return Record(fields: fields)
    }
}

/// Loads an API page, `{"data":[…],"info":{…}}`, into a module's live records. `info` (paging)
/// describes the call, not the org, and is not kept.
struct APIPageLoader {
    let file: InputFile
    /// The page's records: `ScannedPage`'s, or `records(of:…)` of the parsed document.
    let records: JSONRecordBatch
    let module: Module
    let store: RecordStore

    func load() throws -> Tally {
        let writer = try BulkWriter(store: store, module: module, fileBytes: file.size)
        defer { writer.restore() }
        let tally = try writer.write(records)
        try writer.finish()
        return tally
    }

    /// The records of a parsed page, each checked and its JSON text made: the half of a page's
    /// load that needs no connection (a run of pages makes it on its parse thread, `PageParser`).
    /// A page `ScannedPage` read has its records already.
    static func records(of document: JSONValue, file: InputFile, module: Module) throws -> JSONRecordBatch {
        let reader = JSONReader(path: file.path)
        let (items, itemsPath) = try reader.dataArray(document)
        var batch = JSONRecordBatch()
        for index in items.indices {
            batch.entries.append(.parsed(try BulkWriter.PreparedRecord(JSONRecord.make(items[index], at: itemsPath.index(index), reader: reader), module: module)))
        }
        return batch
    }

    /// The page's records, from detection: scanned, or made of the parsed document.
    static func records(_ detection: Detection, file: InputFile, module: Module) throws -> JSONRecordBatch {
        if let records = detection.records { return records }
        return try records(of: detection.document ?? JSONDocument.parse(file), file: file, module: module)
    }
}

/// Loads NDJSON, one record object a line, reading line by line so memory stays flat.
/// Blank lines are skipped; an error names the line and the path inside it. Lines are made
/// into records on a second thread (`NDJSONParser`) while this one writes them to SQLite, and
/// the file is hashed as it is read.
struct NDJSONLoader {
    let file: InputFile
    let module: Module
    let store: RecordStore

    func load(progress: inout ProgressMeter) throws -> (tally: Tally, sha256: String) {
        if let encoding = try file.utf16Encoding() {
            throw LoadError.unexpected(path: file.path, at: .line(1), expected: "UTF-8 text, one JSON object a line",
                                       found: "\(encoding.rawValue) text (its byte order mark); re-save the file as UTF-8")
        }
        let digest = FileDigest.Running()
        let lines = try LineReader(path: file.path, digest: digest)
        var tally = Tally()
        let writer = try BulkWriter(store: store, module: module, fileBytes: file.size)
        defer { writer.restore() }
        let parser = ParseThread(NDJSONParser(lines: lines, path: file.path, module: module))
        var running = true
        defer { if running { parser.finish() } }
        while let batch = parser.queue.take() {
            tally.add(try writer.write(batch.records))
            progress.advance(to: batch.bytesRead)
            if let failure = batch.failure { throw failure }
        }
        parser.finish()
        running = false
        try writer.finish()
        progress.finish(at: lines.bytesConsumed)
        return (tally, digest.hex)
    }
}

/// Records parsed on the NDJSON loader's parse thread, in file order.
struct RecordBatch: Sendable {
    var records = JSONRecordBatch()
    /// File bytes handed out when the batch was sent, for the progress meter.
    var bytesRead = 0
    /// The problem that ends the file right after these records.
    var failure: LoadError?

    static let maxRecords = 1024
}

/// The parse half of an NDJSON load: each line made into a record (by `JSONRecordScanner`, or,
/// for a line it declines, by the parser: the same errors, in the same order, as when one thread
/// parsed everything). Memory: `ParseThread.queueCapacity` + 2 batches of 1,024 records.
///
/// `@unchecked Sendable`: the line reader, its digest and the scanners belong to the parse thread
/// from `ParseThread.init` on, until `ParseThread.finish` has waited for the thread to end.
final class NDJSONParser: BatchProducer, @unchecked Sendable {
    private let lines: LineReader
    private let path: String
    private let module: Module
    private var json = JSONCanonicalScanner()
    private var scanner: JSONRecordScanner

    init(lines: LineReader, path: String, module: Module) {
        self.lines = lines
        self.path = path
        self.module = module
        scanner = JSONRecordScanner(module: module)
    }

    func produce(into queue: BoundedQueue<RecordBatch>) {
        var batch = RecordBatch()
        do {
            while let line = try lines.next() {
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
                try add(line, to: &batch.records)
                guard batch.records.count >= RecordBatch.maxRecords else { continue }
                batch.bytesRead = lines.bytesConsumed
                guard queue.put(batch) else { return }
                batch = RecordBatch()
            }
        } catch {
            batch.failure = LoadError(error, path: path)
        }
        batch.bytesRead = lines.bytesConsumed
        _ = queue.put(batch)
    }

    private func add(_ line: ArraySlice<UInt8>, to records: inout JSONRecordBatch) throws {
        let scanned = line.withUnsafeBufferPointer { bytes in
            json.begin(bytes)
            return scanner.append(from: &json, to: &records, alone: true)
        }
        if scanned { return }
        let value: JSONValue
        do {
            value = try line.withUnsafeBufferPointer { bytes throws(JSONSyntaxError) in try JSON.parse(bytes) }
        } catch {
            throw JSONDocument.loadError(error, path: path, line: lines.lineNumber)
        }
        let reader = JSONReader(path: path, line: lines.lineNumber)
        records.entries.append(.parsed(try BulkWriter.PreparedRecord(JSONRecord.make(value, at: JSONPath(), reader: reader), module: module)))
    }
}
