import Catalogue
import Engine
import Formats
import Foundation

/// When a request was sent, as its input recorded it. A replay without `--as-of` evaluates the
/// request as of this time, because the recycle bin's 60-day window and the Created_Time of the
/// records it writes were Zoho's as of that moment, not as of the day the capture is replayed.
public struct RequestTime: Sendable, Equatable {
    /// The input field the time came from, named in the summary.
    public enum Origin: String, Sendable {
        case harStartedDateTime = "HAR startedDateTime"
        case logTime = "the log's time"
    }

    public let date: Date
    public let origin: Origin

    public init(date: Date, origin: Origin) {
        self.date = date
        self.origin = origin
    }

    /// Reads `value` (ISO 8601 with `Z` or an offset, with or without fractional seconds, or
    /// any other form `Timestamps` reads); nil when absent. A time that does not parse is an
    /// error at `at`: guessing would evaluate the request against the wrong recycle bin.
    static func read(_ value: JSONValue?, origin: Origin, at: String) throws -> RequestTime? {
        guard let value, !value.isNull else { return nil }
        guard case .string(let text) = value, let date = Timestamps.parse(text) else {
            throw ReplayError.unexpected(at: at, expected: "a time such as 2026-11-20T17:42:10+00:00 or 2026-11-20T17:42:10.120Z",
                                        found: RequestLogReader.found(value))
        }
        return RequestTime(date: date, origin: origin)
    }
}

/// Which clock a replay evaluated its requests by, for the summary. Only said when the input
/// recorded times: otherwise `--as-of` (or now) is the only clock there is, as before.
public struct ReplayClock: Sendable, Equatable {
    /// `--as-of`, which overrides every request's own time; nil when each request's own time was used.
    public let asOf: Date?
    /// The fields the times came from, in order of first use.
    public let origins: [RequestTime.Origin]
    public let timed: Int
    /// Requests without a time: evaluated as of `--as-of`, else now.
    public let untimed: Int
    /// What a request without a time was evaluated as of: `--as-of`, else the replay's start.
    let fallback: Date

    /// Nil when no request carries a time.
    init?(requests: [ReplayRequest], asOf: Date?, fallback: Date) {
        var origins: [RequestTime.Origin] = []
        for case let time? in requests.map(\.time) where !origins.contains(time.origin) { origins.append(time.origin) }
        guard !origins.isEmpty else { return nil }
        self.asOf = asOf
        self.fallback = fallback
        self.origins = origins
        timed = requests.filter { $0.time != nil }.count
        untimed = requests.count - timed
    }

    private var originText: String { origins.map(\.rawValue).joined(separator: ", ") }

    /// `clock: each request's own time (HAR startedDateTime), 3 requests; 1 without a time used now`.
    public var text: String {
        if let asOf {
            return "clock: --as-of \(Timestamps.format(asOf)) for every request (the input's own times, \(originText), are not used)"
        }
        let plural = timed == 1 ? "" : "s"
        return "clock: each request's own time (\(originText)), \(timed) request\(plural)"
            + (untimed > 0 ? "; \(untimed) without a time used now" : "")
    }

    /// `$replica.clock` of one request's `--json` line: the time it was evaluated as of, and where
    /// that time came from (`--as-of`, an origin, or `now`).
    func json(for request: ReplayRequest) -> JSONValue {
        let source = asOf != nil ? "--as-of" : request.time?.origin.rawValue ?? "now"
        let date = asOf ?? request.time?.date ?? fallback
        return .object(["source": .string(source), "as_of": .string(Timestamps.format(date))])
    }
}
