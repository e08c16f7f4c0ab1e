import Dispatch

/// A serial queue that owns one SQLite connection. Connections are not `Sendable` and SQLite
/// calls block: every job runs on the lane's own thread, never on NIO's event loops, and one job
/// at a time, which is what makes the writer lane the one writer.
final class Lane: @unchecked Sendable {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    func run<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try job() }) }
        }
    }
}
