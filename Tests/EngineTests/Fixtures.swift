import Catalogue
import Engine
import Formats
import Foundation
import Persistence

/// A replica in a temporary directory, with helpers to write the org a test needs.
final class Org {
    let directory: URL
    let db: Database
    let store: RecordStore
    /// A fixed clock, so Created_Time values are predictable.
    static let now = Timestamps.parse("2026-11-28T10:00:00+00:00")!

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("crm-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        db = try Database(path: directory.appendingPathComponent("replica.sqlite").path)
        store = RecordStore(db: db)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func contact(_ id: String, email: String?, phone: String? = nil, last: String = "Doe", created: String = "2025-01-01T00:00:00+00:00",
                 module: Module = .contacts, extra: JSONObject = [:]) throws -> String {
        var fields: JSONObject = ["id": .string(id), "Last_Name": .string(last), "Created_Time": .string(created),
                                  "Owner": .object(["name": .string("Patricia Boyle"), "id": .string("5725767000000411001")])]
        if let email { fields["Email"] = .string(email) }
        if let phone { fields["Phone"] = .string(phone) }
        for (key, value) in extra { fields[key] = value }
        try store.put(Record(fields: fields), module: module)
        return id
    }

    func binned(_ id: String, email: String, module: Module = .contacts, deleted: String = "2026-11-20T09:00:00+00:00") throws {
        let record = Record(fields: ["id": .string(id), "Email": .string(email), "Last_Name": .string("Gone"),
                                     "Created_Time": .string("2024-05-01T00:00:00+00:00")])
        try store.writeBin(record, module: module, id: id, deletion: Deletion(time: deleted, byName: "Admin", byID: "1"))
    }

    func makeUnique(_ field: String, module: Module = .contacts) throws {
        let definition = try store.catalogue(module).field(field)!
        try FieldCatalogue.setUnique(db, module: module, field: definition, unique: true)
        try store.reindexSideFields(module: module)
    }

    func addCustomUniqueField(_ apiName: String, module: Module = .contacts) throws {
        let field = FieldDefinition(module: module, apiName: apiName, label: apiName, dataType: "text", isUnique: true, isCustom: true, source: .metadata)
        try FieldCatalogue.setUnique(db, module: module, field: field, unique: true)
        try store.reindexSideFields(module: module)
    }

    func mapLeadEmailToContacts() throws {
        try db.run("INSERT INTO duplicate_check_preference (module, type, raw) VALUES ('Leads', 'mapped_module_records', '{}')")
        try db.run("INSERT INTO duplicate_check_mappings VALUES ('Leads', 0, 'Email', 'Contacts', 'Email')")
    }

    func session(_ assignments: String...) throws -> Session {
        var settings = Settings()
        for assignment in assignments { try settings.apply(assignment: assignment) }
        return Session(db: db, settings: settings, asOf: Org.now, now: { Org.now })
    }

    /// Runs one request and returns the outcomes.
    func run(_ operation: WriteOperation, _ records: [JSONObject], module: Module = .contacts, dcf: [String]? = nil,
             settings: String...) throws -> [Verdict] {
        var resolved = Settings()
        for assignment in settings { try resolved.apply(assignment: assignment) }
        let session = Session(db: db, settings: resolved, asOf: Org.now, now: { Org.now })
        let request = RecordsRequest(module: module, operation: operation, records: records.map { Record(fields: $0) }, duplicateCheckFields: dcf)
        return try session.run(request, depth: .full).verdicts
    }

    func count(_ table: String) throws -> Int { try db.scalarInt("SELECT count(*) FROM \(table)") }

    /// Every row of every table, for before/after comparisons.
    func dump() throws -> [String] {
        var rows: [String] = []
        let tables = try db.statement("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").rows { $0.text(0) ?? "" }
        for table in tables {
            let statement = try db.statement("SELECT * FROM \(table) ORDER BY 1, 2")
            try statement.forEachRow { row in
                rows.append(table + ":" + (0..<row.columnCount).map { row.value($0).description }.joined(separator: "|"))
            }
        }
        return rows
    }
}

func person(_ email: String?, last: String? = "New", phone: String? = nil, extra: JSONObject = [:]) -> JSONObject {
    var fields: JSONObject = [:]
    if let last { fields["Last_Name"] = .string(last) }
    if let email { fields["Email"] = .string(email) }
    if let phone { fields["Phone"] = .string(phone) }
    for (key, value) in extra { fields[key] = value }
    return fields
}
