import Catalogue
import Engine
import Formats
import Foundation
import Ingest
import Persistence
import Replay
import Storage

/// Finds the settings under which the replica reproduces the answers Zoho really gave: the
/// inputs are replayed (dry runs, never written) under every combination of the settings that
/// can change a verdict, each from the same starting state, and every compared item is scored
/// by the combinations that reproduce it.
///
/// Why every combination rather than one setting at a time: the settings interact (a record
/// the batch writes under one value is the holder a later row finds), and 2^7 dry runs of a
/// log are affordable, where a greedy search could settle on a combination no value of a single
/// setting improves but another pair would.
public struct Calibrator: Sendable {
    /// The settings searched: every setting with values to try (`batch_limit` has none).
    public static let keys: [Settings.Key] = Settings.Key.allCases.filter { !$0.validValues.isEmpty && $0 != .batchLimit }

    public let path: String
    public let input: ReplayInput
    /// Real answers given apart from the input (`--compare FILE`), in request order.
    public let real: [JSONValue]?
    /// The settings the search starts from: its other settings (`batch_limit`) stay as they are.
    public let base: Settings
    /// One reference date for every request (`--as-of`); nil: each request's own time where the
    /// input records one (HAR `startedDateTime`, a log's `time`), else now, as `replay` does.
    public let asOf: Date?

    public init(path: String, input: ReplayInput, real: [JSONValue]?, base: Settings, asOf: Date?) {
        self.path = path
        self.input = input
        self.real = real
        self.base = base
        self.asOf = asOf
    }

    /// Every combination of the values of `searched` over `base`, defaults first.
    public func combinations(of searched: [Settings.Key] = Calibrator.keys) -> [Settings] {
        searched.reduce([base]) { partial, key in
            partial.flatMap { settings in
                key.validValues.compactMap { value in
                    var changed = settings
                    return (try? changed.set(key, value)) != nil ? changed : nil
                }
            }
        }
    }

    /// Replays the input under every combination on `workers` threads, each with its own
    /// connection to the file, in a shared dry run: the record calls' writes stay in memory, so
    /// the workers only read the file, side by side. An input whose calls write SQLite itself
    /// (deletes, restores, memberships, or more records than the in-memory overlay keeps) gives
    /// every worker but the first an in-memory copy of the file instead, so they never wait on
    /// each other: the copies cost memory, not answers.
    public func run(workers requested: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> Calibration {
        let inert = try InertSettings.find(in: input, store: RecordStore(db: try Database(path: path, mode: .readOnly)))
        let searched = Self.keys.filter { inert[$0] == nil }
        let combinations = self.combinations(of: searched)
        let workers = max(1, min(requested, combinations.count))
        let results = Results(count: combinations.count)
        let readsOnly = Self.keepsWritesInMemory(input)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            do {
                let replica = worker == 0 || readsOnly
                    ? try ReplicaService(path: path, access: .sharedDryRun)
                    : ReplicaService(db: try Database(path: path, mode: .readOnly).memoryCopy())
                for index in stride(from: worker, to: combinations.count, by: workers) {
                    results.set(index, try score(combinations[index], on: replica))
                }
            } catch {
                results.fail(error)
            }
        }
        let scores = try results.collect()
        var calibration = try Calibration(keys: Self.keys, inert: inert, combinations: combinations, scores: scores, base: base,
                                          unexplained: explainUnreproduced(scores: scores, combinations: combinations))
        calibration.clock = scores.first?.clock
            ?? asOf.map { "clock: --as-of \(Timestamps.format($0)) for every request" }
            ?? "clock: now: no request of the input carries a time (a HAR startedDateTime or a log's time); --as-of sets one"
        return calibration
    }

    /// True when replaying `input` writes nothing to SQLite in a dry run: only record calls, and
    /// fewer records than `RecordStore` keeps in memory before it writes them through.
    static func keepsWritesInMemory(_ input: ReplayInput) -> Bool {
        var records = 0
        for request in input.requests {
            if let chunk = request.bulkWrite {
                records += chunk.records.count
                continue
            }
            guard case .records = Route.of(request.request) else { return false }
            records += request.request.body?["data"]?.arrayValue?.count ?? 0
        }
        return records < RecordStore.defaultPendingLimit
    }

