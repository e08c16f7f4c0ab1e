import Catalogue
import Formats
import Storage

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
    /// A `GET /settings/modules` response (or one page of it): each module's id.
    case modulesJSON = "modules"
    /// Campaign membership rows: `Campaign Id`, `Member Id`, `Member Module`, `Member Status`.
    case membersCSV = "members-csv"
    /// A `GET /Campaigns/{id}/Contacts|Leads` page, loaded with `--campaign ID`.
    case relatedListJSON = "related-json"
    /// A campaign's related list exported as CSV: the members' `Record Id` (or `id`), perhaps
    /// names and `Member Status`, loaded with `--campaign ID`.
    case relatedListCSV = "related-csv"

    enum Container { case csv, json, ndjson }

    var container: Container {
        switch self {
        case .uiExportCSV, .bulkReadCSV, .membersCSV, .relatedListCSV: return .csv
        case .ndjson: return .ndjson
        case .apiJSON, .deletedJSON, .fieldsJSON, .duplicateCheckPreference, .modulesJSON, .relatedListJSON: return .json
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
    /// The campaign whose related list a `related-json` or `related-csv` file is (a members CSV
    /// may give it too, where every row must agree).
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
    /// Items read but not written because the replica already holds the record with a later
    /// `Modified_Time` (an older export loaded after a newer one); counted in `read`.
    public var stale: Int
    /// CSV rows whose every cell is empty (Excel leaves them below the data); not counted in `read`.
    public var skipped: Int
    /// The field separator of a CSV file; nil for JSON.
    public var delimiter: CSVDelimiter?
    /// The text encoding of a CSV file when it is not UTF-8; not part of `--json`.
    public var encoding: CSVTextEncoding?

    public init(path: String, module: String?, format: String, read: Int, inserted: Int, updated: Int,
                unchanged: Int, rejected: Int, stale: Int = 0, skipped: Int = 0, delimiter: CSVDelimiter? = nil,
                encoding: CSVTextEncoding? = nil) {
        self.path = path
        self.module = module
        self.format = format
        self.read = read
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
        self.stale = stale
        self.skipped = skipped
        self.delimiter = delimiter
        self.encoding = encoding
    }

    /// The report as the `--json` contract spells it, keys in contract order, then the keys
    /// added since (`stale`, `skipped`, `delimiter`).
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
            "stale": .number(String(stale)),
            "skipped": .number(String(skipped)),
            "delimiter": delimiter.map { .string($0.character) } ?? .null,
        ])
    }

    /// `{"files":[…]}`: the document `load --json` prints. Files skipped because they hold a
    /// module the replica does not store are listed under `skipped_files`, and the failure that
    /// stopped the load under `error`, each as `{"path","message"}`; both keys only when there
    /// is something to say.
    public static func document(_ reports: [FileReport], skippedFiles: [LoadError] = [], error: (path: String, message: String)? = nil) -> JSONValue {
        var document: JSONObject = ["files": .array(reports.map(\.json))]
        func entry(_ path: String, _ message: String) -> JSONValue { .object(["path": .string(path), "message": .string(message)]) }
        if !skippedFiles.isEmpty { document["skipped_files"] = .array(skippedFiles.map { entry($0.path, $0.description) }) }
        if let error { document["error"] = entry(error.path, error.message) }
        return .object(document)
    }
}

/// What loading one item did to the replica.
enum ItemOutcome: Equatable {
    case inserted, updated, unchanged
    /// Not written: the replica holds a later version of the record.
    case stale

    init(_ outcome: RecordStore.WriteOutcome) {
        switch outcome {
        case .inserted: self = .inserted
        case .updated: self = .updated
        case .unchanged: self = .unchanged
        }
    }
}

/// Counts of what happened to each item of a file, filled in while it loads.
struct Tally: Equatable {
    var read = 0
    var inserted = 0
    var updated = 0
    var unchanged = 0
    var stale = 0
    var skipped = 0

    mutating func count(_ outcome: RecordStore.WriteOutcome) { count(item: ItemOutcome(outcome)) }

    mutating func add(_ other: Tally) {
        read += other.read
        inserted += other.inserted
        updated += other.updated
        unchanged += other.unchanged
        stale += other.stale
        skipped += other.skipped
    }

    mutating func count(item outcome: ItemOutcome) {
        read += 1
        switch outcome {
        case .inserted: inserted += 1
        case .updated: updated += 1
        case .unchanged: unchanged += 1
        case .stale: stale += 1
        }
    }
}
