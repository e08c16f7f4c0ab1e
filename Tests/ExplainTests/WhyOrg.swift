import Catalogue
import Engine
import Explain
import Formats
import Foundation
import Persistence

/// A small org in a temporary SQLite file, written through `RecordStore` and `FieldCatalogue`
/// the way `load` writes it, and the `why` questions a test asks of it.
final class WhyOrg {
    let directory: URL
    let db: Database
    let store: RecordStore
    /// The reference date for the recycle bin's purge window.
    static let asOf = Date(timeIntervalSince1970: 1_795_860_000) // 2026-11-28T10:00:00Z

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("crm-explain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        db = try Database(path: directory.appendingPathComponent("replica.sqlite").path)
        store = RecordStore(db: db)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    @discardableResult
    func person(_ id: String, email: String?, phone: String? = nil, secondary: String? = nil, module: Module = .contacts,
                created: String = "2025-01-01T00:00:00+00:00") throws -> String {
        var fields: JSONObject = ["id": .string(id), "Last_Name": .string("Doe"), "Created_Time": .string(created),
                                  "Owner": .object(["name": .string("Patricia Boyle"), "id": .string("5725767000000411001")])]
        if let email { fields["Email"] = .string(email) }
        if let phone { fields["Phone"] = .string(phone) }
        if let secondary { fields["Secondary_Email"] = .string(secondary) }
        try store.put(Record(fields: fields), module: module)
        return id
    }

    func binned(_ id: String, email: String, deleted: String = "2026-11-20T09:00:00+00:00") throws {
        let record = Record(fields: ["id": .string(id), "Email": .string(email), "Last_Name": .string("Gone"),
                                     "Created_Time": .string("2024-05-01T00:00:00+00:00")])
        try store.writeBin(record, module: .contacts, id: id, deletion: Deletion(time: deleted, byName: "Admin", byID: "1"))
    }

    func makeUnique(_ field: String, module: Module = .contacts) throws {
        guard let definition = try store.catalogue(module).field(field) else { throw FixtureError.noSuchField(field) }
        try FieldCatalogue.setUnique(db, module: module, field: definition, unique: true)
        try store.reindexSideFields(module: module)
    }

    /// The Leads duplicate-check preference `mapped_module_records`, Email → Contacts.Email.
    func mapLeadEmailToContacts() throws {
        try db.run("INSERT INTO duplicate_check_preference (module, type, raw) VALUES ('Leads', 'mapped_module_records', '{}')")
        try db.run("INSERT INTO duplicate_check_mappings VALUES ('Leads', 0, 'Email', 'Contacts', 'Email')")
    }

    func member(of campaign: String, named name: String, contact: String, status: String) throws {
        try store.put(Record(fields: ["id": .string(campaign), "Campaign_Name": .string(name)]), module: .campaigns)
        try db.run("INSERT INTO campaign_members (campaign_id, member_module, member_id, member_status) VALUES (?, 'Contacts', ?, ?)",
                   [.text(campaign), .text(contact), .text(status)])
    }

    func ask(_ value: String, module: Module = .contacts, operation: WriteOperation = .upsert, field: String = "Email",
             dcf: [String]? = nil, batch: [JSONObject]? = nil, row: Int = 0, showSQL: Bool = false,
             settings assignments: String...) throws -> WhyReport {
        var settings = Settings()
        for assignment in assignments { try settings.apply(assignment: assignment) }
        let batchRow = batch.map { BatchRow(source: "batch.json", records: $0.map { Record(fields: $0) }, duplicateCheckFields: dcf, row: row) }
        let question = WhyQuestion(value: value, module: module, operation: operation, field: field,
                                   duplicateCheckFields: batch == nil ? dcf : nil, batch: batchRow, settings: settings,
                                   asOf: Self.asOf, showSQL: showSQL)
        return try Explainer(db: db).explain(question)
    }

    func count(_ table: String) throws -> Int { try db.scalarInt("SELECT count(*) FROM \(table)") }

    enum FixtureError: Error { case noSuchField(String) }
}

extension WhyReport {
    func match(_ id: String, field: String = "Email") -> Match? {
        matches.first { $0.candidate.recordID == id && $0.candidate.field == field }
    }

    func dependency(_ setting: String) -> Alternative? { dependsOn.first { $0.setting == setting } }

    func advises(_ words: String) -> Bool { advice.contains { $0.contains(words) } }
}
