import Catalogue
import Engine
import Formats
import Foundation
import Replay
import Storage
import Testing

@Suite("Replay: Bulk Write rules and the result file")
struct BulkWriteTests {
    /// Email unique (Bulk Write's find_by must be), one existing contact.
    func org() throws -> (ReplayOrg, String) {
        let org = try ReplayOrg()
        try org.makeUnique("Email")
        let ann = try org.contact("5725767000000100001", email: "ann@example.com", phone: "+1 555 0100", last: "Lee")
        return (org, ann)
    }

    @Test func upsertByFieldUpdatesMatchesAndInsertsTheRest() throws {
        let (org, ann) = try org()
        let path = try org.file("contacts.csv", "Last_Name,Email,Phone\nLee-Smith,ANN@example.com,\nNew,new@example.com,+1 555 0199\n")
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .bulk(.upsert, findBy: "Email", ignoreEmpty: true)) }
        let items = try #require(report.requests.first?.items)
        #expect(items.map(\.action) == [.update, .insert])
        #expect(items[0].recordID == ann)
        #expect(items[0].json["duplicate_field"] == .string("Email"))
        #expect(report.requests.first?.status == nil)
    }

    /// Committed, to read the stored record: ignore_empty keeps the stored Phone, without it
    /// the empty cell clears it.
    @Test func ignoreEmptyDecidesWhetherEmptyCellsClearStoredValues() throws {
        let (org, ann) = try org()
        let path = try org.file("contacts.csv", "Last_Name,Email,Phone\nLee,ann@example.com,\n")
        _ = try org.replay([path], .bulk(.upsert, findBy: "Email", ignoreEmpty: true), commit: true)
        #expect(try org.store.find(module: .contacts, id: ann)?.record.text("Phone") == "+1 555 0100")
        _ = try org.replay([path], .bulk(.upsert, findBy: "Email"), commit: true)
        #expect(try org.store.find(module: .contacts, id: ann)?.record.fields["Phone"] == JSONValue.null)
    }

    @Test func insertWithFindBySkipsRowsThatMatchExistingRecords() throws {
        let (org, ann) = try org()
        let path = try org.file("contacts.csv", "Last_Name,Email\nLee,Ann@Example.com\nNew,new@example.com\n")
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .bulk(.insert, findBy: "Email")) }
        let items = try #require(report.requests.first?.items)
        #expect(items.map(\.code) == ["DUPLICATE_DATA", "SUCCESS"])
        #expect(items[0].duplicateID == ann)
        #expect(items[0].result.reason.contains("skips rows that match an existing record"))
        #expect(ResultTable(report: report).rows.map(\.status) == [.skipped, .added])
    }

    /// Written rows carry the engine's alternatives; a row skipped on find_by's lookup carries none.
    @Test func explainingGivesWrittenRowsTheirDependsOn() throws {
        let (org, _) = try org()
        try org.binned("5725767000000500001", email: "gone@example.com")
        let path = try org.file("contacts.csv", "Last_Name,Email\nLee,Ann@Example.com\nNew,gone@example.com\n")
        let plain = try org.replay([path], .bulk(.insert, findBy: "Email"))
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .bulk(.insert, findBy: "Email"), explain: true) }
        let items = try #require(report.requests.first?.items)
        #expect(report.requests.first?.body == plain.requests.first?.body)
        #expect(items.map(\.code) == ["DUPLICATE_DATA", "SUCCESS"])
        #expect(items[0].dependsOn.isEmpty)
        #expect(items[1].dependsOn.map(\.setting) == [.recycleBinCounts])
        #expect(items[1].dependsOn.first?.verdict.outcome.code == .duplicateData)
        #expect(plain.requests.first?.items.allSatisfy(\.dependsOn.isEmpty) == true)
    }

    @Test func updateByFieldSkipsRowsThatMatchNothing() throws {
        let (org, ann) = try org()
        let path = try org.file("contacts.csv", "Email,Title\nann@example.com,CTO\nnobody@example.com,CEO\n")
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .bulk(.update, findBy: "Email")) }
        let items = try #require(report.requests.first?.items)
        #expect(items.map(\.code) == ["SUCCESS", "INVALID_DATA"])
        #expect(items[0].recordID == ann)
        #expect(items[0].json["action"] == nil)
        #expect(items[1].json["details"]?["api_name"] == .string("Email"))
        #expect(items[1].result.reason.contains("nothing to update"))
        #expect(try org.count("contacts") == 1)
    }

    @Test func upsertByIdUpdatesLiveIdsAndInsertsTheRest() throws {
        let (org, ann) = try org()
        let path = try org.file("contacts.csv", "id,Last_Name,Email\n\(ann),Lee,\n5725767000000999999,New,new@example.com\n")
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .bulk(.upsert, findBy: "id", ignoreEmpty: true)) }
        let items = try #require(report.requests.first?.items)
        #expect(items.map(\.action) == [.update, .insert])
        #expect(items[0].recordID == ann)
        #expect(items[1].recordID != "5725767000000999999")
    }

    @Test func resultFileKeepsEveryInputColumnThenStatusRecordIdErrors() throws {
        let (org, ann) = try org()
        try org.makeUnique("Phone")
        try org.contact("5725767000000100002", email: "kim@example.com", phone: "+1 555 0199")
        let path = try org.file("contacts.csv", """
            Last_Name,Email,Phone,Note
            Lee,ann@example.com,,"keeps, commas"
            Kim,kim@example.com,+1 555 0100,x
            ,three@example.com,,y

            """)
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .bulk(.upsert, findBy: "Email", ignoreEmpty: true)) }
        let table = ResultTable(report: report)
        #expect(table.header == ["Last_Name", "Email", "Phone", "Note", "STATUS", "RECORD_ID", "ERRORS"])
        #expect(table.cells[0] == ["Lee", "ann@example.com", "", "keeps, commas", "UPDATED", ann, ""])
        #expect(table.cells[1] == ["Kim", "kim@example.com", "+1 555 0100", "x", "SKIPPED", "", "DUPLICATE_DATA-Phone"])
        #expect(table.cells[2] == ["", "three@example.com", "", "y", "SKIPPED", "", "MANDATORY_NOT_FOUND-Last_Name"])
        let text = ReplayText.render(report, comparison: nil)
        #expect(text.contains("Request 1: Bulk Write upsert of Contacts, find_by Email, lines 2-4 (\(path):2): 3 items, 0 added, 1 updated, 2 skipped (DUPLICATE_DATA 1, MANDATORY_NOT_FOUND 1)"))
        #expect(text.contains("  line 3: DUPLICATE_DATA on Phone. "))
        #expect(table.csv.hasPrefix("Last_Name,Email,Phone,Note,STATUS,RECORD_ID,ERRORS\r\nLee,ann@example.com,,\"keeps, commas\",UPDATED,\(ann),\r\n"))
    }

    @Test func resultFileOfJSONInputsUsesTheRecordFieldsInFirstSeenOrder() throws {
        let org = try ReplayOrg()
        try org.makeUnique("Email")
        try org.contact("5725767000000100001", email: "ann@example.com")
        let path = try org.file("requests.ndjson", """
            {"method":"POST","path":"/crm/v2/Contacts","body":{"data":[{"Last_Name":"A","Email":"a@example.com"},{"Last_Name":"B","Email":"ann@example.com"}]}}
            {"method":"PUT","path":"/crm/v8/Campaigns/5725767000002000001/Contacts","body":{"data":[{"id":"5725767000000100001"}]}}
            {"method":"POST","path":"/crm/v2/Contacts/upsert","body":{"data":[{"Email":"ANN@example.com","Title":"CTO","Owner":{"id":"1"}}]}}
            """)
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path]) }
        let table = ResultTable(report: report)
        #expect(table.columns == ["Last_Name", "Email", "Title", "Owner"])
        #expect(table.cells.map { Array($0.prefix(4)) } == [["A", "a@example.com", "", ""], ["B", "ann@example.com", "", ""],
                                                           ["", "ANN@example.com", "CTO", #"{"id":"1"}"#]])
        #expect(table.rows.map(\.status) == [.added, .skipped, .updated])
        #expect(table.rows[1].errors == "DUPLICATE_DATA-Email")
    }
}
