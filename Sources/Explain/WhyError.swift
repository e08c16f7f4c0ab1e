import Catalogue
import Engine

/// A question `why` cannot answer as asked: bad input, reported with what to do instead.
public enum WhyError: Error, CustomStringConvertible, Equatable {
    case emptyValue
    case unsupportedOperation(WriteOperation)
    case unknownField(String, module: Module, suggestions: [String])
    case unreadableBatch(path: String, reason: String)
    case malformedBatch(path: String, problem: String)
    case rowOutOfRange(row: Int, count: Int, path: String)
    case rowDoesNotHold(row: Int, field: String, held: String?, given: String, path: String)
    case batchOverLimit(count: Int, limit: Int, path: String)
    /// A batch row is evaluated inside a dry run, which a read-only connection cannot begin.
    case readOnlyDatabase

    public var description: String {
        switch self {
        case .emptyValue:
            return "the value is empty; give the value to explain, for example: crm-replica why ann@example.com"
        case .unsupportedOperation(let operation):
            return "why explains upsert and insert, not \(operation.rawValue): an update names its record by id; use replay to check updates"
        case .unknownField(let field, let module, let suggestions):
            return "`\(Matching.visible(field))` is not a field of \(module.rawValue) in the catalogue; use an API name or label such as "
                + "\(suggestions.joined(separator: ", ")) (load GET /settings/fields?module=\(module.rawValue) to add custom fields)"
        case .unreadableBatch(let path, let reason):
            return "cannot read the batch \(path): \(reason)"
        case .malformedBatch(let path, let problem):
            return "\(path): \(problem) (expected a bare payload {\"data\":[…], \"duplicate_check_fields\":[…]})"
        case .rowOutOfRange(let row, let count, let path):
            let rows = count == 0 ? "no records" : "\(count) record\(count == 1 ? "" : "s") (rows 0 to \(count - 1))"
            return "--row \(row) is outside the batch \(path), which has \(rows); rows count from 0, as in $.data[N]"
        case .rowDoesNotHold(let row, let field, let held, let given, let path):
            let holds = held.map { "holds \(field) `\(Matching.visible($0))`" } ?? "has no \(field)"
            return "row \(row) of \(path) \(holds), not `\(Matching.visible(given))`; check --row (rows count from 0, as in $.data[N]) and --field"
        case .batchOverLimit(let count, let limit, let path):
            return "the batch \(path) has \(count) records, more than batch_limit \(limit): Zoho refuses the whole request with "
                + "LIMIT_EXCEEDED before checking any record; split the batch, or --set batch_limit=\(count) to explain it anyway"
        case .readOnlyDatabase:
            return "explaining a batch row runs the earlier rows in a dry run, which needs the database opened read-write"
        }
    }
}
