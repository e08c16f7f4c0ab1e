import Catalogue
import Formats
import Foundation
import Persistence
import Storage
import Testing
@testable import Engine

/// `batch_visibility=snapshot` (docs/rules.md#the-batch): a record that existed before the batch
/// is found by its pre-batch values, even after an earlier row updated it; only records created
/// by earlier rows are invisible, and unique clashes are judged against the same state.
struct SnapshotBatchTests {
    static let ann = "5725767000000100001"
    static let bob = "5725767000000100002"

    static func org() throws -> Org {
        let org = try Org()
        try org.makeUnique("Phone")
        try org.contact(ann, email: "ann@example.com", phone: "+1 555 0001", created: "2024-01-01T00:00:00+00:00")
        try org.contact(bob, email: "bob@example.com", phone: "+1 555 0002", created: "2024-02-01T00:00:00+00:00")
        return org
    }

    @Test func foundByPreBatchValuesAfterTheyChanged() throws {
        let org = try Self.org()
        let session = try org.session("batch_visibility=snapshot")
        // Row 0 finds Ann by Phone and gives her a new Email and Phone; row 1 carries her old
        // Email; row 2 a new Email with her old Phone.
        let request = RecordsRequest(module: .contacts, operation: .upsert, records: [
            Record(fields: person("ann.new@example.com", last: "One", phone: "+1 555 0001")),
            Record(fields: person("Ann@Example.com", last: "Two")),
            Record(fields: person("carl@example.com", last: "Three", phone: "+1 555 0001")),
        ], duplicateCheckFields: ["Phone", "Email"])
        let verdicts = try session.run(request, depth: .full).verdicts
        #expect(verdicts.map(\.outcome.code) == [.success, .success, .success])
        #expect(verdicts.map(\.outcome.action) == [.update, .update, .update])
        #expect(verdicts.map(\.outcome.recordID) == [Self.ann, Self.ann, Self.ann])
        let found = try #require(verdicts[1].candidates.first { $0.recordID == Self.ann })
        #expect(found.counts && found.location == .live && found.storedValue == "ann@example.com")
        #expect(try org.count("contacts") == 2)
        // Each update applies over the earlier one.
        let stored = try #require(try org.store.find(module: .contacts, id: Self.ann)?.record)
        #expect(stored.text("Last_Name") == "Three")
        #expect(stored.text("Email") == "carl@example.com")
    }

    static let movingPhone = RecordsRequest(module: .contacts, operation: .upsert, records: [
        // Finds Ann by Email and moves her Phone from 0001 to 0009.
        Record(fields: person("ann@example.com", last: "One", phone: "+1 555 0009")),
        // Finds Bob by Email and gives him Ann's old Phone: Ann held it before the batch.
        Record(fields: person("bob@example.com", last: "Two", phone: "+1 555 0001")),
        // Finds Bob by Email and gives him Ann's new Phone: nobody held it before the batch.
        Record(fields: person("bob@example.com", last: "Three", phone: "+1 555 0009")),
    ], duplicateCheckFields: ["Email"])

    /// Unique clashes are judged against the pre-batch state: a value an earlier row moved off
    /// a record still clashes with it, and the value it moved onto it does not yet.
    @Test func uniqueClashesAreJudgedAgainstThePreBatchState() throws {
        let org = try Self.org()
        let snapshot = try org.session("batch_visibility=snapshot").run(Self.movingPhone, depth: .full).verdicts
        #expect(snapshot.map(\.outcome.code) == [.success, .duplicateData, .success])
        #expect(snapshot[1].outcome.recordID == Self.ann)
        #expect(snapshot[1].outcome.apiName == "Phone")
        #expect(snapshot[2].outcome.recordID == Self.bob)
    }

    /// Sequential batches are unchanged: later rows see the new values only.
    @Test func sequentialSeesTheNewValues() throws {
        let org = try Self.org()
        let verdicts = try org.session().run(Self.movingPhone, depth: .full).verdicts
        #expect(verdicts.map(\.outcome.code) == [.success, .success, .duplicateData])
        #expect(verdicts[2].outcome.recordID == Self.ann)
    }

    /// Records created by earlier rows stay invisible under snapshot.
    @Test func recordsCreatedByEarlierRowsStayInvisible() throws {
        let org = try Self.org()
        let verdicts = try org.run(.upsert, [person("new@example.com"), person("new@example.com")], dcf: ["Email"],
                                   settings: "batch_visibility=snapshot")
        #expect(verdicts.map(\.outcome.action) == [.insert, .insert])
    }
}
