import Catalogue
import Engine
import Formats
import Foundation
import Ingest
import Persistence
import SampleData
import TestSupport

/// The repository's `Samples` folder.
let samplesOnDisk = SampleFolder(root: CLI.packageRoot.appendingPathComponent("Samples", isDirectory: true))

/// A fresh replica in its own temporary directory, loaded through the `Loader`. (It holds its
/// `ScratchDatabase` rather than being one because its `count` takes a query, not a table.)
final class Replica {
    let scratch: ScratchDatabase
    let loader: Loader
    var db: Database { scratch.db }
    var directory: URL { scratch.directory }

    init() throws {
        scratch = try ScratchDatabase()
        loader = Loader(db: scratch.db)
    }

    /// Loads every file as `crm-replica load DIR/*` would: in name order, no options.
    @discardableResult
    func load(_ files: [URL]) throws -> [FileReport] {
        try files.map { try loader.load(path: $0.path, options: LoadOptions()) }
    }

    /// A replica holding the sample org.
    static func withSampleOrg() throws -> Replica {
        let replica = try Replica()
        try replica.load(try samplesOnDisk.orgFiles())
        return replica
    }

    /// A session at the sample's reference date, so that its recycle-bin rows are recent.
    func session(_ assignments: String...) throws -> Session { try scratch.session(assignments, at: SampleStory.referenceDate) }

    /// Replays the sample upsert in a dry run and returns one item per record.
    func replayUpsert(_ assignments: String...) throws -> [ItemResult] {
        let session = try scratch.session(assignments, at: SampleStory.referenceDate)
        return try db.dryRun { try session.handle(upsertRequest()).items }
    }

    func count(_ sql: String) throws -> Int { try db.scalarInt(sql) }

    /// Every row of the tables that hold loaded records, for comparing two replicas.
    func content() throws -> [String] {
        try DatabaseDump(db, only: ["contacts", "leads", "campaigns", "campaign_members", "recycle_bin", "field_values",
                                    "duplicate_check_mappings"]).lines
    }
}

func upsertRequest() throws -> APIRequest {
    APIRequest(method: "POST", target: "/crm/v8/Contacts/upsert", body: try JSON.parse(try bytes(samplesOnDisk.upsertBatch)))
}

/// The NDJSON request log: one request a line.
func membershipRequests() throws -> [APIRequest] {
    try String(decoding: bytes(samplesOnDisk.membershipRequests), as: UTF8.self)
        .split(separator: "\n").map { line in
            let request = try JSON.parse(String(line))
            return APIRequest(method: request["method"]?.stringValue ?? "", target: request["path"]?.stringValue ?? "",
                              body: request["body"])
        }
}

func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }

extension ItemResult {
    var isDuplicate: Bool { code == .duplicateData }
    var apiName: String? { item["details"]?["api_name"]?.stringValue }
    var moreRecords: Bool { item["details"]?["more_records"]?.boolValue ?? false }
    var holderID: String? { item["details"]?["duplicate_record"]?["id"]?.stringValue }
    var action: String? { item["action"]?.stringValue }
    var duplicateField: String? { item["duplicate_field"]?.stringValue }
    var message: String? { item["message"]?.stringValue }

    /// What made a DUPLICATE_DATA: the field and whether several records hold the value.
    var cause: String { Self.cause(item) }

    /// The DUPLICATE_DATA errors of the item: itself, or each one a MULTIPLE_OR_MULTI_ERRORS wraps.
    var duplicateErrors: [JSONValue] {
        let errors = code == .multipleErrors ? item["details"]?["errors"]?.arrayValue ?? [] : [item]
        return errors.filter { $0["code"]?.stringValue == Outcome.Code.duplicateData.rawValue }
    }

    static func cause(_ error: JSONValue) -> String {
        let field = error["details"]?["api_name"]?.stringValue ?? "?"
        return field + (error["details"]?["more_records"]?.boolValue == true ? " held by several" : " held by another")
    }
}
