import Catalogue
import Engine
import Formats
import Foundation
import Ingest
import Persistence
import Storage

/// Replays requests against the replica with one `Session`, in order, each request seeing the
/// writes of those before it. A dry run (the default) runs inside a transaction that is rolled
/// back, so the database is unchanged afterwards; a commit keeps the writes and logs the replay
/// in `import_log`. Every request is checked before the first one runs, so bad input anywhere
/// writes nothing, even when committing.
public final class Replayer {
    public let replica: ReplicaService
    public let session: Session
    public var db: Database { replica.db }
    /// True when no `--as-of` was given: each request that carries a time (HAR
    /// `startedDateTime`, a log's `time`) is evaluated as of it, and the records it writes get it
    /// as Created_Time/Modified_Time; the others use `asOf` and `now`. False: `asOf` for all.
    public var followsRequestTimes = false
    private let asOf: Date
    private let now: () -> Date

    public init(replica: ReplicaService, settings: Settings, asOf: Date = Date(), now: @escaping () -> Date = Date.init) {
        self.replica = replica
        self.asOf = asOf
        self.now = now
        session = replica.session(settings: settings, asOf: asOf, now: now)
    }

    public convenience init(db: Database, settings: Settings, asOf: Date = Date(), now: @escaping () -> Date = Date.init) {
        self.init(replica: ReplicaService(db: db), settings: settings, asOf: asOf, now: now)
    }

    /// The settings stored in the replica with `--set KEY=VALUE` overrides applied for this run.
    public static func settings(_ replica: ReplicaService, overrides: [String]) throws -> Settings {
        do {
            return try replica.settings(overrides: overrides)
        } catch let error as SettingsError {
            throw ReplayError.invalidSetting(error.description)
        }
    }

    public static func settings(_ db: Database, overrides: [String]) throws -> Settings {
        try settings(ReplicaService(db: db), overrides: overrides)
    }

    public func run(_ input: ReplayInput, commit: Bool = false, explain: Bool = false) throws -> ReplayReport {
        // Every body is parsed before anything runs; the record calls' are read ahead below.
        var recordCalls: [(index: Int, request: RecordsRequest)] = []
        // A request Zoho refused is not run, so nothing is read ahead for it.
        for (index, request) in input.requests.enumerated() {
            if let parsed = try Self.validate(request), request.refusal == nil { recordCalls.append((index, parsed)) }
        }
        // Explaining asks the engine for each verdict's depends_on as it runs: one pass.
        session.whatIf = explain
        let requests = try replica.perform(session, commit: commit, {
            try self.session.startReadAhead(recordCalls, nearMiss: explain)
            defer { self.session.stopReadAhead() }
            return try input.requests.enumerated().map { try self.replay($1, index: $0, explain: explain) }
        }, beforeCommit: { requests in try ReplayLog.append(self.db, files: input.files, requests: requests) })
        var report = ReplayReport(requests: requests, ignored: input.ignored, settings: session.settings, committed: commit,
                                  clock: ReplayClock(requests: input.requests, asOf: followsRequestTimes ? nil : asOf, fallback: asOf))
        report.sources = try Settings.sources(db)
        return report
    }

    /// Parses the body against its call, as `Session.handle` will, to fail before anything runs;
    /// a record call comes back parsed (what the read-ahead reads ahead).
    static func validate(_ request: ReplayRequest) throws -> RecordsRequest? {
        guard request.bulkWrite == nil else { return nil }
        let api = request.request
        do {
            switch Route.of(api) {
            case .records(let module, let operation, let id):
                return try RecordsRequest.parse(api.body, module: module, operation: operation, pathID: id)
            case .related(let owner, let ownerID, let related, let relatedID, let unlink):
                _ = try MembershipRequest.parse(api.body, owner: owner, ownerID: ownerID, related: related, relatedID: relatedID,
                                                unlink: unlink, queryIDs: api.queryValue("ids"))
            case .delete, .restore, .unsupported:
                break
            }
        } catch let error as APIRequestError {
            throw ReplayError(error, source: request.source)
        }
        return nil
    }

