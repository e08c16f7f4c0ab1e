import Formats
import Foundation

/// A first-in first-out queue of at most `capacity` elements between one producing thread and
/// one consuming thread. The bound is what keeps a load's memory flat: a parse thread faster than
/// SQLite waits here instead of reading the whole file ahead.
///
/// `@unchecked Sendable`: every stored property is read and written under `condition` only.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var items: [Element] = []
    private var closed = false
    private var cancelled = false

    init(capacity: Int) {
        precondition(capacity > 0, "a bounded queue needs room for one element")
        self.capacity = capacity
    }

    /// Appends `item`, waiting while the queue is full. False when the consumer has cancelled:
    /// the producer should stop, nobody will take what it makes.
    func put(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// The producer is done: `take` returns nil once the queue is drained.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer is done (it failed, or it is leaving): a waiting `put` wakes and says false.
    func cancel() {
        condition.lock()
        cancelled = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The oldest element, waiting while the queue is empty and open; nil once it is closed and drained.
    func take() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed && !cancelled { condition.wait() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }
}

extension LoadError {
    /// `error` as the load reports it: itself, or a storage problem (what `Loader` makes of any
    /// other error), so that an error met on the parse thread reads as it did on one thread.
    init(_ error: any Error, path: String) {
        self = (error as? LoadError) ?? .storage(path: path, reason: "\(error)")
    }
}

/// The parsing half of a load, run on its own thread by `ParseThread`: it reads the file and
/// puts batches into the queue, stopping when `put` says the SQLite thread has left.
protocol BatchProducer: AnyObject, Sendable {
    associatedtype Batch: Sendable
    func produce(into queue: BoundedQueue<Batch>)
}

/// Runs a `BatchProducer` on a second thread while the caller's thread (the SQLite connection's
/// only one) takes the batches from `queue`. One producer, one consumer, one bounded queue: the
/// whole of the load's threading.
final class ParseThread<Producer: BatchProducer>: Sendable {
    /// Four batches wait at most; with one being made and one being written, six are alive.
    static var queueCapacity: Int { 4 }

    let queue = BoundedQueue<Producer.Batch>(capacity: ParseThread.queueCapacity)
    private let done = DispatchSemaphore(value: 0)

    /// Starts `producer` on a new thread. Call `finish` before the caller touches anything the
    /// producer owns again.
    init(_ producer: Producer) {
        Thread { [queue, done] in
            producer.produce(into: queue)
            queue.close()
            done.signal()
        }.start()
    }

    /// Stops the producer if it still runs (nobody takes its batches any more) and waits for its
    /// thread to end. Call once.
    func finish() {
        queue.cancel()
        done.wait()
    }
}

/// CSV rows copied out of the reader's buffer, with each row's record JSON and keys already made: what
/// the parse thread hands the SQLite thread. Plain arrays, so a batch is a value that moves
/// between the threads without sharing anything.
struct CSVRowBatch: Sendable {
    struct Row: Sendable {
        /// The normalized record id (inside the id cell's bytes).
        var id: Range<Int>
        var number: Int64
        var json: Range<Int>
    }

    /// The cells and the JSON text of every row, back to back.
    var bytes: [UInt8] = []
    /// For each row, one start,end pair into `bytes` per column (the layout `CSVRecordView` reads).
    var cellOffsets: [Int] = []
    /// For each row, the range in `bytes` of each near-miss key the plan stores; nil for NULL.
    var keyRanges: [Range<Int>?] = []
    var rows: [Row] = []
    /// Rows whose every cell is empty, met among these rows: counted `skipped`.
    var blankRows = 0
    /// Source bytes read when the batch was sent, for the progress meter.
    var bytesRead = 0
    /// The problem that ends the file right after these rows.
    var failure: LoadError?

    /// A batch is sent when it holds this many rows or bytes, whichever comes first.
    static let maxRows = 2048
    static let maxBytes = 1 << 20

    init() {
        bytes.reserveCapacity(Self.maxBytes + (64 << 10))
    }

    var isFull: Bool { rows.count >= Self.maxRows || bytes.count >= Self.maxBytes }
}

/// The parse half of a CSV load, on its own thread: it reads the rows after the header (hashing
/// the file as it goes), checks each (blank, ragged, record id), and copies its cells, its record
/// JSON and its near-miss keys into batches for the SQLite thread, which only binds and steps.
/// On a 2-core machine the two halves then overlap.
///
/// Memory: at most `ParseThread.queueCapacity` batches wait in the queue, one is being filled and
/// one written, each about `CSVRowBatch.maxBytes` (a row larger than that makes a batch of its
/// own): about 6 MiB, whatever the file size.
///
/// `@unchecked Sendable`: the reader, and the digest its observer feeds, belong to the parse thread
/// from `ParseThread.init` on; the loader's thread touches them again only after
/// `ParseThread.finish` has waited for the thread to end (the semaphore orders the two).
final class CSVRowParser: BatchProducer, @unchecked Sendable {
    private let reader: CSVReader
    private let plan: BulkWriter.CSVPlan
    private let path: String
    private let headers: [String]
    private var keyScratch: [UInt8] = []

    init(reader: CSVReader, plan: BulkWriter.CSVPlan, path: String, headers: [String]) {
        self.reader = reader
        self.plan = plan
        self.path = path
        self.headers = headers
    }

    func produce(into queue: BoundedQueue<CSVRowBatch>) {
        var batch = CSVRowBatch()
        do {
            try CSVFile.read(reader, path: path) { view, line in
                try add(view, line: line, to: &batch)
                guard batch.isFull else { return true }
                batch.bytesRead = reader.bytesRead
                defer { batch = CSVRowBatch() }
                return queue.put(batch)
            }
        } catch {
            batch.failure = LoadError(error, path: path)
        }
        batch.bytesRead = reader.bytesRead
        _ = queue.put(batch)
    }

    /// Checks one row and copies it into `batch`, as `CSVRecordsLoader` read it before rows moved
    /// to this thread: the same checks, in the same order, with the same errors.
    private func add(_ view: CSVRecordView, line: Int, to batch: inout CSVRowBatch) throws {
        if view.isBlank {
            batch.blankRows += 1
            return
        }
        guard view.count == headers.count else {
            throw LoadError.raggedRow(path: path, line: line, expected: headers.count, found: view.count)
        }
        let cell = view[plan.idColumn]
        if cell.isEmpty { throw LoadError.missingRecordID(path: path, at: .line(line), column: headers[plan.idColumn]) }
        guard let id = ExportID.parse(cell) else {
            throw LoadError.invalidRecordID(path: path, at: .line(line), found: view.string(plan.idColumn))
        }
        var idStart = 0
        for column in 0..<view.count {
            let start = batch.bytes.count
            batch.bytes.append(contentsOf: view[column])
            batch.cellOffsets.append(start)
            batch.cellOffsets.append(batch.bytes.count)
            if column == plan.idColumn { idStart = start + (id.digits.baseAddress! - cell.baseAddress!) }
        }
        plan.appendKeys(of: view, to: &batch.bytes, ranges: &batch.keyRanges, scratch: &keyScratch)
        let jsonStart = batch.bytes.count
        JSONText.object(view, plan: plan, id: id.digits, into: &batch.bytes)
        batch.rows.append(.init(id: idStart..<idStart + id.digits.count, number: id.value, json: jsonStart..<batch.bytes.count))
    }
}
