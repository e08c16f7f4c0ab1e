import Catalogue
import Engine
import Formats
import Foundation
import Persistence
import Replay
import Testing

/// A replica in a temporary directory, with helpers to write the org and the input files a
/// test needs, and to replay them with a fixed clock.
final class ReplayOrg {
    let directory: URL
    let db: Database
    let store: RecordStore
    static let now = Date(timeIntervalSince1970: 1_795_860_000)   // 2026-11-28T10:00:00Z

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("crm-replay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        db = try Database(path: directory.appendingPathComponent("replica.sqlite").path)
        store = RecordStore(db: db)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func contact(_ id: String, email: String?, phone: String? = nil, last: String = "Doe",
                 created: String = "2025-01-01T00:00:00+00:00") throws -> String {
        var fields: JSONObject = ["id": .string(id), "Last_Name": .string(last), "Created_Time": .string(created),
                                  "Owner": .object(["name": .string("Patricia Boyle"), "id": .string("5725767000000411001")])]
        if let email { fields["Email"] = .string(email) }
        if let phone { fields["Phone"] = .string(phone) }
        try store.put(Record(fields: fields), module: .contacts)
        return id
    }

    func binned(_ id: String, email: String, deleted: String = "2026-11-20T09:00:00+00:00") throws {
        let record = Record(fields: ["id": .string(id), "Email": .string(email), "Last_Name": .string("Gone"),
                                     "Created_Time": .string("2024-05-01T00:00:00+00:00")])
        try store.writeBin(record, module: .contacts, id: id, deletion: Deletion(time: deleted, byName: "Admin", byID: "1"))
    }

    func campaign(_ id: String, name: String) throws {
        try store.put(Record(fields: ["id": .string(id), "Campaign_Name": .string(name)]), module: .campaigns)
    }

    func makeUnique(_ field: String) throws {
        let definition = try #require(try store.catalogue(.contacts).field(field))
        try FieldCatalogue.setUnique(db, module: .contacts, field: definition, unique: true)
        try store.reindexSideFields(module: .contacts)
        store.forgetCatalogues()
    }

    /// Writes an input file and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func replayer(_ assignments: String...) throws -> Replayer {
        Replayer(db: db, settings: try Replayer.settings(db, overrides: assignments), asOf: Self.now, now: { Self.now })
    }

    func read(_ paths: [String], _ options: ReadOptions = ReadOptions()) throws -> ReplayInput {
        try ReplayReader(options: options, store: store).read(paths: paths)
    }

    func replay(_ paths: [String], _ options: ReadOptions = ReadOptions(), settings: [String] = [], commit: Bool = false,
                explain: Bool = false) throws -> ReplayReport {
        var resolved = Settings()
        for assignment in settings { try resolved.apply(assignment: assignment) }
        let replayer = Replayer(db: db, settings: resolved, asOf: Self.now, now: { Self.now })
        return try replayer.run(try read(paths, options), commit: commit, explain: explain)
    }

    func count(_ table: String) throws -> Int { try db.scalarInt("SELECT count(*) FROM \(table)") }

    /// Every row of every table, for before/after comparisons.
    func dump() throws -> [String] {
        var rows: [String] = []
        let tables = try db.statement("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").rows { $0.text(0) ?? "" }
        for table in tables {
            try db.statement("SELECT * FROM \(table) ORDER BY 1, 2").forEachRow { row in
                rows.append(table + ":" + (0..<row.columnCount).map { row.value($0).description }.joined(separator: "|"))
            }
        }
        return rows
    }
}

/// The one check every dry-run test makes: the full dump of every table is identical before
/// and after `body`, whatever the replay wrote while it ran.
@discardableResult
func assertDryRunLeavesDatabaseUnchanged<T>(_ org: ReplayOrg, sourceLocation: SourceLocation = #_sourceLocation,
                                            _ body: () throws -> T) throws -> T {
    let before = try org.dump()
    let result = try body()
    let after = try org.dump()
    #expect(before == after, "the dry run changed the database", sourceLocation: sourceLocation)
    return result
}

extension ReadOptions {
    static func payload(_ module: Module, _ operation: WriteOperation = .upsert) -> ReadOptions {
        var options = ReadOptions()
        options.module = module
        options.operation = operation
        return options
    }

    static func bulk(_ operation: WriteOperation, findBy: String?, ignoreEmpty: Bool = false, batchLimit: Int = 100) -> ReadOptions {
        var options = ReadOptions.payload(.contacts, operation)
        options.findBy = findBy
        options.ignoreEmpty = ignoreEmpty
        options.batchLimit = batchLimit
        return options
    }
}

extension ReplayedItem {
    var json: JSONValue { result.item }
    var code: String { result.code }
    var duplicateID: String? { json["details"]?["duplicate_record"]?["id"]?.stringValue }
    var recordID: String? { json["details"]?["id"]?.stringValue }
}
