/// Passes progress to `LoadOptions.progress` now and then rather than per row: a caller that
/// redraws a bar should not pay for a million calls.
struct ProgressMeter {
    private let callback: ((Int, Int?) -> Void)?
    private let total: Int?
    private let step: Int
    private var lastReported = 0

    init(_ callback: ((Int, Int?) -> Void)?, total: Int?) {
        self.callback = callback
        self.total = total
        // About 200 updates for a file of known size, and at least 64 KiB between two.
        step = max((total ?? 0) / 200, 64 << 10)
    }

    mutating func advance(to bytes: Int) {
        guard let callback, bytes - lastReported >= step else { return }
        lastReported = bytes
        callback(bytes, total)
    }

    /// The final call: everything read.
    func finish(at bytes: Int) {
        callback?(bytes, total)
    }
}
