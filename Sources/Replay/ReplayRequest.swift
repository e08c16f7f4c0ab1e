import Catalogue
import Engine
import Formats

/// Where a request came from, so every message and every result points back into the input:
/// a file, and a line (NDJSON log, CSV) and/or a JSON path (HAR entry, payload).
public struct ReplaySource: Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let path: JSONPath?

    public init(file: String, line: Int? = nil, path: JSONPath? = nil) {
        self.file = file
        self.line = line
        self.path = path
    }

    /// `log.ndjson:4`, `capture.har: $.log.entries[2]`, `batch.json`.
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let path { text += ": \(path)" }
        return text
    }

    /// A place inside the request body, which for a bare payload is the file's own document.
    func body(_ bodyPath: String) -> String {
        line == nil && path == nil ? "\(file): \(bodyPath)" : "\(self): request body \(bodyPath)"
    }
}

/// One request to replay, with the answer Zoho really gave when the input recorded it.
public struct ReplayRequest: Sendable {
    public let source: ReplaySource
    public let request: APIRequest
    public let realStatus: Int?
    public let realResponse: JSONValue?
    /// Set for the chunks of a Bulk Write CSV, which the replica runs row by row with Bulk
    /// Write's own rules (find_by, skipped rows) rather than as a REST call.
    public let bulkWrite: BulkWriteChunk?
    /// Things the reader noticed that the user should see (ignored CSV columns).
    public let notes: [String]
    /// When the request was sent, if the input says (HAR `startedDateTime`, a log's `time`).
    public let time: RequestTime?

    public init(source: ReplaySource, request: APIRequest, realStatus: Int? = nil, realResponse: JSONValue? = nil,
                bulkWrite: BulkWriteChunk? = nil, notes: [String] = [], time: RequestTime? = nil) {
        self.source = source
        self.request = request
        self.realStatus = realStatus
        self.realResponse = realResponse
        self.bulkWrite = bulkWrite
        self.notes = notes
        self.time = time
    }

    /// Zoho's refusal of the whole request, when its real answer is one: the request is then
    /// not applied. Nil without a real answer, at no cost to a replay that has none.
    public var refusal: Refusal? {
        realStatus == nil && realResponse == nil ? nil : Refusal(status: realStatus, response: realResponse)
    }

    /// True when Zoho's real answer is known: a response, or a status that refused the request.
    var answered: Bool { realResponse != nil || refusal != nil }

    /// This request with `answer` as its real answer (`--compare FILE`, which has no status).
    func withAnswer(_ answer: JSONValue?) -> ReplayRequest {
        ReplayRequest(source: source, request: request, realResponse: answer, bulkWrite: bulkWrite, notes: notes, time: time)
    }
}

/// One data row of an input file as the user wrote it, kept for the Bulk-Write-style result
/// file, which repeats every input column in input order.
public struct InputRow: Sendable, Equatable {
    /// The line in the input file (a CSV row, an NDJSON request); 0 when it has none (payload, HAR).
    public let line: Int
    public let columns: [String]
    public let values: [String]

    public init(line: Int, columns: [String], values: [String]) {
        self.line = line
        self.columns = columns
        self.values = values
    }
}

/// Up to `batch_limit` rows of a Bulk Write CSV: Bulk Write has no per-call limit of its own,
/// but the replica evaluates rows in batches so that `batch_visibility` means the same as for
/// the REST calls.
public struct BulkWriteChunk: Sendable {
    public let module: Module
    public let operation: WriteOperation
    /// `id` or a unique field: how Bulk Write finds the record a row is about.
    public let findBy: String?
    public let records: [Record]
    /// The CSV row behind each record, in the same order.
    public let rows: [InputRow]

    public init(module: Module, operation: WriteOperation, findBy: String?, records: [Record], rows: [InputRow]) {
        self.module = module
        self.operation = operation
        self.findBy = findBy
        self.records = records
        self.rows = rows
    }
}

/// A HAR entry outside `/crm/`: not replayed, but counted, so nothing disappears unreported.
public struct IgnoredEntry: Sendable, Equatable {
    public let source: ReplaySource
    public let method: String
    public let url: String

    public init(source: ReplaySource, method: String, url: String) {
        self.source = source
        self.method = method
        self.url = url
    }
}

/// One input file as read: what it was taken for, for the import log of a committed replay.
public struct InputFileInfo: Sendable, Equatable {
    public let path: String
    public let format: ReplayFormat
    public let module: Module?

    public init(path: String, format: ReplayFormat, module: Module?) {
        self.path = path
        self.format = format
        self.module = module
    }
}

/// Everything to replay, read and checked before anything runs.
public struct ReplayInput: Sendable {
    public var requests: [ReplayRequest] = []
    public var ignored: [IgnoredEntry] = []
    public var files: [InputFileInfo] = []

    public init(requests: [ReplayRequest] = [], ignored: [IgnoredEntry] = [], files: [InputFileInfo] = []) {
        self.requests = requests
        self.ignored = ignored
        self.files = files
    }

    /// The modules whose records the input writes (insert, update, upsert, Bulk Write): those
    /// whose unique fields decide its answers.
    public var writtenModules: [Module] {
        var modules: [Module] = []
        for request in requests {
            let module: Module?
            if let chunk = request.bulkWrite { module = chunk.module }
            else if case .records(let written, _, _) = Route.of(request.request) { module = written }
            else { module = nil }
            if let module, !modules.contains(module) { modules.append(module) }
        }
        return modules
    }

    /// True when the input recorded at least one real answer: `--compare` is then implied.
    public var carriesRealAnswers: Bool { requests.contains { $0.answered } }

    /// Takes the real answers of `--compare FILE`, in request order, in place of those the input
    /// recorded (the file takes precedence), so that a refusal in the file keeps its request
    /// from being applied just as a refusal in the input does.
    public mutating func answer(with real: [JSONValue]) {
        requests = requests.enumerated().map { index, request in request.withAnswer(index < real.count ? real[index] : nil) }
    }
}
