import Catalogue
import Engine
import Explain
import Formats
import Foundation
import Testing

/// `why --batch FILE --row N`: row N seen after rows 0..<N, in a dry run.
struct BatchRowTests {
    static func row(_ email: String, phone: String? = nil, extra: JSONObject = [:]) -> JSONObject {
        var fields: JSONObject = ["Last_Name": .string("New"), "Email": .string(email)]
        if let phone { fields["Phone"] = .string(phone) }
        for (key, value) in extra { fields[key] = value }
        return fields
    }

    @Test func rowMatchingAnEarlierRowUpdatesWhatThatRowWrote() throws {
        let org = try WhyOrg()
        try org.person("5725767000000100001", email: "ann@example.com")
        let batch = [Self.row("new@example.com"), Self.row("ann@example.com"), Self.row("NEW@example.com")]
        let report = try org.ask("NEW@example.com", batch: batch, row: 2)

        #expect(report.batch == BatchPosition(source: "batch.json", row: 2))
        #expect(report.verdict.outcome.action == .update)
        let holder = try #require(report.matches.first?.candidate)
        #expect(holder.location == .batch(row: 0))
        #expect(holder.match == .case)
        #expect(holder.counts)
        #expect(report.verdict.outcome.recordID == holder.recordID)
        #expect(report.dependency("batch_visibility")?.verdict.outcome.action == .insert)
        #expect(report.advises("Row 0 of this batch writes Contact \(holder.recordID)"))
        // The dry run left the replica as it was.
        #expect(try org.count("contacts") == 1)
    }

    /// A new email with a unique Phone someone holds: upsert matches through Phone.
    @Test func rowMatchedThroughAUniquePhone() throws {
        let org = try WhyOrg()
        try org.makeUnique("Phone")
        let holder = try org.person("5725767000000100001", email: "old@example.com", phone: "+1 555 0100")
        let report = try org.ask("new@example.com", batch: [Self.row("new@example.com", phone: "+1 555 0100")])

        #expect(report.verdict.outcome.action == .update)
        #expect(report.verdict.outcome.duplicateField == "Phone")
        #expect(report.verdict.outcome.recordID == holder)
        #expect(report.match(holder, field: "Phone")?.candidate.counts == true)
        #expect(report.advises("upsert updates it because its Phone matches"))
    }

    @Test func uniquePhoneClashBlocksAnInsertRow() throws {
        let org = try WhyOrg()
        try org.makeUnique("Phone")
        let holder = try org.person("5725767000000100001", email: "old@example.com", phone: "+1 555 0100")
        let report = try org.ask("new@example.com", operation: .insert, batch: [Self.row("new@example.com", phone: "+1 555 0100")])

        #expect(report.verdict.outcome.code == .duplicateData)
        #expect(report.verdict.outcome.apiName == "Phone")
        #expect(report.match(holder, field: "Phone")?.candidate.role == .uniqueClash)
        #expect(report.advises("Remove Phone from the payload, or make Phone non-unique"))
    }

    /// Another setting can change what the earlier rows wrote, so depends_on replays them too.
    /// Under match=unicode row 0 updates the near-miss holder instead of adding a record, so row 1
    /// then updates that holder; judged against the sequential state alone it would see two
    /// holders and fail.
    @Test func dependsOnReplaysTheEarlierRows() throws {
        let org = try WhyOrg()
        let nearMiss = try org.person("5725767000000100001", email: "fay@example.com\u{00A0}")
        let report = try org.ask("fay@example.com", batch: [Self.row("fay@example.com"), Self.row("fay@example.com")], row: 1)

        #expect(report.verdict.outcome.action == .update)
        #expect(report.verdict.outcome.recordID != nearMiss)
        let then = try #require(report.dependency("match")?.verdict.outcome)
        #expect(then.code == .success)
        #expect(then.recordID == nearMiss)
    }

    @Test func campaignFieldInARowGetsTheRelatedRecordsAdvice() throws {
        let org = try WhyOrg()
        let report = try org.ask("new@example.com", batch: [Self.row("new@example.com", extra: ["Campaign_ID": .string("5725767000002000001")])])

        #expect(report.notes.contains { $0.contains("Campaign_ID is not a Contacts field") })
        #expect(report.advises("PUT /Campaigns/{campaign_id}/Contacts"))
    }

    @Test func rowHoldingANearMissOfTheValueIsEvaluatedAsTheBatchHoldsIt() throws {
        let org = try WhyOrg()
        let report = try org.ask("fay@example.com", batch: [Self.row("fay\u{200B}@example.com")])

        #expect(report.notes.contains { $0.contains("`fay\\u200B@example.com`, not byte for byte the value given") })
    }

    @Test func rowOutsideTheBatchIsBadInput() throws {
        let org = try WhyOrg()
        #expect(throws: WhyError.rowOutOfRange(row: 3, count: 1, path: "batch.json")) {
            try org.ask("a@example.com", batch: [Self.row("a@example.com")], row: 3)
        }
    }

    @Test func rowThatDoesNotHoldTheValueIsBadInput() throws {
        let org = try WhyOrg()
        #expect(throws: WhyError.rowDoesNotHold(row: 0, field: "Email", held: "b@example.com", given: "a@example.com", path: "batch.json")) {
            try org.ask("a@example.com", batch: [Self.row("b@example.com")])
        }
    }

    @Test func batchOverTheLimitIsRefusedWhole() throws {
        let org = try WhyOrg()
        #expect(throws: WhyError.batchOverLimit(count: 3, limit: 2, path: "batch.json")) {
            try org.ask("a@example.com", batch: Array(repeating: Self.row("a@example.com"), count: 3), settings: "batch_limit=2")
        }
    }

    @Test func batchFileIsReadWithReplaysParser() throws {
        let org = try WhyOrg()
        let path = org.directory.appendingPathComponent("batch.json").path
        try Data(#"{"data":[{"Email":"a@example.com","id":5725767000000524157}],"duplicate_check_fields":["Email"]}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        let batch = try BatchRow.read(path: path, row: 0)
        #expect(batch.duplicateCheckFields == ["Email"])
        #expect(batch.records.first?["id"] == .number("5725767000000524157"))

        let bad = org.directory.appendingPathComponent("bad.json").path
        try Data(#"{"data":"x"}"#.utf8).write(to: URL(fileURLWithPath: bad))
        #expect(throws: WhyError.malformedBatch(path: bad, problem: "$.data: expected an array of records")) {
            try BatchRow.read(path: bad, row: 0)
        }
    }
}
