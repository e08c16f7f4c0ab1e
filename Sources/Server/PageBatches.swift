import Foundation
import Replay

/// The batches replayed on the Replay page, held in memory (never written to disk) so that a
/// row's Why link can judge that row inside its batch, as `why --batch` does. Only the last few
/// are kept: a link to one that was dropped, or from before a restart, asks for the batch again.
final class PageBatches: @unchecked Sendable {
    static let shared = PageBatches()
    static let kept = 16

    struct Batch: Sendable {
        let name: String
        let bytes: [UInt8]
        let options: ReadOptions
        /// The run's own settings (the form's KEY=VALUE lines), so the Why page judges under them too.
        let overrides: [String]
    }

    private let lock = NSLock()
    private var held: [(key: String, batch: Batch)] = []

    /// Keeps `batch` under a random key: the key is the only way to it, so a link gives a colleague
    /// this batch and no other.
    func keep(_ batch: Batch) -> String {
        let key = UUID().uuidString.lowercased()
        lock.withLock {
            held.append((key, batch))
            if held.count > Self.kept { held.removeFirst(held.count - Self.kept) }
        }
        return key
    }

    func batch(_ key: String) -> Batch? { lock.withLock { held.first { $0.key == key }?.batch } }
}
