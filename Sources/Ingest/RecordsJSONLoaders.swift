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
    let document: JSONValue
    let module: Module
    let store: RecordStore

    func load() throws -> Tally {
        let reader = JSONReader(path: file.path)
        let (items, itemsPath) = try reader.dataArray(document)
        var tally = Tally()
        let writer = try BulkWriter(store: store, module: module, fileBytes: file.size)
        defer { writer.restore() }
        for (index, item) in items.enumerated() {
            let record = try JSONRecord.make(item, at: itemsPath.index(index), reader: reader)
            tally.count(item: try writer.write(record))
        }
        try writer.finish()
        return tally
    }
}

/// Loads NDJSON, one record object a line, reading line by line so memory stays flat.
/// Blank lines are skipped; an error names the line and the path inside it.
struct NDJSONLoader {
    let file: InputFile
    let module: Module
    let store: RecordStore

    func load(progress: inout ProgressMeter) throws -> Tally {
        if let encoding = try file.utf16Encoding() {
            throw LoadError.unexpected(path: file.path, at: .line(1), expected: "UTF-8 text, one JSON object a line",
                                       found: "\(encoding.rawValue) text (its byte order mark); re-save the file as UTF-8")
        }
        let lines = try LineReader(path: file.path)
        var tally = Tally()
        let writer = try BulkWriter(store: store, module: module, fileBytes: file.size)
        defer { writer.restore() }
        while let line = try lines.next() {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let value: JSONValue
            do {
                value = try line.withUnsafeBufferPointer { bytes throws(JSONSyntaxError) in try JSON.parse(bytes) }
            } catch {
                throw JSONDocument.loadError(error, path: file.path, line: lines.lineNumber)
            }
            let reader = JSONReader(path: file.path, line: lines.lineNumber)
            tally.count(item: try writer.write(try JSONRecord.make(value, at: JSONPath(), reader: reader)))
            progress.advance(to: lines.bytesConsumed)
        }
        try writer.finish()
        progress.finish(at: lines.bytesConsumed)
        return tally
    }
}
