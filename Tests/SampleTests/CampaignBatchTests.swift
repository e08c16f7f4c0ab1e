import Catalogue
import Engine
import Foundation
import SampleData
import Testing

/// The story, replayed through the real engine: what the demo shows must be what happens.
@Suite("Samples: the campaign batch")
struct CampaignBatchTests {
    @Test func thirtyToFortyDuplicatesForAtLeastThreeCauses() throws {
        let items = try Replica.withSampleOrg().replayUpsert()
        #expect(items.count == 100)
        let failing = items.filter { !$0.duplicateErrors.isEmpty }
        #expect((30...40).contains(failing.count), "\(failing.count) records fail with DUPLICATE_DATA")
        let errors = failing.flatMap(\.duplicateErrors)
        #expect((30...40).contains(errors.count), "\(errors.count) DUPLICATE_DATA, nested ones counted")
        let causes = Dictionary(grouping: errors, by: ItemResult.cause).mapValues(\.count)
        #expect(causes.count >= 3, "\(causes)")
        // Every error names the record that caused it; the other failures are the planted bad values.
        #expect(errors.allSatisfy { $0["details"]?["duplicate_record"]?["id"]?.stringValue != nil })
        #expect(items.allSatisfy { $0.code == .success || !$0.duplicateErrors.isEmpty || $0.code == .invalidData })
        #expect(items.contains { $0.code == .multipleErrors && $0.duplicateErrors.count >= 2 })
    }

    @Test func theCausesAreTheOnesThePayloadPlants() throws {
        let items = try Replica.withSampleOrg().replayUpsert()
        let causes = Dictionary(grouping: items.filter(\.isDuplicate), by: \.cause).mapValues(\.count)
        #expect(causes == ["Email held by several": 14, "Phone held by several": 9, "Phone held by another": 6,
                           "Member_Number held by another": 4])
        // One signup's phone and member number both belong to other contacts: one item, two errors.
        let wrapped = items.filter { $0.code == .multipleErrors }
        #expect(wrapped.count == 1)
        #expect(wrapped.first?.duplicateErrors.map(ItemResult.cause) == ["Phone held by another", "Member_Number held by another"])
    }

    @Test func recycleBinEmailsInsertByDefaultAndFailWhenTheBinCounts() throws {
        let replica = try Replica.withSampleOrg()
        let byDefault = try replica.replayUpsert()
        let binCounts = try replica.replayUpsert("recycle_bin_counts=true")
        let changed = zip(byDefault, binCounts).filter { $0.0.action == "insert" && $0.1.isDuplicate }
        #expect(changed.count == 5)
        for (_, blocked) in changed {
            let holder = try #require(blocked.holderID)
            #expect(try replica.count("SELECT count(*) FROM recycle_bin WHERE id = '\(holder)' AND data IS NOT NULL") == 1)
        }
    }

    @Test func nearMissesInsertUnderNocaseAndUpdateUnderUnicode() throws {
        let replica = try Replica.withSampleOrg()
        let nocase = try replica.replayUpsert()
        let unicode = try replica.replayUpsert("match=unicode")
        let changed = zip(nocase, unicode).filter { $0.0.action == "insert" && $0.1.action == "update" }
        #expect(changed.count == 5)
        #expect(changed.allSatisfy { $0.1.duplicateField == "Email" })
        let kinds = Set(changed.compactMap { pair in
            pair.1.verdict?.candidates.first { $0.recordID == pair.1.verdict?.outcome.recordID }?.match
        })
        #expect(kinds == [.whitespace, .unicodeCase, .invisible])
    }

    @Test func someSignupsSilentlyUpdateAContactThroughTheUniquePhone() throws {
        let items = try Replica.withSampleOrg().replayUpsert()
        let throughPhone = items.filter { $0.action == "update" && $0.duplicateField == "Phone" }
        #expect(throughPhone.count == 3)
        let summary = Dictionary(grouping: items.filter { $0.code == .success }, by: { $0.action ?? "" }).mapValues(\.count)
        #expect(summary == ["insert": 52, "update": 10])
    }

    @Test func campaignIDInThePayloadIsNotedAsNoMembership() throws {
        let items = try Replica.withSampleOrg().replayUpsert()
        let noted = items.filter { $0.notes.contains { $0.text.contains("Campaign_ID") && $0.text.contains("no campaign membership") } }
        #expect(!noted.isEmpty)
    }

    @Test func membershipRequestsRouteAsRelatedAndAnswerAsDesigned() throws {
        let replica = try Replica.withSampleOrg()
        let session = try replica.session()
        let answers = try replica.db.dryRun {
            _ = try session.handle(try upsertRequest())
            return try membershipRequests().map { request in
                guard case .related(.campaigns, SampleStory.campaignID, .contacts, nil, false) = Route.of(request) else {
                    Issue.record("\(request.path) does not route as a campaign's related Contacts")
                    return [String]()
                }
                return try session.handle(request).items.map { "\($0.code.rawValue) \($0.message ?? $0.apiName ?? "")" }
            }
        }
        #expect(answers == [
            Array(repeating: "SUCCESS relation added", count: 9),
            Array(repeating: "SUCCESS relation added", count: 3) + ["SUCCESS relation updated"],
            ["INVALID_DATA invalid data"],
        ])
    }
}

/// The signups whose values Zoho refuses for their field's type, as the demo shows them.
@Suite("Samples: bad values in the campaign batch")
struct CampaignBatchInvalidValueTests {
    @Test func fourSignupsFailWithInvalidDataNamingTheirFieldAndType() throws {
        let invalid = try Replica.withSampleOrg().replayUpsert().filter { $0.code == .invalidData }
        let answers = invalid.map { "\($0.apiName ?? "?") \($0.item["details"]?["expected_data_type"]?.stringValue ?? "?")" }
        #expect(answers.sorted() == ["Group_Size integer", "Phone phone", "Phone phone", "Webinar_Registered_At datetime"])
        let groupSize = try #require(invalid.first { $0.apiName == "Group_Size" })
        #expect(groupSize.item["details"]?["maximum_length"] == .number("9"))
    }

    /// Letters in a phone are the one refusal a setting changes: with phone_letters=allow the
    /// `ext` signup is added, and the placeholder `() Not provided.` still fails.
    @Test func phoneLettersAllowTakesOnlyTheExtension() throws {
        let invalid = try Replica.withSampleOrg().replayUpsert("phone_letters=allow").filter { $0.code == .invalidData }
        let answers = invalid.map { "\($0.apiName ?? "?") \($0.item["details"]?["expected_data_type"]?.stringValue ?? "?")" }
        #expect(answers.sorted() == ["Group_Size integer", "Phone phone", "Webinar_Registered_At datetime"])
    }
}
