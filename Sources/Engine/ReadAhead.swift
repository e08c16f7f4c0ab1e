import Catalogue
import Foundation
import Persistence
import Storage

/// Reads a replay's lookups from the committed state on a second thread, ahead of the replay.
///
/// Why: with record writes deferred (`RecordStore.deferWrites`), SQLite does not change while
/// a replay runs, so every index lookup of an input value, and the decoding of each record it
/// finds, can be done before the record's turn. On two cores that takes a third of the work off
/// the replay's own thread. The answers are those of the same SQL (`HolderLookup`) on a second,
/// read-only connection whose snapshot is the replay's: it starts after the replay took the
/// write lock, and is used only until the store reports a write to SQLite (`sqliteChanged`: a
/// flush, a delete or a restore writes, and from then on the replay reads for itself). Whatever
/// the read-ahead has not reached yet, the replay reads itself: the answers never depend on it.
public final class ReadAhead: @unchecked Sendable {
    /// The lookups of one record: its checked values and, for an update, its id.
    public struct Job: Sendable {
        public let request: Int
        public let module: Module
        public let values: [FieldValue]
        public let ids: [String]
    }

    public struct FieldValue: Sendable {
        public let field: String
        public let value: String
    }

    /// Values compare byte for byte, as SQLite compares them: two values Swift calls equal
    /// (canonically equivalent) can have different holders.
    struct LookupKey: Hashable {
        let module: Module
        let field: String
        let value: String
        let nearMiss: Bool

        static func == (a: LookupKey, b: LookupKey) -> Bool {
            a.module == b.module && a.nearMiss == b.nearMiss && a.field == b.field && Matching.sameBytes(a.value, b.value)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(module)
            hasher.combine(field)
            hasher.combine(nearMiss)
            var value = value
            value.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
        }
    }

    struct RecordKey: Hashable {
        let module: Module
        let id: String
    }

    /// Requests the read-ahead may run ahead of the replay, so that memory stays bounded.
    public static let defaultWindow = 8
    let window: Int
    /// Lookups and records answered from what was read ahead.
    public private(set) var served = 0

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var heldHits: [LookupKey: (request: Int, hits: [Hit])] = [:]
    private var heldRecords: [RecordKey: (request: Int, record: Record?)] = [:]
    /// What each request published, oldest first: what `advance` drops once the replay is past it.
    private var published: [(request: Int, hits: [LookupKey], records: [RecordKey])] = []
    private var consumer = 0
    private var stopped = false
    private var finished = false
    /// True while the read-ahead waits for the replay to catch up.
    private var waiting = false

