import Catalogue
import Formats
import Foundation
import Persistence
import Storage

/// One insert, update or upsert call.
public struct RecordsRequest: Sendable {
    public var module: Module
    public var operation: WriteOperation
    public var records: [Record]
    public var duplicateCheckFields: [String]?

    public init(module: Module, operation: WriteOperation, records: [Record], duplicateCheckFields: [String]? = nil) {
        self.module = module
        self.operation = operation
        self.records = records
        self.duplicateCheckFields = duplicateCheckFields
    }
}

/// The answer to one call: a verdict per record, or an error for the whole request.
public struct RequestResult: Sendable {
    public let verdicts: [Verdict]
    /// LIMIT_EXCEEDED: the request was refused whole and nothing was written.
    public let requestError: Outcome?
    public let limit: Int
}

/// Runs requests against the replica: evaluates each record in input order and writes what
/// succeeds, so that later records (and later requests) see it. The caller decides whether
/// the surrounding transaction commits (`--commit`) or rolls back (dry run).
public final class Session {
    public let store: RecordStore
    public let evaluator: Evaluator
    public var settings: Settings
    public var actor = User.replica
    /// The clock for Created_Time and Modified_Time; tests fix it.
    public var now: () -> Date
    public private(set) var batch = BatchContext()
    /// When true, every verdict `process` and `evaluate` return carries its `alternatives`
    /// (`depends_on`), found against the state the record saw, before it is written (afterwards
    /// the record would match itself).
    public var whatIf = false

    public init(db: Database, settings: Settings, asOf: Date = Date(), now: @escaping () -> Date = Date.init) {
        store = RecordStore(db: db)
        evaluator = Evaluator(store: store, asOf: asOf)
        self.settings = settings
        self.now = now
    }

    /// A read-ahead left running would keep its thread (waiting for requests that never come)
    /// and its connection.
    deinit { stopReadAhead() }

    public func run(_ request: RecordsRequest, depth: EvidenceDepth = .decision) throws -> RequestResult {
        if let error = requestError(request) {
            return RequestResult(verdicts: [], requestError: error, limit: settings.batchLimit)
        }
        startBatch()
        var verdicts: [Verdict] = []
        verdicts.reserveCapacity(request.records.count)
        for (row, record) in request.records.enumerated() {
            let input = EvaluationInput(module: request.module, operation: request.operation, record: record, row: row,
                                        duplicateCheckFields: request.duplicateCheckFields)
            verdicts.append(try process(input, depth: depth))
        }
        return RequestResult(verdicts: verdicts, requestError: nil, limit: settings.batchLimit)
    }

    /// The error that refuses `request` whole before any record is evaluated (LIMIT_EXCEEDED
    /// over `batch_limit` records), or nil. Public so that a replay can tell what the replica
    /// would answer to a request it must not run (one that Zoho really refused).
    public func requestError(_ request: RecordsRequest) -> Outcome? {
        request.records.count > settings.batchLimit ? Outcome(code: .limitExceeded) : nil
    }

    // MARK: Reading ahead

    /// Starts reading the lookups of `requests` ahead, on a second thread (`ReadAhead`). Only
    /// for runs whose record writes are deferred, started after the write lock is taken; a
    /// database in memory has no second connection, and reads for itself.
    public func startReadAhead(_ requests: [(index: Int, request: RecordsRequest)], nearMiss: Bool,
                               window: Int = ReadAhead.defaultWindow) throws {
        stopReadAhead()
        let db = store.db
        guard store.deferWrites, db.path != ":memory:", !db.path.isEmpty, !requests.isEmpty else { return }
        let jobs = try ReadAhead.jobs(requests, store: store)
        let ahead = ReadAhead(path: db.path, jobs: jobs, nearMiss: nearMiss || settings.match == .unicode, window: window)
        evaluator.lookup.readAhead = ahead
        // The first write to SQLite ends it; later writes then cost the store nothing.
        store.willChangeSQLite = { [weak store] in
            ahead.sqliteChanged()
            store?.willChangeSQLite = nil
        }
    }

    /// The run is at request `index` (the read-ahead stays a few requests ahead of it).
    public func advanceReadAhead(to index: Int) {
        evaluator.lookup.readAhead?.advance(to: index)
    }

    /// The running read-ahead, if any.
    public var readAhead: ReadAhead? { evaluator.lookup.readAhead }

    /// Lookups and records the read-aheads of this session answered (for `replay --timing`).
    public private(set) var readAheadServed = 0

    public func stopReadAhead() {
        store.willChangeSQLite = nil
        evaluator.lookup.readAhead?.stop()
        readAheadServed += evaluator.lookup.readAhead?.served ?? 0
        evaluator.lookup.readAhead = nil
    }

