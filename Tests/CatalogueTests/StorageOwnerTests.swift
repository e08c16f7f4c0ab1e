import Catalogue
import Formats
import Foundation
import Persistence
import Storage
import Testing

/// The store's table owners (`LiveRecords`, `RecycleBin`, `SideIndex`, `IDAllocator`) behind
/// `RecordStore`, on a real file: a record keeps its keys through the bin and back.
@Suite("Storage: table owners")
struct StorageOwnerTests {
    final class Replica {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("storage-owners-\(UUID().uuidString)")
        let db: Database

        init() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            db = try Database(path: directory.appendingPathComponent("replica.sqlite").path)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }
    }

    /// The bin's key columns are the one list its writes and the engine's lookups use: every
    /// module's key columns must be in it, and each must be a column of the table.
    @Test func theBinKeepsEveryModulesKeyColumns() throws {
        let replica = try Replica()
        let columns = Set(try replica.db.statement("PRAGMA table_info(recycle_bin)").rows { $0.text(1) ?? "" })
        for module in Module.allCases {
            for key in module.keyColumns {
                #expect(RecycleBin.keyColumn(for: key.field) == key, "\(module.rawValue).\(key.field)")
            }
        }
        for key in RecycleBin.keyColumns {
            #expect(columns.contains(key.column) && columns.contains(key.keyColumn), "\(key.column)")
        }
        #expect(RecycleBin.keyColumn(for: "Other_Email") == nil, "a field without a column is in the side index")
    }

    /// Each live table holds exactly the columns its layout binds (schema 7: the indexed keys and `data`).
    @Test func everyLiveTableHasItsLayoutsColumns() throws {
        let replica = try Replica()
        for module in Module.allCases {
            let columns = try replica.db.statement("SELECT name FROM pragma_table_info(?)").rows([.text(module.table)]) { $0.text(0) ?? "" }
            #expect(columns == LiveLayout.of(module).columns.map(\.name), "\(module.rawValue)")
        }
    }

    /// The fields schema 7 no longer keeps in columns are read from `data` by SQL that must say
    /// what `Record` says: a string's text, a number's literal as written, the owner's name from
    /// an object or a plain cell, and NULL for null, absent, objects and arrays.
    @Test(arguments: [
        #"{"Created_Time":"2026-01-02T03:04:05+00:00","Modified_Time":"2026-02-01T00:00:00+05:30","Owner":{"name":"Pat Boyle","id":"5725767000000411001"}}"#,
        #"{"Owner":"Pat Boyle","Created_Time":12.50,"Modified_Time":1E+10}"#,
        #"{"Owner":{"name":"Only Name"},"Created_Time":null}"#,
        #"{"Owner":{"id":5725767000000411001,"name":7},"Modified_Time":["x"]}"#,
        #"{"Owner":null,"Created_Time":{"a":1},"Modified_Time":"caf\u00e9 \"q\" \\ end"}"#,
        #"{"Last_Name":"None of them"}"#,
    ])
    func fieldsReadBackFromDataAreTheRecords(_ json: String) throws {
        let replica = try Replica()
        let store = RecordStore(db: replica.db)
        guard case .object(var fields) = try JSON.parse(json) else { Issue.record("not an object"); return }
        let id = "5725767000000100001"
        fields["id"] = .string(id)
        let record = Record(fields: fields)
        #expect(try store.put(record, module: .contacts) == .inserted)
        let held = try replica.db.statement("SELECT \(LiveLayout.holderColumnsSQL()) FROM contacts WHERE id = ?").firstRow([.text(id)]) {
            [$0.text(0), $0.text(1), $0.text(2)]
        }
        #expect(held == [record.text("Created_Time"), record.ownerName, record.ownerID], "\(json)")
        let aliased = try replica.db.statement("SELECT \(LiveLayout.holderColumnsSQL(table: "t.")) FROM contacts AS t WHERE t.id = ?").firstRow([.text(id)]) {
            [$0.text(0), $0.text(1), $0.text(2)]
        }
        #expect(aliased == held)
        let stored = try replica.db.statement(LiveLayout.selectDataAndModifiedSQL(.contacts)).firstRow([.text(id)]) { [$0.text(0), $0.text(1)] }
        #expect(stored == [record.json, record.text("Modified_Time")], "\(json)")
    }

    @Test func aRecordKeepsItsKeysThroughTheBinAndBack() throws {
        let replica = try Replica()
        let store = RecordStore(db: replica.db)
        let id = "5725767000000100001"
        let ann = Record(fields: ["id": .string(id), "Last_Name": .string("Ng"), "Email": .string("Ann@Example.com")])
        #expect(try store.put(ann, module: .contacts) == .inserted)
        let campaign = Record(fields: ["id": .string("5725767000000100002"), "Campaign_Name": .string("Spring")])
        try store.insert(campaign, module: .campaigns)

        #expect(try store.moveToBin(module: .contacts, id: id, deletion: Deletion(time: "2026-11-01T10:00:00+00:00")))
        #expect(try store.find(module: .contacts, id: id) == nil)
        #expect(try store.binModule(id: id) == .contacts)
        #expect(try store.binHoldsAny(.contacts) && !store.binHoldsAny(.leads))
        let probe = try store.binProbe()
        #expect(try probe.modifiedTime(id: id, module: .contacts) == .some(nil), "binned, without a Modified_Time")
        #expect(try probe.modifiedTime(id: id, module: .leads) == nil, "a row of another module is not this module's")
        let binned = try #require(try store.findInBin(id: id))
        #expect(binned.deletion?.displayName == "Ng")
        #expect(try replica.db.scalarText("SELECT Email FROM recycle_bin WHERE id = ?", [.text(id)]) == "Ann@Example.com")
        #expect(try replica.db.scalarText("SELECT coalesce(email_key, 'NULL') FROM recycle_bin WHERE id = ?", [.text(id)]) == "NULL",
                "a key that is only the value lower-cased is found through the NOCASE index")

        try store.moveToBin(module: .campaigns, id: "5725767000000100002", deletion: Deletion(time: nil))
        #expect(try replica.db.scalarText("SELECT campaign_name_key FROM recycle_bin WHERE module = 'Campaigns'") == "spring")
        #expect(try replica.db.scalarText("SELECT coalesce(Email, 'NULL') FROM recycle_bin WHERE module = 'Campaigns'") == "NULL")

        let restored = try #require(try store.restoreFromBin(id: id))
        #expect(restored.record == binned.record)
        #expect(try store.find(module: .contacts, id: id)?.record["Email"] == .string("Ann@Example.com"))
        #expect(try store.binModule(id: id) == nil)
    }

    /// Ids issued after a load are above every id seen, deferred or not.
    @Test func nextIDIsAboveEveryIDSeen() throws {
        let replica = try Replica()
        let store = RecordStore(db: replica.db)
        #expect(try store.nextID() == "1000000000000000000")
        try store.noteID("5725767000000100009")
        #expect(try store.nextID() == "5725767000000100010")
        store.deferWrites = true
        #expect(try store.nextID() == "5725767000000100011")
        try store.flush()
        store.deferWrites = false
        #expect(try store.nextID() == "5725767000000100012")
    }
}
