import Explain
import Foundation

extension ReplayRow {
    /// The row as `why` judges it: its request's records and the rows before it, with the earlier
    /// requests of the input run first exactly as `replay` runs them. `why --batch` and the web
    /// page's row links both ask through this, so they cannot judge a row differently.
    public func batchRow(in input: ReplayInput, asOf fixed: Date?, fallback: Date) -> BatchRow {
        let position = input.requests.count > 1 || input.files.first?.format != .payload
            ? RequestPosition(index: requestIndex, at: request.source.description) : nil
        return BatchRow(source: path, records: call.records, duplicateCheckFields: call.duplicateCheckFields, row: row, request: position,
                        before: { session in try self.runEarlierRequests(on: session, asOf: fixed, fallback: fallback) })
    }
}
