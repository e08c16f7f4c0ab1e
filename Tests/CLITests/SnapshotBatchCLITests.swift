import Foundation
import TestSupport
import Testing

/// `replay --set batch_visibility=snapshot` through the built binary: a record an earlier row
/// updated is still found by its pre-batch Email and unique Phone, so no second record is made.
@Suite("CLI: snapshot batches")
struct SnapshotBatchCLITests {
    static func org() throws -> Workspace {
        let replica = try Workspace()
        try replica.load("Contacts_fields.json", ZohoFiles.contactFieldsWithUniquePhone, module: "Contacts")
        try replica.load("Contacts.csv", """
            id,Last_Name,Email,Phone,Created_Time
            5725767000000100001,Lee,ann@example.com,+1 206 555 0100,2024-01-01T00:00:00+00:00

            """)
        return replica
    }

    /// The items of a `replay --json` run of one request: code, action and record id each.
    static func replay(_ replica: Workspace, _ batch: String) throws -> [String] {
        let run = try replica.run(["replay", batch, "--module", "Contacts", "--set", "batch_visibility=snapshot", "--json", "--commit"])
        #expect(run.status == 0, "\(run.stderr)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run.stdout)")
        let items = try #require(body["data"] as? [[String: Any]], "\(run.stdout)")
        return items.map { item in
            let id = (item["details"] as? [String: Any])?["id"] as? String ?? "-"
            return "\(item["code"] as? String ?? "-") \(item["action"] as? String ?? "-") \(id == Self.ann ? "ann" : "other")"
        }
    }

    static let ann = "5725767000000100001"

    /// Row 0 finds Ann by Phone and changes her Email; row 1 carries her old Email (found: an
    /// update, not a second record); row 2 her new Email, which no record held before the batch.
    @Test func laterRowsFindAnUpdatedRecordByItsPreBatchEmail() throws {
        let replica = try Self.org()
        let batch = try replica.write("batch.json", """
            {"data":[{"Last_Name":"One","Email":"ann.new@example.com","Phone":"+1 206 555 0100"},
                     {"Last_Name":"Two","Email":"Ann@Example.com"},
                     {"Last_Name":"Three","Email":"ann.new@example.com"}],
             "duplicate_check_fields":["Phone","Email"]}
            """)
        #expect(try Self.replay(replica, batch) == ["SUCCESS update ann", "SUCCESS update ann", "SUCCESS insert other"])
        let shown = try replica.run(["show", Self.ann])
        #expect(shown.stdout.contains("Two"), "the later update applies over the earlier one: \(shown.stdout)")
        let stats = try replica.run(["stats", "--json"])
        #expect(stats.stdout.contains("\"Contacts\":2"), "\(stats.stdout)")
    }

    /// Row 0 finds Ann by Email and changes her unique Phone; row 1 carries her old Phone with
    /// another Email: found by that Phone, an update rather than a second record.
    @Test func laterRowsFindAnUpdatedRecordByItsPreBatchPhone() throws {
        let replica = try Self.org()
        let batch = try replica.write("batch.json", """
            {"data":[{"Last_Name":"One","Email":"ann@example.com","Phone":"+1 206 555 0199"},
                     {"Last_Name":"Two","Email":"dan@example.com","Phone":"+1 206 555 0100"}],
             "duplicate_check_fields":["Phone","Email"]}
            """)
        #expect(try Self.replay(replica, batch) == ["SUCCESS update ann", "SUCCESS update ann"])
        let stats = try replica.run(["stats", "--json"])
        #expect(stats.stdout.contains("\"Contacts\":1"), "\(stats.stdout)")
    }
}
