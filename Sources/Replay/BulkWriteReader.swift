import Catalogue
import Engine
import Formats

/// A Bulk Write CSV (docs/zoho-facts.md#exports-and-bulk-write): API-name headers, one record a row. Headers are checked
/// against the module's field catalogue; a column that names no field is left out of every
/// record and noted, so no user text ever becomes a field name. Rows are cut into requests of
/// `batch_limit` rows.
struct BulkWriteReader {
    let path: String
    let module: Module
    let options: ReadOptions
    let catalogue: FieldCatalogue
    /// The file's content when it was never written to disk (a page's upload); nil reads `path`.
    var bytes: [UInt8]? = nil

    func read() throws -> [ReplayRequest] {
        try checkFindBy()
        let (header, rows, delimiter) = try readRows()
        let fields = try mapColumns(header)
        if let findBy = options.findBy, !fields.contains(findBy) {
            throw ReplayError.findByColumnMissing(path: path, field: findBy)
        }
        let ignored = zip(header, fields).filter { $0.1 == nil }.map(\.0)
        // Said only when it is not the comma, as `load` does: the comma is what everyone expects.
        let separator = delimiter == .comma ? [] : [
            "The fields are separated by \(delimiter.name), not commas (Bulk Write detects `,` `;` `:` `|` from the header line)."
        ]
        let notes = separator + ignored.map { column in
            "The column `\(Matching.visible(column))` is not a field of \(module.rawValue) in the catalogue, so Bulk Write leaves it out of every record."
        }
        let records = rows.map { record(from: $0, fields: fields) }
        let limit = max(1, options.batchLimit)
        return stride(from: 0, to: rows.count, by: limit).map { start in
            let range = start..<min(start + limit, rows.count)
            let chunk = BulkWriteChunk(module: module, operation: options.operation, findBy: options.findBy,
                                       records: Array(records[range]), rows: Array(rows[range]))
            return ReplayRequest(source: ReplaySource(file: path, line: rows[start].line), request: request(for: chunk),
                                 bulkWrite: chunk, notes: start == 0 ? notes : [])
        }
    }

    /// find_by is mandatory for update and upsert, and must be `id`, a unique field, or the
    /// module's system duplicate-check field: Zoho's own SDK sample upserts Leads by Email, which
    /// the field metadata does not mark unique, so refusing it would refuse a job Zoho runs.
    private func checkFindBy() throws {
        guard let findBy = options.findBy else {
            if options.operation != .insert { throw ReplayError.findByRequired(path: path, operation: options.operation) }
            return
        }
        let system = module.systemDuplicateField
        guard findBy == "id" || findBy == system || catalogue.field(findBy)?.isUnique == true else {
            let unique = catalogue.uniqueFields.map(\.apiName).filter { $0 != system }
            throw ReplayError.invalidFindBy(field: findBy, module: module, valid: ["id", system] + unique)
        }
    }

    /// The rows, split by the separator Zoho's Bulk Write would find: of `,` `;` `:` `|`, the one
    /// whose split of the header line names the most fields of the module (`,` on a tie). A Bulk
    /// Write CSV need not have an id column, so the header's known API names are the only sign.
    private func readRows() throws -> (header: [String], rows: [InputRow], delimiter: CSVDelimiter) {
        var header: [String]?
        var rows: [InputRow] = []
        let delimiter: CSVDelimiter
        do {
            delimiter = try CSVDelimiter.detect(among: CSVDelimiter.bulkWriteCandidates, read: headerLine,
                                                score: { $0.filter { field(forColumn: $0) != nil }.count }).delimiter
            let reader = try csvReader(delimiter)
            try reader.forEachRecord { view, line in
                guard let columns = header else {
                    header = view.strings
                    return true
                }
                guard view.count == columns.count else {
                    throw ReplayError.raggedRow(path: path, line: line, expected: columns.count, found: view.count)
                }
                rows.append(InputRow(line: line, columns: columns, values: view.strings))
                return true
            }
        } catch let error as CSVError {
            if error.line == 0 { throw ReplayError.unreadable(path: path, reason: error.message) }
            throw ReplayError.malformedCSV(path: path, line: error.line, problem: error.message)
        }
        guard let header else { throw ReplayError.unreadable(path: path, reason: "the file is empty; expected a header line of API names") }
        return (header, rows, delimiter)
    }

    private func csvReader(_ delimiter: CSVDelimiter) throws -> CSVReader {
        guard let bytes else { return try CSVReader(path: path, delimiter: delimiter.rawValue) }
        return CSVReader(bytes: bytes, name: path, delimiter: delimiter.rawValue)
    }

    /// The first record of the file split by `delimiter` (empty for an empty file).
    private func headerLine(_ delimiter: CSVDelimiter) throws -> [String] {
        try csvReader(delimiter).firstRecord()
    }

    /// The API name each column feeds, or nil for a column that names no field. `id` is Bulk
    /// Write's record id column; other headers are API names, with the catalogue's tolerance
    /// for case and spaces.
    private func mapColumns(_ header: [String]) throws -> [String?] {
        var seen: [String: String] = [:]
        return try header.map { column in
            guard let field = field(forColumn: column) else { return nil }
            if let first = seen[field] {
                throw ReplayError.duplicateColumn(path: path, first: first, second: column, field: field)
            }
            seen[field] = column
            return field
        }
    }

    private func field(forColumn column: String) -> String? {
        let name = column.trimmingCharacters(in: .whitespaces)
        return catalogue.field(name)?.apiName ?? catalogue.apiName(forHeader: name)
    }

    /// An empty cell clears the field (null), unless ignore_empty leaves the stored value alone.
    private func record(from row: InputRow, fields: [String?]) -> Record {
        var record = Record()
        for (field, value) in zip(fields, row.values) {
            guard let field else { continue }
            if value.isEmpty {
                if !options.ignoreEmpty { record[field] = .null }
            } else if catalogue.valueRule(field)?.type == .boolean, let flag = Bool(value.lowercased()) {
                // A CSV holds only text: a boolean column's true or false is the boolean, not a string Zoho would refuse.
                record[field] = .bool(flag)
            } else {
                record[field] = .string(value)
            }
        }
        return record
    }

    /// The REST call the chunk stands for, so it prints and compares like any other request.
    private func request(for chunk: BulkWriteChunk) -> APIRequest {
        let call = PayloadReader.call(module, chunk.operation)
        var body: JSONObject = ["data": .array(chunk.records.map { .object($0.fields) })]
        if chunk.operation == .upsert, let findBy = chunk.findBy, findBy != "id" {
            body["duplicate_check_fields"] = .array([.string(findBy)])
        }
        return APIRequest(method: call.method, target: call.target, body: .object(body))
    }
}
