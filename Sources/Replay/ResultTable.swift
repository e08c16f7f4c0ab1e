import Catalogue
import Engine
import Formats
import Foundation

/// A Bulk-Write-style result file (docs/zoho-facts.md#exports-and-bulk-write): every input column in input order, then
/// `STATUS` (ADDED, UPDATED, SKIPPED, UNPROCESSED), `RECORD_ID` and `ERRORS` (`CODE-field`,
/// several joined by `:`), one row per input record in input order. For JSON inputs the
/// columns are the record fields, in the order first seen.
public struct ResultTable: Sendable {
    public enum Status: String, Sendable {
        case added = "ADDED", updated = "UPDATED", skipped = "SKIPPED", unprocessed = "UNPROCESSED"
    }

    public struct Row: Sendable, Equatable {
        public let input: InputRow
        public let status: Status
        public let recordID: String
        public let errors: String
    }

    public let columns: [String]
    public let rows: [Row]

    public init(report: ReplayReport) {
        rows = report.requests.flatMap(Self.rows)
        var seen = Set<String>()
        columns = rows.flatMap(\.input.columns).filter { seen.insert($0).inserted }
    }

    public var header: [String] { columns + ["STATUS", "RECORD_ID", "ERRORS"] }

    /// The cells of each row under `header`; a column a row lacks is empty.
    public var cells: [[String]] {
        rows.map { row in
            let values = Dictionary(zip(row.input.columns, row.input.values), uniquingKeysWith: { first, _ in first })
            return columns.map { values[$0] ?? "" } + [row.status.rawValue, row.recordID, row.errors]
        }
    }

    public var csv: String {
        ([header] + cells).map { $0.map(Self.quote).joined(separator: ",") + "\r\n" }.joined()
    }

    public func write(to path: String) throws {
        do {
            try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw ReplayError.unreadable(path: path, reason: "cannot write the result file: \(error.localizedDescription)")
        }
    }

    /// RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled. Bytes,
    /// not Characters: CRLF (as Excel writes a line break in a cell) is one Character, equal to
    /// neither "\r" nor "\n".
    static func quote(_ cell: String) -> String {
        guard cell.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") })
        else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The rows of one request: a Bulk Write chunk's CSV rows, or the records of a REST call
    /// (whose body `Replayer` has already checked, so it parses). Other calls (membership,
    /// delete) write no records and add no rows.
    static func rows(_ request: ReplayedRequest) -> [Row] {
        let inputs: [InputRow]
        if let chunk = request.input.bulkWrite {
            inputs = chunk.rows
        } else if case .records(let module, let operation, _) = request.route,
                  let parsed = try? RecordsRequest.parse(request.input.request.body, module: module, operation: operation) {
            inputs = parsed.records.map { record in
                InputRow(line: request.input.source.line ?? 0, columns: Array(record.fields.keys),
                         values: record.fields.values.map(text))
            }
        } else {
            return []
        }
        guard request.items.count == inputs.count else {
            // The call was refused whole (by Zoho, or by the replica: LIMIT_EXCEEDED): no row was processed.
            let code = request.refused?.cause ?? request.body["code"]?.stringValue ?? ""
            return inputs.map { Row(input: $0, status: .unprocessed, recordID: "", errors: code) }
        }
        return zip(inputs, request.items).map { input, item in
            let json = item.result.item
            guard item.result.code == .success else {
                return Row(input: input, status: .skipped, recordID: "", errors: Self.errors(json))
            }
            let updated = item.action == .update || json["message"]?.stringValue == "record updated"
            return Row(input: input, status: updated ? .updated : .added, recordID: json["details"]?["id"]?.stringValue ?? "", errors: "")
        }
    }

    /// Bulk Write's `ERRORS` cell: `CODE-field`, the fields of one code joined by `,` and the
    /// codes by `:` (`MANDATORY_NOT_FOUND-Company,Last_Name:DUPLICATE_DATA-Email`); the errors
    /// a `MULTIPLE_OR_MULTI_ERRORS` item wraps are listed each by its own code.
    static func errors(_ item: JSONValue) -> String {
        let errors = item["details"]?["errors"]?.arrayValue ?? [item]
        var fields: [(code: String, names: [String])] = []
        for error in errors {
            let code = error["code"]?.stringValue ?? ""
            let name = error["details"]?["api_name"]?.stringValue
            if let index = fields.firstIndex(where: { $0.code == code }) {
                if let name { fields[index].names.append(name) }
            } else {
                fields.append((code, name.map { [$0] } ?? []))
            }
        }
        return fields.map { $0.code + ($0.names.isEmpty ? "" : "-" + $0.names.joined(separator: ",")) }.joined(separator: ":")
    }

    /// A field's value as a cell: text as is, other JSON as JSON text.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .string(let text), .number(let text): return text
        case .bool(let flag): return String(flag)
        case .array, .object: return JSON.write(value)
        }
    }
}
