import Catalogue
import Engine
import Persistence

/// The answer to a `WhyQuestion`: the engine's verdict and the evidence behind it, typed.
/// `json` (WhyReport+JSON.swift) renders it as the documented `why --json` object and `WhyTextRenderer` as prose;
/// neither decides anything.
public struct WhyReport: Sendable {
    public let value: String
    public let module: Module
    public let operation: WriteOperation
    /// The field asked about, resolved to its API name.
    public let field: String
    /// False when the operation never looks the field up (an insert and a field that is not
    /// unique): then an empty `matches` means "not searched", not "nobody holds it".
    public let fieldChecked: Bool
    public let settings: Settings
    public let checkPattern: CheckPattern
    public let verdict: VerdictSummary
    public let matches: [Match]
    /// The engine's `Verdict.alternatives`: each setting whose other value changes the verdict.
    public let dependsOn: [Alternative]
    public let advice: [String]
    /// The engine's notes: ignored check fields, a dropped system field, unknown fields.
    public let notes: [String]
    /// Set when the question was asked of a batch row.
    public let batch: BatchPosition?
    /// The statements the evaluator ran, when asked for (`--show-sql`).
    public let sql: [ExecutedStatement]?
    /// Which settings in force were calibrated against the org's real answers (`calibrate --apply`).
    public var calibration: String?
}

/// The outcome Zoho would answer and the engine's one-sentence reason.
public struct VerdictSummary: Sendable, Equatable {
    public let outcome: Outcome
    public let reason: String
    /// One sentence per error a `MULTIPLE_OR_MULTI_ERRORS` wraps (`Verdict.causes`).
    public let causes: [String]

    public init(_ verdict: Verdict) {
        outcome = verdict.outcome
        reason = verdict.reason
        causes = verdict.causes
    }
}

/// One holder of the value, as the engine's candidate, with its campaign memberships.
public struct Match: Sendable, Equatable {
    public let candidate: Candidate
    /// Empty for records without memberships, and for records an earlier batch row created.
    public let campaigns: [CampaignMembership]
}

/// A campaign a matched record belongs to (`campaign_members`).
public struct CampaignMembership: Sendable, Equatable {
    public let campaignID: String
    /// Nil when the campaign itself is not in the replica.
    public let campaignName: String?
    public let memberStatus: String?

    public init(campaignID: String, campaignName: String?, memberStatus: String?) {
        self.campaignID = campaignID
        self.campaignName = campaignName
        self.memberStatus = memberStatus
    }
}

/// Which row of which batch the question was about.
public struct BatchPosition: Sendable, Equatable {
    public let source: String
    public let row: Int
    public var request: RequestPosition?

    public init(source: String, row: Int, request: RequestPosition? = nil) {
        self.source = source
        self.row = row
        self.request = request
    }
}

/// Request `index` (0-based, among the requests read from the file) and where it sits in it
/// (`log.ndjson:3`, `capture.har: $.log.entries[1]`).
public struct RequestPosition: Sendable, Equatable {
    public let index: Int
    public let at: String

    public init(index: Int, at: String) {
        self.index = index
        self.at = at
    }
}

/// One bound statement, as `Database.queryLog` recorded it.
public struct ExecutedStatement: Sendable, Equatable {
    public let sql: String
    public let arguments: [SQLValue]
}