    /// Starts reading `jobs` from the database file at `path` (the replay's, which must hold the
    /// write lock already). `nearMiss` adds the near-miss lookups (`match=unicode`, explanations).
    init(path: String, jobs: [Job], nearMiss: Bool, window: Int) {
        self.window = window
        let thread = Thread { [self] in
            produce(path: path, jobs: jobs, nearMiss: nearMiss)
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// The jobs of a replay's record calls, in order: for each record, its value of every field
    /// the evaluation checks first (the pattern, then the unique fields), and its id for an update.
    public static func jobs(_ requests: [(index: Int, request: RecordsRequest)], store: RecordStore) throws -> [Job] {
        var jobs: [Job] = []
        for (index, request) in requests {
            let catalogue = try store.catalogue(request.module)
            let pattern = CheckPattern(module: request.module, catalogue: catalogue, duplicateCheckFields: request.duplicateCheckFields)
            let fields = request.operation == .upsert ? pattern.fields : pattern.uniqueOrder(catalogue)
            for record in request.records {
                let values = fields.compactMap { field in record.comparable(field).map { FieldValue(field: field, value: $0) } }
                let ids = request.operation == .update ? RecordID.from(record["id"]).map { [$0] } ?? [] : []
                jobs.append(Job(request: index, module: request.module, values: values, ids: ids))
            }
        }
        return jobs
    }

    // MARK: The replay's side

    /// The replay is at request `index`: the read-ahead may go `window` requests further, and
    /// answers for requests before it that were never asked for are dropped.
    public func advance(to index: Int) {
        condition.lock()
        defer { condition.unlock() }
        consumer = index
        var passed = 0
        while passed < published.count && published[passed].request < index {
            for key in published[passed].hits where heldHits[key]?.request == published[passed].request { heldHits[key] = nil }
            for key in published[passed].records where heldRecords[key]?.request == published[passed].request { heldRecords[key] = nil }
            passed += 1
        }
        published.removeFirst(passed)
        condition.broadcast()
    }

    /// The live holders SQLite returns for this lookup, if read ahead and SQLite is unchanged.
    func hits(_ module: Module, field: String, value: String, nearMiss: Bool) -> [Hit]? {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, let held = heldHits.removeValue(forKey: LookupKey(module: module, field: field, value: value, nearMiss: nearMiss)) else {
            return nil
        }
        served += 1
        return held.hits
    }

    /// The live record `id` as SQLite holds it (`.some(nil)`: none), if read ahead and unchanged.
    func record(_ module: Module, id: String) -> Record?? {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, let held = heldRecords.removeValue(forKey: RecordKey(module: module, id: id)) else { return nil }
        served += 1
        return .some(held.record)
    }

    /// Waits until every job is read (or the window holds the read-ahead back).
    public func waitUntilRead() {
        condition.lock()
        defer { condition.unlock() }
        while !finished && !waiting { condition.wait() }
    }

    /// Stops the thread and waits for it to close its connection.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        heldHits.removeAll()
        heldRecords.removeAll()
        published.removeAll()
        condition.unlock()
    }

    /// The replay wrote to SQLite: what was read ahead may no longer hold, so the read-ahead
    /// stops for good (the store calls this through `RecordStore.willChangeSQLite`).
    public func sqliteChanged() {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return }
        stopped = true
        heldHits.removeAll()
        heldRecords.removeAll()
        condition.broadcast()
    }

    // MARK: The read-ahead's side

    private func produce(path: String, jobs: [Job], nearMiss: Bool) {
        defer {
            condition.lock()
            finished = true
            condition.broadcast()
            condition.unlock()
        }
        do {
            let db = try Database(path: path, mode: .readOnly)
            let store = RecordStore(db: db)
            let lookup = HolderLookup(store: store, statements: HolderLookup.StatementCache())
            // One read transaction: one snapshot for every answer.
            try db.execute("BEGIN")
            defer { try? db.execute("COMMIT") }
            for job in jobs {
                guard waitForTurn(job.request) else { return }
                var found: [(LookupKey, [Hit])] = []
                var fetched: [(RecordKey, Record?)] = []
                for entry in job.values {
                    for near in nearMiss ? [false, true] : [false] {
                        let holders = try lookup.liveInSQLite(job.module, field: entry.field, value: entry.value, near ? .nearMiss : .nocase)
                        found.append((LookupKey(module: job.module, field: entry.field, value: entry.value, nearMiss: near), holders))
                        for hit in holders {
                            fetched.append((RecordKey(module: job.module, id: hit.recordID), try store.find(module: job.module, id: hit.recordID)?.record))
                        }
                    }
                }
                for id in job.ids {
                    fetched.append((RecordKey(module: job.module, id: id), try store.find(module: job.module, id: id)?.record))
                }
                publish(job.request, found, fetched)
            }
        } catch {
            // A read-ahead that fails only loses time: the replay reads what it needs itself.
        }
    }

    /// Waits until `request` is within the window; false once stopped.
    private func waitForTurn(_ request: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && request > consumer + window {
            waiting = true
            condition.broadcast()
            condition.wait()
        }
        waiting = false
        return !stopped
    }

    private func publish(_ request: Int, _ found: [(LookupKey, [Hit])], _ fetched: [(RecordKey, Record?)]) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped, request >= consumer else { return }
        for (key, holders) in found { heldHits[key] = (request, holders) }
        for (key, record) in fetched { heldRecords[key] = (request, record) }
        if let last = published.last, last.request == request {
            published[published.count - 1].hits += found.map(\.0)
            published[published.count - 1].records += fetched.map(\.0)
        } else {
            published.append((request, found.map(\.0), fetched.map(\.0)))
        }
    }
}
