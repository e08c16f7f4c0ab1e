import Catalogue
import Engine
import Foundation

/// One record of a replay input, found for `why --batch`: the call it belongs to, as `replay`
/// reads it, and the requests before it in the file, which run first exactly as `replay` runs
/// them (a request Zoho refused is not applied, a Bulk Write chunk follows Bulk Write's rules).
public struct ReplayRow: Sendable {
    public let path: String
    /// 0-based among the requests the reader yields.
    public let requestIndex: Int
    public let requestCount: Int
    public let request: ReplayRequest
    /// The call the row belongs to: its module, operation, records and duplicate_check_fields.
    public let call: RecordsRequest
    /// 0-based within the request, as in `$.data[row]`.
    public let row: Int
    private let earlier: [ReplayRequest]

    /// Runs the requests before this row's on `session`, then sets the clock for this row's
    /// request. `asOf` nil: each request runs as of its own time (else `fallback` and now), as
    /// `replay` without `--as-of` does; otherwise `session` keeps the clock it was made with.
    public func runEarlierRequests(on session: Session, asOf: Date?, fallback: Date) throws {
        for (index, request) in earlier.enumerated() {
            if asOf == nil { Replayer.setClock(of: session, to: request, asOf: fallback, now: Date.init) }
            _ = try Replayer.replay(request, index: index, on: session, explain: false)
        }
        if asOf == nil { Replayer.setClock(of: session, to: request, asOf: fallback, now: Date.init) }
    }

    /// Finds `row` in `input` (the requests read from `path`): counted across the requests'
    /// records (request 0's are rows 0 to k-1, then request 1's…), or within request `request`.
    /// Every request is checked first, as a replay checks them, so a bad body is reported, not run.
    public static func locate(in input: ReplayInput, path: String, request: Int?, row: Int?) throws -> ReplayRow {
        let requests = input.requests
        let calls = try requests.map(call(of:))
        let total = calls.reduce(0) { $0 + ($1?.records.count ?? 0) }
        let (index, within): (Int, Int)
        if let request {
            guard requests.indices.contains(request) else {
                throw ReplayError.requestOutsideInput(path: path, request: request, requests: requests.count)
            }
            guard let call = calls[request] else {
                throw ReplayError.requestWithoutRecords(path: path, request: request, source: requests[request].source.description,
                                                        call: "\(requests[request].request.method) \(requests[request].request.path)")
            }
            guard let row, call.records.indices.contains(row) else {
                throw ReplayError.rowOutsideRequest(path: path, row: row, request: request, records: call.records.count)
            }
            (index, within) = (request, row)
        } else {
            var rest = row ?? 0
            guard let found = calls.firstIndex(where: { call in
                let count = call?.records.count ?? 0
                if rest < count { return true }
                rest -= count
                return false
            }) else { throw ReplayError.rowOutsideInput(path: path, row: row ?? 0, records: total, requests: requests.count) }
            (index, within) = (found, rest)
        }
        return ReplayRow(path: path, requestIndex: index, requestCount: requests.count, request: requests[index],
                         call: calls[index]!, row: within, earlier: Array(requests[..<index]))
    }

    /// The records call of `request`, as replay parses it; nil for a call without records (a
    /// delete, a campaign relation). A Bulk Write chunk is the REST call its rows are judged as
    /// (`BulkWriteRun`): an upsert by a field is an upsert checking that field, an insert without
    /// find_by an insert. Its other forms take decisions of their own (find_by id, a skipped
    /// match, an update that may not insert), which `why` does not explain.
    private static func call(of request: ReplayRequest) throws -> RecordsRequest? {
        guard let chunk = request.bulkWrite else { return try Replayer.validate(request) }
        switch (chunk.operation, chunk.findBy) {
        case (.upsert, let field) where field != "id":
            return RecordsRequest(module: chunk.module, operation: .upsert, records: chunk.records, duplicateCheckFields: field.map { [$0] })
        case (.insert, nil):
            return RecordsRequest(module: chunk.module, operation: .insert, records: chunk.records)
        default:
            throw ReplayError.bulkWriteNotExplained(path: request.source.file, operation: chunk.operation, findBy: chunk.findBy)
        }
    }
}
