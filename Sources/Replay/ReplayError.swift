import Catalogue
import Engine

/// Why a replay did not run. Every message names the file, the line or JSON path, and what was
/// expected; a replay that fails this way writes nothing, even with `--commit`, because inputs
/// are read and checked before the first request runs.
public enum ReplayError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    /// JSON syntax; `at` is the file with its line or JSON path.
    case malformedJSON(at: String, problem: String)
    /// A value of the wrong type or shape.
    case unexpected(at: String, expected: String, found: String)
    /// A request body the API call cannot take (`data` not an array of records…).
    case invalidRequest(at: String, expected: String)
    case undetectableFormat(path: String, reason: String)
    /// A bare payload does not say which call it is.
    case callRequired(path: String)
    /// A Bulk Write CSV does not say which module it imports into.
    case moduleRequired(path: String)
    case unknownModule(String)
    case unknownOperation(String)
    case unknownFormat(String)
    case invalidEndpoint(String, reason: String)
    case findByRequired(path: String, operation: WriteOperation)
    case invalidFindBy(field: String, module: Module, valid: [String])
    case findByColumnMissing(path: String, field: String)
    case malformedCSV(path: String, line: Int, problem: String)
    case raggedRow(path: String, line: Int, expected: Int, found: Int)
    case duplicateColumn(path: String, first: String, second: String, field: String)
    case unsupportedEncoding(at: String, encoding: String)
    case invalidDate(String)
    /// A setting override (`--set`) that is not a key or value of the settings.
    case invalidSetting(String)
    /// `--compare` without a file, on inputs that recorded no real answer: comparing nothing
    /// would "pass" and prove nothing.
    case nothingToCompare
    /// `why --batch`: a `--row` or `--request` the input does not have, or a request without records.
    case rowOutsideInput(path: String, row: Int, records: Int, requests: Int)
    case requestOutsideInput(path: String, request: Int, requests: Int)
    case rowOutsideRequest(path: String, row: Int?, request: Int, records: Int)
    case requestWithoutRecords(path: String, request: Int, source: String, call: String)
    /// `why --batch` on a Bulk Write CSV whose rows are not judged as one REST call.
    case bulkWriteNotExplained(path: String, operation: WriteOperation, findBy: String?)

    private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot be read: \(reason)"
        case .malformedJSON(let at, let problem):
            return "\(at): malformed JSON: \(problem)"
        case .unexpected(let at, let expected, let found):
            return "\(at): expected \(expected), found \(found)"
        case .invalidRequest(let at, let expected):
            return "\(at): expected \(expected)"
        case .undetectableFormat(let path, let reason):
            return "\(path): cannot tell what kind of input this is (\(reason)); pass --format with one of: \(ReplayFormat.valueList)"
        case .callRequired(let path):
            return "\(path): a bare payload does not say which call it is; pass --module (and --operation upsert|insert|update) or --endpoint \"POST /crm/v8/Contacts/upsert\""
        case .moduleRequired(let path):
            return "\(path): a Bulk Write CSV does not say which module it imports into; pass --module with one of: \(Module.allCases.map(\.rawValue).joined(separator: ", "))"
        case .unknownModule(let name):
            return "unknown module `\(name)`; use one of: \(Module.allCases.map(\.rawValue).joined(separator: ", "))"
        case .unknownOperation(let name):
            return "unknown operation `\(name)`; use one of: \(WriteOperation.allCases.map(\.rawValue).joined(separator: ", "))"
        case .unknownFormat(let name):
            return "unknown format `\(name)`; use one of: \(ReplayFormat.valueList)"
        case .invalidEndpoint(let text, let reason):
            return "--endpoint `\(text)`: \(reason); write it as METHOD PATH, for example \"POST /crm/v8/Contacts/upsert\""
        case .findByRequired(let path, let operation):
            return "\(path): a Bulk Write \(operation.rawValue) needs find_by; pass --find-by id or --find-by with a unique field"
        case .invalidFindBy(let field, let module, let valid):
            return "--find-by `\(field)` is neither id, the system duplicate-check field nor a unique field of \(module.rawValue) (Bulk Write's find_by must be one); use one of: \(valid.joined(separator: ", "))"
        case .findByColumnMissing(let path, let field):
            return "\(path): line 1: --find-by \(field) names no column of the header; add a \(field) column or choose another --find-by"
        case .malformedCSV(let path, let line, let problem):
            return "\(path):\(line): malformed CSV: \(problem)"
        case .raggedRow(let path, let line, let expected, let found):
            return "\(path):\(line): expected \(expected) fields as in the header, found \(found)"
        case .duplicateColumn(let path, let first, let second, let field):
            return "\(path): line 1: the columns `\(first)` and `\(second)` both name the field \(field); keep one of them"
        case .unsupportedEncoding(let at, let encoding):
            return "\(at): the response content has the encoding `\(encoding)`; the replica reads plain text or base64"
        case .invalidDate(let text):
            return "--as-of `\(text)` is not a date; write it as YYYY-MM-DD or 2026-11-28T10:00:00+00:00"
        case .invalidSetting(let message):
            return "--set: \(message)"
        case .nothingToCompare:
            return "nothing to compare: the input has no responses; give --compare FILE with Zoho's answers in request order"
        case .rowOutsideInput(let path, let row, let records, let requests):
            return "--row \(row) is outside the batch \(path), which has \(Self.count(records, "record")) in \(Self.count(requests, "request")); "
                + "rows count from 0 across the requests (or give --request K --row N)"
        case .requestOutsideInput(let path, let request, let requests):
            return "--request \(request) is outside \(path), which has \(Self.count(requests, "request")); requests count from 0"
        case .rowOutsideRequest(let path, let row?, let request, let records):
            return "--row \(row) is outside request \(request) of the batch \(path), which has \(Self.count(records, "record")); "
                + "rows count from 0 within the request"
        case .rowOutsideRequest(let path, nil, let request, let records):
            return "\(path): --request \(request) needs --row N: that request has \(Self.count(records, "record")) (rows 0 to \(records - 1))"
        case .requestWithoutRecords(let path, let request, let source, let call):
            return "\(path): request \(request) (\(source)) is \(call), which carries no records to explain; choose an insert, update or upsert"
        case .bulkWriteNotExplained(let path, let operation, let findBy):
            return "\(path): why explains a Bulk Write upsert by a field or an insert without find_by; a Bulk Write \(operation.rawValue)"
                + (findBy.map { " with find_by \($0)" } ?? " without find_by") + " decides by its own rules: replay it to see its answer"
        }
    }
}