    /// Forgets which records earlier rows wrote: the next record starts a new batch.
    public func startBatch() {
        batch = BatchContext()
        batchNumber &+= 1
        evaluator.preferenceScope = batchNumber
    }

    private var batchNumber = 0

    /// Evaluates one record as row `input.row` of the current batch and writes it if it succeeds.
    public func process(_ input: EvaluationInput, depth: EvidenceDepth = .decision) throws -> Verdict {
        var verdict = try evaluate(input, depth: depth)
        try write(&verdict, row: input.row)
        return verdict
    }

    /// Evaluates without writing (the row `why --batch` asks about).
    public func evaluate(_ input: EvaluationInput, depth: EvidenceDepth = .full) throws -> Verdict {
        var verdict = try evaluator.evaluate(input, settings: settings, batch: batch, depth: depth)
        if whatIf { verdict.alternatives = try alternatives(input, baseline: verdict) }
        return verdict
    }

    /// The what-if evaluations behind `verdict.alternatives`. They are not the statements of the
    /// verdict itself, so a query log (`why --show-sql`) does not record them.
    private func alternatives(_ input: EvaluationInput, baseline: Verdict) throws -> [Alternative] {
        let db = store.db
        guard let log = db.queryLog else {
            return try evaluator.alternatives(input, settings: settings, batch: batch, baseline: baseline)
        }
        db.queryLog = nil
        defer { db.queryLog = log }
        return try evaluator.alternatives(input, settings: settings, batch: batch, baseline: baseline)
    }

    /// The last second formatted: `Timestamps.format` works in whole seconds, and a replay
    /// writes thousands of records within one.
    private var formatted: (second: Double, text: String)?

    /// `actor` as `Created_By` and `Modified_By` hold it, made once per actor.
    private var actorObject: (actor: User, json: JSONValue)?

    private func actorJSON() -> JSONValue {
        if let actorObject, actorObject.actor == actor { return actorObject.json }
        let json: JSONValue = .object(JSONObject(uncheckedUniqueKeys: ["name", "id"], values: [.string(actor.name), .string(actor.id)]))
        actorObject = (actor, json)
        return json
    }

    private func timestamp() -> String {
        let date = now()
        let second = date.timeIntervalSince1970.rounded(.down)
        if let formatted, formatted.second == second { return formatted.text }
        let text = Timestamps.format(date)
        formatted = (second, text)
        return text
    }

    /// Keeps the record `id` as it stood before the batch, for later rows under snapshot to find
    /// by those values. Read only when a snapshot answer can be asked for (the setting, or the
    /// what-if answers): the sequential replay's hot path does not pay for it.
    private func keepPreBatch(_ module: Module, id: String) throws {
        guard settings.batchVisibility == .snapshot || whatIf, batch.createdByRow[id] == nil,
              !batch.preBatch.holds(module, id: id), let stored = try store.find(module: module, id: id) else { return }
        try batch.preBatch.keep(stored.record, id: id, module: module, store: store)
    }

    private func write(_ verdict: inout Verdict, row: Int) throws {
        guard verdict.outcome.isSuccess, var record = verdict.written else { return }
        // The verdict gets the record back below; until then `record` is its fields' only
        // owner, so the fields added here do not copy them.
        verdict.written = nil
        let time = timestamp()
        let actorJSON = self.actorJSON()
        let inserting = verdict.outcome.action == .insert
        // Room for the fields added below at once, rather than a reallocation per field.
        record.fields.reserveCapacity(record.fields.count + 6)
        if inserting {
            let id = try store.nextID()
            record["id"] = .string(id)
            record["Created_Time"] = .string(time)
            record["Created_By"] = actorJSON
            if record["Owner"] == nil { record["Owner"] = actorJSON }
        }
        record["Modified_Time"] = .string(time)
        record["Modified_By"] = actorJSON
        guard let id = record.id else { verdict.written = record; return }
        if inserting {
            try store.insert(record, module: verdict.module, notingID: false)   // nextID noted it
            batch.createdByRow[id] = row
        } else {
            try keepPreBatch(verdict.module, id: id)
            try store.replace(record, module: verdict.module)
            batch.updatedByRow[id] = batch.updatedByRow[id] ?? row
        }
        let createdBy: User
        if case .object(let by)? = record["Created_By"], let name = by["name"]?.stringValue, let byID = by["id"]?.stringValue {
            createdBy = User(name: name, id: byID)
        } else {
            createdBy = actor
        }
        verdict.outcome.recordID = id
        verdict.outcome.written = WriteDetails(id: id, createdTime: record.text("Created_Time") ?? time, modifiedTime: time,
                                               createdBy: createdBy, modifiedBy: actor)
        verdict.written = record
    }
}