    private func replay(_ request: ReplayRequest, index: Int, explain: Bool) throws -> ReplayedRequest {
        session.advanceReadAhead(to: index)
        if followsRequestTimes { Self.setClock(of: session, to: request, asOf: asOf, now: now) }
        return try Self.replay(request, index: index, on: session, explain: explain)
    }

    /// Moves `session`'s clock to `request`'s own time, or back to `asOf` and `now` when it has none.
    static func setClock(of session: Session, to request: ReplayRequest, asOf: Date, now: @escaping () -> Date) {
        session.evaluator.asOf = request.time?.date ?? asOf
        session.now = request.time.map { time in { time.date } } ?? now
    }

    /// Runs one request on `session` as a replay does: a request Zoho refused is not applied, a
    /// Bulk Write chunk follows Bulk Write's rules, any other call goes through `Session.handle`.
    /// `why --batch` runs a file's earlier requests through this too (`ReplayRow`).
    static func replay(_ request: ReplayRequest, index: Int, on session: Session, explain: Bool) throws -> ReplayedRequest {
        let route = Route.of(request.request)
        if let refusal = request.refusal, !route.isUnsupported {
            return try refused(request, index: index, route: route, refusal: refusal, on: session)
        }
        if let chunk = request.bulkWrite {
            let items = try BulkWriteRun(session: session, explain: explain).run(chunk)
            return ReplayedRequest(index: index, input: request, route: .records(chunk.module, chunk.operation, id: nil),
                                   status: nil, wholeAnswer: nil, items: items)
        }
        do {
            let result = try session.handle(request.request, depth: explain ? .full : .decision)
            let items = result.items.map(ReplayedItem.init(result:))
            return ReplayedRequest(index: index, input: request, route: route, status: result.skipped == nil ? result.status : nil,
                                   wholeAnswer: result.wholeAnswer, items: items)
        } catch let error as APIRequestError {
            throw ReplayError(error, source: request.source)
        }
    }

    /// A request Zoho refused whole wrote nothing there, so it is not run here either: later
    /// requests (its retry) must not see its records. It keeps its place in the report, with
    /// the replica's own answer only when the replica refuses it too, which writes nothing.
    private static func refused(_ request: ReplayRequest, index: Int, route: Route, refusal: Refusal,
                                on session: Session) throws -> ReplayedRequest {
        if let chunk = request.bulkWrite {
            return ReplayedRequest(index: index, input: request, route: .records(chunk.module, chunk.operation, id: nil),
                                   status: nil, wholeAnswer: .null, items: [], refused: refusal)
        }
        var status: Int?
        var answer = JSONValue.null
        do {
            if case .records(let module, let operation, let id) = route,
               session.requestError(try RecordsRequest.parse(request.request.body, module: module, operation: operation, pathID: id)) != nil {
                let result = try session.handle(request.request)
                status = result.status
                answer = result.wholeAnswer ?? .null
            }
        } catch let error as APIRequestError {
            throw ReplayError(error, source: request.source)
        }
        return ReplayedRequest(index: index, input: request, route: route, status: status, wholeAnswer: answer, items: [], refused: refusal)
    }
}

extension Route {
    /// A call the replica does not model: skipped, whatever its real answer.
    var isUnsupported: Bool {
        if case .unsupported = self { return true }
        return false
    }
}

extension ReplayError {
    init(_ error: APIRequestError, source: ReplaySource) {
        switch error {
        case .malformedBody(let path, let expected): self = .invalidRequest(at: source.body(path), expected: expected)
        }
    }
}

/// One `import_log` row (kind `replay`) per input file of a committed replay: which bytes
/// (SHA-256) changed the replica, and what they did.
enum ReplayLog {
    static func append(_ db: Database, files: [InputFileInfo], requests: [ReplayedRequest]) throws {
        for file in files {
            let tally = requests.filter { $0.input.source.file == file.path }.reduce(into: Tally()) { $0.add($1.tally) }
            var entry = ImportLog.Entry(kind: .replay, source: file.path, sha256: try FileDigest.sha256(path: file.path),
                                        module: file.module, format: file.format.rawValue)
            (entry.read, entry.inserted, entry.updated, entry.rejected) = (tally.items, tally.added, tally.updated, tally.failed)
            entry.unchanged = tally.otherSuccesses.reduce(0) { $0 + $1.count }
            try ImportLog.append(db, entry)
        }
    }
}
