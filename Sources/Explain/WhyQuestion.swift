import Catalogue
import Engine
import Formats
import Foundation

/// One `why` question: how does the replica treat `value` in `field` of `module` for `operation`?
public struct WhyQuestion: Sendable {
    /// The value exactly as the user gave it: no trimming, since a stray space may be the answer.
    public var value: String
    public var module: Module
    /// `upsert` or `insert`: an update names its record by id, so it has no duplicate question.
    public var operation: WriteOperation
    /// An API name or display label, any case; resolved through the field catalogue.
    public var field: String
    /// Overrides the batch's own `duplicate_check_fields` when both are given.
    public var duplicateCheckFields: [String]?
    /// Set to see the value as one row of a batch, with the batch's earlier rows applied first.
    public var batch: BatchRow?
    public var settings: Settings
    /// Reference date for the recycle bin's 60-day purge.
    public var asOf: Date
    /// Record the SQL the evaluator runs (`--show-sql`).
    public var showSQL: Bool

    public init(value: String, module: Module = .contacts, operation: WriteOperation = .upsert, field: String = "Email",
                duplicateCheckFields: [String]? = nil, batch: BatchRow? = nil, settings: Settings = Settings(),
                asOf: Date = Date(), showSQL: Bool = false) {
        self.value = value
        self.module = module
        self.operation = operation
        self.field = field
        self.duplicateCheckFields = duplicateCheckFields
        self.batch = batch
        self.settings = settings
        self.asOf = asOf
        self.showSQL = showSQL
    }
}

/// Row `row` (0-based, as in `$.data[row]`) of one request of a batch file: a bare payload, or
/// one request of a request log, a HAR capture or a Bulk Write CSV.
public struct BatchRow: Sendable {
    /// Where the batch came from, for messages (a file path).
    public var source: String
    public var records: [Record]
    public var duplicateCheckFields: [String]?
    public var row: Int
    /// The request the row belongs to, when the file holds requests (a log, a HAR, a CSV).
    public var request: RequestPosition?
    /// Runs what comes before this request in its file (the earlier requests, as `replay` runs
    /// them) on the session that then runs rows 0..<row: Explain knows requests only as this,
    /// so that the replay's own code runs them.
    public var before: @Sendable (Session) throws -> Void

    public init(source: String, records: [Record], duplicateCheckFields: [String]?, row: Int, request: RequestPosition? = nil,
                before: @escaping @Sendable (Session) throws -> Void = { _ in }) {
        self.source = source
        self.records = records
        self.duplicateCheckFields = duplicateCheckFields
        self.row = row
        self.request = request
        self.before = before
    }

    /// Reads a bare payload file (`{"data":[…],"duplicate_check_fields":[…]}`) through the same
    /// parser replay uses, so that `why --batch` and `replay` see the same records.
    public static func read(path: String, row: Int) throws -> BatchRow {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw WhyError.unreadableBatch(path: path, reason: error.localizedDescription)
        }
        let document: JSONValue
        do {
            document = try JSON.parse(bytes)
        } catch {
            throw WhyError.malformedBatch(path: path, problem: error.description)
        }
        do {
            // Module and operation do not change how the body parses; the question supplies them.
            let request = try RecordsRequest.parse(document, module: .contacts, operation: .upsert)
            return BatchRow(source: path, records: request.records, duplicateCheckFields: request.duplicateCheckFields, row: row)
        } catch let error as APIRequestError {
            throw WhyError.malformedBatch(path: path, problem: error.description)
        }
    }
}
