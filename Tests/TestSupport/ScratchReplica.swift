import Catalogue
import Engine
import Formats
import Foundation
import Persistence
import Storage

/// A replica database in its own temporary directory, opened in-process.
open class ScratchDatabase: ScratchDirectory {
    public let db: Database
    /// The fixed clock of in-process tests (2026-11-28T10:00:00Z), so that Created_Time values and
    /// the recycle bin's purge window are predictable.
    public static let referenceDate = Date(timeIntervalSince1970: 1_795_860_000)

    public init() throws {
        let directory = try Self.makeTemporaryDirectory()
        do {
            db = try Database(path: directory.appendingPathComponent("replica.sqlite").path)
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        super.init(directory: directory)
    }

    public func count(_ table: String) throws -> Int { try db.scalarInt("SELECT count(*) FROM \(table)") }

    /// Every row of every table, for before/after comparisons.
    open func dump() throws -> [String] { try DatabaseDump(db).lines }

    /// A session with `assignments` (`key=value`) over the default settings, whose clock stands
    /// still at `date`.
    public func session(_ assignments: [String], at date: Date) throws -> Session {
        Session(db: db, settings: try Settings(assignments: assignments), asOf: date, now: { date })
    }
}

/// A small org written record by record through `RecordStore` and `FieldCatalogue`, the way
/// `load` writes it. The records are the test's; these are the ways to write them.
open class ScratchOrg: ScratchDatabase {
    public private(set) lazy var store = RecordStore(db: db)

    /// A live record (a Contact unless `module` says otherwise), owned by Patricia Boyle.
    @discardableResult
    public func contact(_ id: String, email: String?, phone: String? = nil, last: String = "Doe",
                        created: String = "2025-01-01T00:00:00+00:00", module: Module = .contacts,
                        extra: JSONObject? = nil) throws -> String {
        var fields: JSONObject = ["id": .string(id), "Last_Name": .string(last), "Created_Time": .string(created),
                                  "Owner": .object(["name": .string("Patricia Boyle"), "id": .string("5725767000000411001")])]
        if let email { fields["Email"] = .string(email) }
        if let phone { fields["Phone"] = .string(phone) }
        for (key, value) in extra ?? JSONObject() { fields[key] = value }
        try store.put(Record(fields: fields), module: module)
        return id
    }

    /// A record in the recycle bin, deleted by Admin at `deleted`.
    public func binned(_ id: String, email: String, module: Module = .contacts, deleted: String = "2026-11-20T09:00:00+00:00") throws {
        let record = Record(fields: ["id": .string(id), "Email": .string(email), "Last_Name": .string("Gone"),
                                     "Created_Time": .string("2024-05-01T00:00:00+00:00")])
        try store.writeBin(record, module: module, id: id, deletion: Deletion(time: deleted, byName: "Admin", byID: "1"))
    }

    /// Marks an existing field unique, as the field metadata export would, and forgets the
    /// cached catalogue so that the next read sees it.
    public func makeUnique(_ field: String, module: Module = .contacts) throws {
        guard let definition = try store.catalogue(module).field(field) else { throw FixtureError.noSuchField(field) }
        try FieldCatalogue.setUnique(db, module: module, field: definition, unique: true)
        try store.reindexSideFields(module: module)
        store.forgetCatalogues()
    }

    /// The Leads duplicate-check preference `mapped_module_records`, Email → Contacts.Email.
    public func mapLeadEmailToContacts() throws {
        try db.run("INSERT INTO duplicate_check_preference (module, type, raw) VALUES ('Leads', 'mapped_module_records', '{}')")
        try db.run("INSERT INTO duplicate_check_mappings VALUES ('Leads', 0, 'Email', 'Contacts', 'Email')")
    }

    public func campaign(_ id: String, name: String) throws {
        try store.put(Record(fields: ["id": .string(id), "Campaign_Name": .string(name)]), module: .campaigns)
    }

    /// A campaign and one Contact's membership in it.
    public func member(of campaign: String, named name: String, contact: String, status: String) throws {
        try self.campaign(campaign, name: name)
        try db.run("INSERT INTO campaign_members (campaign_id, member_module, member_id, member_status) VALUES (?, 'Contacts', ?, ?)",
                   [.text(campaign), .text(contact), .text(status)])
    }

    public enum FixtureError: Error { case noSuchField(String) }
}

extension Settings {
    /// The default settings with `key=value` assignments applied in order, as `--set` applies them.
    public init(assignments: [String]) throws {
        self.init()
        for assignment in assignments { try apply(assignment: assignment) }
    }
}
