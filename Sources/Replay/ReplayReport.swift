import Catalogue
import Engine
import Formats

/// The replica's answer to one item of a request, with what `--explain` adds.
public struct ReplayedItem: Sendable {
    /// The Zoho item, the verdict behind it, its reason in one sentence and its notes.
    public let result: ItemResult

    public init(result: ItemResult) {
        self.result = result
    }

    /// The verdict's `alternatives` (`depends_on`): filled only when explaining record writes
    /// (`Session.whatIf`), found by the engine before the record was written.
    public var dependsOn: [Alternative] { result.verdict?.alternatives ?? [] }

    /// `insert` or `update` for a successful record write, else nil.
    public var action: Action? {
        guard result.code == .success else { return nil }
        return result.verdict?.outcome.action
    }
}

/// The replica's answer to one request.
public struct ReplayedRequest: Sendable {
    /// 0-based position among the replayed requests.
    public let index: Int
    public let input: ReplayRequest
    public let route: Route
    /// The HTTP status the replica would answer; nil for skipped requests and Bulk Write chunks,
    /// which have no HTTP answer of their own.
    public let status: Int?
    /// The Zoho envelope exactly (`{"data":[…]}` or a request-level error); null when skipped.
    /// Made when asked for (`--json`, `--compare`): a summary needs none.
    public var body: JSONValue { wholeAnswer ?? ZohoResponse.envelope(items.map(\.result)) }
    private let wholeAnswer: JSONValue?
    public let items: [ReplayedItem]
    /// Counted once: every summary asks for it.
    public let tally: Tally
    /// Set when Zoho really refused the request whole: it was not run, and has no items. The
    /// body is then the replica's own refusal when it would refuse too (LIMIT_EXCEEDED), else null.
    public let refused: Refusal?

    /// `wholeAnswer` nil: the answer is the items' envelope.
    init(index: Int, input: ReplayRequest, route: Route, status: Int?, wholeAnswer: JSONValue?, items: [ReplayedItem],
         refused: Refusal? = nil) {
        self.index = index
        self.input = input
        self.route = route
        self.status = status
        self.wholeAnswer = wholeAnswer
        self.items = items
        self.refused = refused
        tally = Tally(items)
    }

    /// Why the replica did not run this request (a call it does not model).
    public var skipped: String? {
        if case .unsupported(let reason) = route { return reason }
        return nil
    }
}

/// Everything a replay answered, in request order.
public struct ReplayReport: Sendable {
    public let requests: [ReplayedRequest]
    /// HAR entries outside `/crm/`.
    public let ignored: [IgnoredEntry]
    public let settings: Settings
    public let committed: Bool
    /// Which clock the requests were evaluated by; nil when no request carries a time.
    public let clock: ReplayClock?

    init(requests: [ReplayedRequest], ignored: [IgnoredEntry], settings: Settings, committed: Bool, clock: ReplayClock? = nil) {
        self.requests = requests
        self.ignored = ignored
        self.settings = settings
        self.committed = committed
        self.clock = clock
    }
    /// Where each stored setting came from, for the note on calibrated settings.
    public var sources: [Settings.Key: SettingSource] = [:]

    public var tally: Tally { requests.reduce(into: Tally()) { $0.add($1.tally) } }
    public var skipped: [ReplayedRequest] { requests.filter { $0.skipped != nil } }
    /// The requests Zoho refused whole, which were not applied.
    public var refused: [ReplayedRequest] { requests.filter { $0.refused != nil } }
}

/// Counts for a summary: added, updated, other successes by message, failures by code.
public struct Tally: Equatable, Sendable {
    /// A name and how often it occurred, in order of first occurrence.
    public struct Count: Equatable, Sendable {
        public let name: String
        public fileprivate(set) var count: Int
        /// How many of `count` are wrapped in a `MULTIPLE_OR_MULTI_ERRORS` item, and in how many such items.
        public fileprivate(set) var nested = 0
        public fileprivate(set) var wrappers = 0

        /// "DUPLICATE_DATA 34", and ", 3 of them inside 1 MULTIPLE_OR_MULTI_ERRORS" when some are nested.
        public var description: String {
            "\(name) \(count)" + (nested == 0 ? "" : ", \(nested) of them inside \(wrappers) \(Outcome.Code.multipleErrors.rawValue)")
        }
    }

    public private(set) var items = 0
    public private(set) var added = 0
    public private(set) var updated = 0
    /// Successes that are neither: "record deleted", "relation removed"…
    public private(set) var otherSuccesses: [Count] = []
    public private(set) var failures: [Count] = []

    /// Items that failed: a `MULTIPLE_OR_MULTI_ERRORS` item is one, however many errors it wraps.
    public private(set) var failed = 0

    /// The failures by code, for summaries: "DUPLICATE_DATA 34, 3 of them inside 1
    /// MULTIPLE_OR_MULTI_ERRORS; MANDATORY_NOT_FOUND 1" (`;` between codes once a count has a comma).
    public var failureList: String {
        failures.map(\.description).joined(separator: failures.contains { $0.nested > 0 } ? "; " : ", ")
    }

    init() {}

    init(_ items: [ReplayedItem]) {
        // By index: binding each item would copy its verdict (and retain everything in it).
        for index in items.indices { add(items[index].result) }
    }

    private mutating func add(_ result: ItemResult) {
        items += 1
        guard result.code == .success else {
            failed += 1
            guard result.code == .multipleErrors, let wrapped = result.verdict?.outcome.errors, !wrapped.isEmpty else {
                Self.bump(&failures, result.code.rawValue)
                return
            }
            // Counted by their own codes: a user asks how many duplicates, not how many wrappers.
            var codes: [Outcome.Code] = []
            for error in wrapped {
                Self.bump(&failures, error.code.rawValue, by: 0, nested: 1)
                if !codes.contains(error.code) { codes.append(error.code) }
            }
            for code in codes { Self.bump(&failures, code.rawValue, by: 0, wrappers: 1) }
            return
        }
        // A record write (a restore too) counts by its action; any other success by its message.
        switch (result.verdict?.outcome.action, result.message) {
        case (.insert?, _), (nil, "relation added"): added += 1
        case (.update?, _), (nil, "relation updated"): updated += 1
        default: Self.bump(&otherSuccesses, result.message)
        }
    }

    /// Adds `other`'s counts (a later request's: names new to `self` come after its own).
    mutating func add(_ other: Tally) {
        items += other.items
        added += other.added
        updated += other.updated
        failed += other.failed
        for count in other.otherSuccesses { Self.bump(&otherSuccesses, count.name, by: count.count) }
        for count in other.failures {
            Self.bump(&failures, count.name, by: count.count - count.nested, nested: count.nested, wrappers: count.wrappers)
        }
    }

    /// `nested` counts toward `count` too.
    static func bump(_ counts: inout [Count], _ name: String, by amount: Int = 1, nested: Int = 0, wrappers: Int = 0) {
        if let index = counts.firstIndex(where: { $0.name == name }) {
            counts[index].count += amount + nested
            counts[index].nested += nested
            counts[index].wrappers += wrappers
        } else {
            counts.append(Count(name: name, count: amount + nested, nested: nested, wrappers: wrappers))
        }
    }
}
