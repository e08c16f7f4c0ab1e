import Catalogue

/// The kinds of file `load` understands. The raw values are what `--format` accepts and what
/// the `format` key of a report says.
public enum InputFormat: String, CaseIterable, Sendable {
    /// "Export Data" from the Zoho UI: display-label headers (`Record Id`, `Contact Owner`…).
    case uiExportCSV = "ui-csv"
    /// A Bulk Read result: API-name headers with an `id` column.
    case bulkReadCSV = "bulk-csv"
    /// A `GET /{Module}` page: `{"data":[…],"info":{…}}`.
    case apiJSON = "json"
    /// One record object a line.
    case ndjson
    /// A `GET /{Module}/deleted` page.
    case deletedJSON = "deleted"
    /// A `GET /settings/fields?module=M` response.
    case fieldsJSON = "fields"
    /// A `GET /settings/duplicate_check_preference?module=Leads` response.
    case duplicateCheckPreference = "duplicate-check-preference"
    /// Campaign membership rows: `Campaign Id`, `Member Id`, `Member Module`, `Member Status`.
    case membersCSV = "members-csv"
    /// A `GET /Campaigns/{id}/Contacts|Leads` page, loaded with `--campaign ID`.
    case relatedListJSON = "related-json"

    enum Container { case csv, json, ndjson }

    var container: Container {
        switch self {
        case .uiExportCSV, .bulkReadCSV, .membersCSV: return .csv
        case .ndjson: return .ndjson
        case .apiJSON, .deletedJSON, .fieldsJSON, .duplicateCheckPreference, .relatedListJSON: return .json
        }
    }

    /// Every accepted `--format` value, for help and error messages.
    public static var valueList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// What the caller knows better than the file. Everything is optional: `load` detects the rest.
public struct LoadOptions {
    /// The module of the records (or of the field metadata, or the members of a related list).
    public var module: Module?
    /// Overrides format detection.
    public var format: InputFormat?
    /// The campaign whose related list a `related-json` file is.
    public var campaignID: String?
    /// Called now and then with (bytes read, total bytes when known).
    public var progress: ((Int, Int?) -> Void)?

    public init(module: Module? = nil, format: InputFormat? = nil, campaignID: String? = nil,
                progress: ((Int, Int?) -> Void)? = nil) {
        self.module = module
        self.format = format
        self.campaignID = campaignID
        self.progress = progress
    }
}

/// The outcome of loading one file: how many items it held and what each did to the replica.
public struct FileReport: Equatable, Sendable {
    public var path: String
    /// The module written, or nil where rows name their own (membership CSV).
    public var module: String?
    /// An `InputFormat` raw value.
    public var format: String
    public var read: Int
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    /// Always 0 today: a bad row rejects the whole file rather than being skipped silently.
    /// The key is part of the `--json` contract for a future lenient mode.
    public var rejected: Int

    public init(path: String, module: String?, format: String, read: Int, inserted: Int, updated: Int,
                unchanged: Int, rejected: Int) {
        self.path = path
        self.module = module
        self.format = format
        self.read = read
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
    }

    /// The report as the `--json` contract spells it, keys in contract order.
    public var json: JSONValue {
        .object([
            "path": .string(path),
            "module": module.map(JSONValue.string) ?? .null,
            "format": .string(format),
            "read": .number(String(read)),
            "inserted": .number(String(inserted)),
            "updated": .number(String(updated)),
            "unchanged": .number(String(unchanged)),
            "rejected": .number(String(rejected)),
        ])
    }

    /// `{"files":[…]}`: the document `load --json` prints.
    public static func document(_ reports: [FileReport]) -> JSONValue {
        .object(["files": .array(reports.map(\.json))])
    }
}

/// Counts of what happened to each item of a file, filled in while it loads.
struct Tally: Equatable {
    var read = 0
    var inserted = 0
    var updated = 0
    var unchanged = 0

    mutating func count(_ outcome: RecordStore.WriteOutcome) {
        read += 1
        switch outcome {
        case .inserted: inserted += 1
        case .updated: updated += 1
        case .unchanged: unchanged += 1
        }
    }
}
