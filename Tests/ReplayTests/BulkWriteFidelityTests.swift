import Catalogue
import Engine
import Formats
import Foundation
import Replay
import Storage
import Testing

@Suite("Replay: Bulk Write find_by by the system field, and the separator")
struct BulkWriteFidelityTests {
    /// Email left as the default catalogue has it (not unique); two contacts hold one email.
    func org() throws -> ReplayOrg {
        let org = try ReplayOrg()
        _ = try org.contact("5725767000000100001", email: "ann@example.com", last: "Lee")
        _ = try org.contact("5725767000000100002", email: "Sam@Example.com", last: "Roe", created: "2024-01-01T00:00:00+00:00")
        _ = try org.contact("5725767000000100003", email: "sam@example.com", last: "Poe")
        return org
    }

    @Test func everyOperationSkipsARowItsEmailFindsSeveralTimes() throws {
        let org = try org()
        #expect(try org.store.catalogue(.contacts).field("Email")?.isUnique != true)
        let path = try org.file("contacts.csv", "Last_Name,Email\nLee,ANN@example.com\nX,sam@example.com\n")
        for operation in [WriteOperation.upsert, .update, .insert] {
            let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .bulk(operation, findBy: "Email")) }
            let rows = ResultTable(report: report).rows
            #expect(rows.map(\.status) == [operation == .insert ? .skipped : .updated, .skipped], "\(operation)")
            #expect(rows[1].errors == "DUPLICATE_DATA-Email", "\(operation)")
            #expect(report.requests[0].items[1].result.reason.contains("multi_match=error"), "\(operation)")
        }
    }

    @Test func theSeparatorIsTheOneWhoseHeaderNamesTheMostFields() throws {
        let org = try org()
        // `:` splits the header into known API names; `,` leaves it one unknown column.
        let path = try org.file("contacts.csv", "Last_Name:Email\n\"Lee, Ann\":new@example.com\n")
        let input = try org.read([path], .bulk(.insert, findBy: nil))
        #expect(input.requests[0].notes.first == "The fields are separated by colons, not commas (Bulk Write detects `,` `;` `:` `|` from the header line).")
        #expect(input.requests[0].bulkWrite?.records.first?.text("Last_Name") == "Lee, Ann")
    }
}
