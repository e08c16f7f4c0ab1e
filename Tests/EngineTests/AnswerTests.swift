import Catalogue
import Engine
import Testing

/// `Verdict.answer`: what a user acts on, the same across runs that differ only in the ids the
/// replica makes up for created records.
struct AnswerTests {
    /// Row 0's email sits in the recycle bin: with recycle_bin_counts=true it fails and creates
    /// nothing, so the record row 1 creates gets another id. Row 2 updates that record either way.
    @Test func aRecordCreatedByAnEarlierRowIsKnownByThatRow() throws {
        let org = try Org()
        try org.binned("5725767000000500001", email: "gone@example.com")
        let batch = [person("gone@example.com"), person("new@example.com"), person("new@example.com")]
        let plain = try org.db.dryRun { try org.run(.upsert, batch, dcf: ["Email"]) }
        let binCounts = try org.db.dryRun { try org.run(.upsert, batch, dcf: ["Email"], settings: "recycle_bin_counts=true") }

        #expect(plain[2].outcome.recordID != binCounts[2].outcome.recordID, "the ids differ")
        #expect(plain[2].answer == binCounts[2].answer)
        #expect(plain[2].answer.record == .createdByRow(1))
        #expect(plain[0].answer != binCounts[0].answer, "row 0 itself changes: insert, then DUPLICATE_DATA")
        #expect(binCounts[0].answer.record == .stored(.contacts, id: "5725767000000500001"))
        // An insert's answer names no record: its id is made up, even once written.
        #expect(plain[1].outcome.recordID != nil && plain[1].answer.record == nil)
    }

    @Test func theTargetAndTheDuplicateFieldAreTheAnswer() throws {
        let org = try Org()
        try org.contact("5725767000000100001", email: "ann@example.com", created: "2024-01-01T00:00:00+00:00")
        try org.contact("5725767000000100002", email: "ANN@example.com", created: "2025-01-01T00:00:00+00:00")
        let error = try org.db.dryRun { try org.run(.upsert, [person("ann@example.com")]) }[0]
        let oldest = try org.db.dryRun { try org.run(.upsert, [person("ann@example.com")], settings: "multi_match=oldest") }[0]
        #expect(error.answer.code == .duplicateData && oldest.answer.code == .success)
        #expect(error.answer.record == oldest.answer.record, "both name the oldest holder")
        #expect(error.answer != oldest.answer)
        #expect(oldest.answer.duplicateField == "Email")
    }
}
