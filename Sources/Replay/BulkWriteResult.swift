import Catalogue
import Engine
import Formats

/// Zoho's Bulk Write result file as the real answers of a Bulk Write CSV (`--compare result.csv`):
/// the input's columns, then `STATUS`, `RECORD_ID` and `ERRORS`, one row per input row. Each row
/// becomes the item a REST call would have answered, with only what the row says: its code, the
/// action for an upsert, the record id of an update, the fields its errors name. A result row
/// names no holder, so the comparison leaves the holder of an error unchecked (it compares only
/// what the real answer states).
enum BulkWriteResult {
    /// True when `path` starts like a result file: a CSV header with `STATUS` and `RECORD_ID`.
    static func isResultFile(path: String) -> Bool {
        CSVDelimiter.bulkWriteCandidates.contains { delimiter in
            let header = (try? CSVReader(path: path, delimiter: delimiter.rawValue).firstRecord()) ?? []
            return header.contains("STATUS") && header.contains("RECORD_ID")
        }
    }

    /// One envelope per Bulk Write request of `input`, its rows taken in order from the file.
    static func answers(path: String, for input: ReplayInput) throws -> [JSONValue] {
        let rows = try readRows(path: path)
        var next = 0
        var answers: [JSONValue] = []
        for request in input.requests {
            guard let chunk = request.bulkWrite else {
                throw ReplayError.unexpected(at: path, expected: "the answers of JSON calls (NDJSON envelopes or a JSON array)",
                                             found: "a Bulk Write result file, which answers Bulk Write CSV inputs only")
            }
            let end = next + chunk.rows.count
            guard end <= rows.count else { break }
            answers.append(.object(["data": .array(rows[next..<end].map { item($0, operation: chunk.operation) })]))
            next = end
        }
        let expected = input.requests.reduce(0) { $0 + ($1.bulkWrite?.rows.count ?? 0) }
        guard rows.count == expected else {
            throw ReplayError.unexpected(at: path, expected: "\(expected) result rows, one per input row", found: "\(rows.count)")
        }
        return answers
    }

    struct Row {
        let line: Int
        let status: String
        let recordID: String
        let errors: String
    }

    static func readRows(path: String) throws -> [Row] {
        var rows: [Row] = []
        do {
            let delimiter = try CSVDelimiter.detect(among: CSVDelimiter.bulkWriteCandidates,
                                                    read: { try CSVReader(path: path, delimiter: $0.rawValue).firstRecord() }, score: { (header: [String]) -> Int in ["STATUS", "RECORD_ID", "ERRORS"].filter(header.contains).count }).delimiter
            var columns: (status: Int, id: Int, errors: Int?, count: Int)?
            try CSVReader(path: path, delimiter: delimiter.rawValue).forEachRecord { view, line in
                guard let known = columns else {
                    let header = view.strings
                    guard let status = header.lastIndex(of: "STATUS"), let id = header.lastIndex(of: "RECORD_ID") else {
                        throw ReplayError.unexpected(at: "\(path):\(line)", expected: "a Bulk Write result header with STATUS and RECORD_ID",
                                                     found: header.joined(separator: ","))
                    }
                    columns = (status, id, header.lastIndex(of: "ERRORS"), header.count)
                    return true
                }
                guard !view.isBlank else { return true }
                guard view.count == known.count else {
                    throw ReplayError.raggedRow(path: path, line: line, expected: known.count, found: view.count)
                }
                let status = view.string(known.status).uppercased()
                guard ["ADDED", "UPDATED", "SKIPPED", "UNPROCESSED"].contains(status) else {
                    throw ReplayError.unexpected(at: "\(path):\(line)", expected: "STATUS ADDED, UPDATED, SKIPPED or UNPROCESSED",
                                                 found: view.string(known.status))
                }
                rows.append(Row(line: line, status: status, recordID: view.string(known.id), errors: known.errors.map(view.string) ?? ""))
                return true
            }
        } catch let error as CSVError {
            if error.line == 0 { throw ReplayError.unreadable(path: path, reason: error.message) }
            throw ReplayError.malformedCSV(path: path, line: error.line, problem: error.message)
        }
        return rows
    }

    /// The REST item a result row stands for.
    static func item(_ row: Row, operation: WriteOperation) -> JSONValue {
        switch row.status {
        case "ADDED", "UPDATED":
            let updated = row.status == "UPDATED"
            var item: JSONObject = ["code": .string(Outcome.Code.success.rawValue)]
            if operation == .upsert { item["action"] = .string(updated ? Action.update.rawValue : Action.insert.rawValue) }
            item["details"] = .object(row.recordID.isEmpty ? [:] : ["id": .string(row.recordID)])
            item["message"] = .string(updated ? "record updated" : "record added")
            item["status"] = .string("success")
            return .object(item)
        default:
            let errors = parse(row.errors)
            guard errors.count > 1 else {
                let error = errors.first ?? (code: row.status, field: nil)
                return failure(code: error.code, field: error.field)
            }
            return .object(["code": .string(Outcome.Code.multipleErrors.rawValue),
                            "details": .object(["errors": .array(errors.map { failure(code: $0.code, field: $0.field) })]),
                            "message": .string(ZohoResponse.message(.multipleErrors)), "status": .string("error")])
        }
    }

    /// `MANDATORY_NOT_FOUND-Company,Last_Name:DUPLICATE_DATA-Email` → one (code, field) per field.
    static func parse(_ cell: String) -> [(code: String, field: String?)] {
        cell.split(separator: ":").flatMap { part -> [(code: String, field: String?)] in
            guard let dash = part.firstIndex(of: "-") else { return [(String(part), nil)] }
            let code = String(part[..<dash])
            return part[part.index(after: dash)...].split(separator: ",").map { (code, String($0)) }
        }
    }

    static func failure(code: String, field: String?) -> JSONValue {
        .object(["code": .string(code), "details": .object(field.map { ["api_name": .string($0)] } ?? [:]), "status": .string("error")])
    }
}