    /// One combination: which compared items it reproduces, and its differences.
    func score(_ settings: Settings, on replica: ReplicaService) throws -> Score {
        let replayer = Replayer(replica: replica, settings: settings, asOf: asOf ?? Date())
        replayer.followsRequestTimes = asOf == nil
        let report = try replayer.run(input, commit: false)
        let comparison = real.map { Comparison(report: report, real: $0) } ?? Comparison(report: report)
        let items = comparison.reproduced
        return Score(items: items.map { ItemKey(request: $0.request, item: $0.item) }, matched: items.map(\.matched),
                     differences: comparison.differences, clock: report.clock?.text)
    }

    /// The items no combination reproduces, each with the likeliest reason the replica can see.
    func explainUnreproduced(scores: [Score], combinations: [Settings]) throws -> [Unreproduced] {
        guard let first = scores.first else { return [] }
        let db = try Database(path: path, mode: .readOnly)
        let store = RecordStore(db: db)
        var result: [Unreproduced] = []
        for (index, key) in first.items.enumerated() where !scores.contains(where: { $0.matched[index] }) {
            let request = input.requests[key.request]
            let answer = real.map { key.request < $0.count ? $0[key.request] : .null } ?? request.realResponse ?? .null
            let items = Comparison.items(answer)
            let item = key.item < items.count ? items[key.item] : .null
            let differences = first.differences.filter { $0.request == key.request && ($0.item == key.item || $0.item == nil) }
            result.append(Unreproduced(request: key.request, item: key.item, source: request.source.description,
                                       reason: try Self.reason(item, request: request, store: store, db: db),
                                       differences: differences))
        }
        return result
    }

    /// What the replica can see about a real answer it never reproduces.
    static func reason(_ item: JSONValue, request: ReplayRequest, store: RecordStore, db: Database) throws -> Unreproduced.Reason {
        if let code = item["code"]?.stringValue, Outcome.Code(rawValue: code) == nil, code != "SUCCESS" {
            return .unmodelledCode(code)
        }
        let module = request.bulkWrite?.module ?? Route.of(request.request).module
        if let module, let field = item["details"]?["api_name"]?.stringValue, field != "id",
           try store.catalogue(module).field(field) == nil {
            return .unknownField(field, module: module)
        }
        let wrapped = item["details"]?["errors"]?.arrayValue ?? []
        for named in [item] + wrapped {
            guard let id = Comparison.recordID(named), item["message"]?.stringValue != "record added" else { continue }
            if try store.find(id: id) == nil, try store.findInBin(id: id) == nil {
                let exports = [InputFormat.uiExportCSV, .bulkReadCSV, .apiJSON, .ndjson].map(\.rawValue)
                let latest = try module.flatMap { try ImportLog.latestLoad(db, module: $0, formats: exports) }
                return .holderMissing(id: id, latestExport: latest)
            }
        }
        return .noSetting
    }
}

/// A compared item: request and item, both 0-based.
struct ItemKey: Hashable, Sendable {
    let request: Int
    let item: Int
}

/// What one combination reproduced.
struct Score: Sendable {
    let items: [ItemKey]
    let matched: [Bool]
    let differences: [Comparison.Difference]
    /// Which clock the requests were judged by, when the input carries times.
    var clock: String?

    var matchedCount: Int { matched.reduce(0) { $0 + ($1 ? 1 : 0) } }
}

/// The workers' scores, by combination; the first error any worker met.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var scores: [Score?]
    private var error: Error?

    init(count: Int) { scores = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ score: Score) { lock.withLock { scores[index] = score } }
    func fail(_ error: Error) { lock.withLock { if self.error == nil { self.error = error } } }

    func collect() throws -> [Score] {
        try lock.withLock {
            if let error { throw error }
            return scores.compactMap { $0 }
        }
    }
}

extension Route {
    /// The module whose records the call writes, if it writes records.
    var module: Module? {
        switch self {
        case .records(let module, _, _), .delete(let module, _): return module
        case .related, .restore, .unsupported: return nil
        }
    }
}
