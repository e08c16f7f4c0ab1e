import Catalogue
import Engine
import Explain
import Foundation
import Testing

/// Who holds a value, how each holder matches, whether it counts, and what would change it.
struct HolderTests {
    @Test func twoContactsDifferingInCaseBlockTheUpsert() throws {
        let org = try WhyOrg()
        let older = try org.person("5725767000000100002", email: "Sam@Example.com", created: "2024-01-01T00:00:00+00:00")
        let newer = try org.person("5725767000000100001", email: "sam@example.com")
        let report = try org.ask("sam@example.com")

        #expect(report.verdict.outcome.code == .duplicateData)
        #expect(report.verdict.outcome.recordID == older)
        #expect(report.verdict.outcome.moreRecords)
        #expect(report.match(newer)?.candidate.match == .exact)
        #expect(report.match(older)?.candidate.match == .case)
        #expect(report.matches.allSatisfy { $0.candidate.counts })
        #expect(report.advises("Merge or delete one of the 2 Contacts holding this Email"))
        let oldest = try #require(report.dependency("multi_match"))
        #expect(oldest.value == "oldest")
        #expect(oldest.verdict.outcome.action == .update)
        #expect(oldest.verdict.outcome.recordID == older)
    }

    @Test func recycleBinHolderIsReportedWithWhatWouldChangeIt() throws {
        let org = try WhyOrg()
        try org.binned("5725767000000500001", email: "fay@example.com")
        let report = try org.ask("fay@example.com")

        #expect(report.verdict.outcome.action == .insert)
        let bin = try #require(report.match("5725767000000500001")?.candidate)
        #expect(bin.location == .recycleBin)
        #expect(!bin.counts)
        #expect(bin.whyNotCounted == .inRecycleBin)
        #expect(bin.whyNotCounted?.text == "in the recycle bin, and recycle_bin_counts is false")
        #expect(bin.deletedTime == "2026-11-20T09:00:00+00:00")
        #expect(bin.deletedBy == "Admin")
        let dependency = try #require(report.dependency("recycle_bin_counts"))
        #expect(dependency.value == "true")
        #expect(dependency.verdict.outcome.code == .duplicateData)
        #expect(dependency.verdict.outcome.recordID == "5725767000000500001")
        #expect(report.advises("Restore or purge the recycle-bin Contact 5725767000000500001"))
    }

    @Test func purgedBinRowChangesNothing() throws {
        let org = try WhyOrg()
        try org.binned("5725767000000500001", email: "fay@example.com", deleted: "2026-08-01T00:00:00+00:00")
        let report = try org.ask("fay@example.com")

        #expect(report.match("5725767000000500001")?.candidate.whyNotCounted?.text.hasPrefix("purged") == true)
        #expect(report.dependsOn.isEmpty)
        #expect(!report.advises("Restore or purge"))
    }

    struct NearMiss: Sendable, CustomTestStringConvertible {
        let stored: String
        let given: String
        let kind: MatchKind
        let words: String
        var testDescription: String { kind.rawValue }
    }

    static let nearMisses = [
        NearMiss(stored: "lee@example.com\u{00A0}", given: "lee@example.com", kind: .whitespace,
                 words: "the stored value has a trailing no-break space (U+00A0)"),
        NearMiss(stored: "Émile@example.com", given: "émile@example.com", kind: .unicodeCase,
                 words: "the stored value has `É` where the value given has `é`"),
        NearMiss(stored: "fay\u{200B}@example.com", given: "fay@example.com", kind: .invisible,
                 words: "the stored value has a zero-width space (U+200B) inside"),
        NearMiss(stored: "jose\u{0301}@example.com", given: "jos\u{00E9}@example.com", kind: .normalization,
                 words: "the stored value is written decomposed (NFD"),
    ]

    @Test(arguments: nearMisses)
    func nearMissIsEvidenceThatCountsOnlyUnderMatchUnicode(_ nearMiss: NearMiss) throws {
        let org = try WhyOrg()
        let id = try org.person("5725767000000100001", email: nearMiss.stored)
        let report = try org.ask(nearMiss.given)

        #expect(report.verdict.outcome.action == .insert)
        let holder = try #require(report.match(id))
        #expect(holder.candidate.match == nearMiss.kind)
        #expect(!holder.candidate.counts)
        #expect(holder.candidate.whyNotCounted?.text.hasSuffix("match is nocase") == true)
        #expect(holder.candidate.storedValue == nearMiss.stored)
        let unicode = try #require(report.dependency("match"))
        #expect(unicode.value == "unicode")
        #expect(unicode.verdict.outcome.recordID == id)
        #expect(report.advises(nearMiss.words), "\(report.advice)")
    }

    @Test func leadHolderDoesNotCountForAContactsQuestion() throws {
        let org = try WhyOrg()
        let lead = try org.person("5725767000000200001", email: "kim@example.com", module: .leads)
        let report = try org.ask("kim@example.com")

        #expect(report.verdict.outcome.action == .insert)
        let holder = try #require(report.match(lead)?.candidate)
        #expect(holder.module == .leads)
        #expect(!holder.counts)
        #expect(holder.whyNotCounted?.text.contains("does not check Leads") == true)
        #expect(report.advises("convert the Lead"))
    }

    @Test func leadInsertClashesWithAContactThroughThePreference() throws {
        let org = try WhyOrg()
        try org.mapLeadEmailToContacts()
        let contact = try org.person("5725767000000774010", email: "kim@example.com")
        let insert = try org.ask("KIM@example.com", module: .leads, operation: .insert)

        #expect(insert.verdict.outcome.code == .duplicateData)
        #expect(insert.verdict.outcome.recordModule == .contacts)
        #expect(insert.verdict.outcome.recordID == contact)
        #expect(insert.fieldChecked)
        let holder = try #require(insert.match(contact)?.candidate)
        #expect(holder.role == .mappedModule)
        #expect(holder.counts)
        #expect(insert.advises("change the Leads duplicate-check preference"))

        let upsert = try org.ask("KIM@example.com", module: .leads)
        #expect(upsert.verdict.outcome.action == .insert)
        #expect(upsert.dependency("cross_module_on_upsert")?.verdict.outcome.code == .duplicateData)
        #expect(upsert.advises("whether upsert does is undocumented"))
    }

    @Test func valueNobodyHolds() throws {
        let org = try WhyOrg()
        try org.person("5725767000000100001", email: "ann@example.com")
        let report = try org.ask("nobody@example.com")

        #expect(report.verdict.outcome.code == .success)
        #expect(report.verdict.outcome.action == .insert)
        #expect(report.matches.isEmpty)
        #expect(report.dependsOn.isEmpty)
        #expect(report.fieldChecked)
        #expect(report.advises("No record in this replica holds `nobody@example.com`"))
    }

    /// An insert never looks a non-unique Email up, so an empty list is "not searched".
    @Test func insertOfAFieldThatIsNotUniqueSaysItIsNotChecked() throws {
        let org = try WhyOrg()
        try org.person("5725767000000100001", email: "ann@example.com")
        let report = try org.ask("ann@example.com", operation: .insert)

        #expect(report.verdict.outcome.action == .insert)
        #expect(!report.fieldChecked)
        #expect(report.advises("An insert checks only unique fields"))
        #expect(!report.advises("No record in this replica holds"))
    }

    @Test func secondaryEmailHolderIsEvidence() throws {
        let org = try WhyOrg()
        let holder = try org.person("5725767000000100001", email: "other@example.com", secondary: "ann@example.com")
        let report = try org.ask("ann@example.com")

        let match = try #require(report.match(holder, field: "Secondary_Email")?.candidate)
        #expect(match.checkedField == "Email")
        #expect(!match.counts)
        #expect(report.advises("holds this value in Secondary_Email"))
    }

    @Test func campaignsOfAHolderAreListedWithTheirStatus() throws {
        let org = try WhyOrg()
        let contact = try org.person("5725767000000100001", email: "ann@example.com")
        try org.member(of: "5725767000002000001", named: "Spring Launch", contact: contact, status: "Sent")
        let report = try org.ask("ann@example.com")

        #expect(report.match(contact)?.campaigns == [
            CampaignMembership(campaignID: "5725767000002000001", campaignName: "Spring Launch", memberStatus: "Sent"),
        ])
    }

    @Test func anotherFieldIsExplainedTheSameWay() throws {
        let org = try WhyOrg()
        try org.makeUnique("Phone")
        let holder = try org.person("5725767000000100001", email: "ann@example.com", phone: "+1 555 0100")
        let report = try org.ask("+1 555 0100", field: "phone")

        #expect(report.field == "Phone")
        #expect(report.verdict.outcome.action == .update)
        #expect(report.verdict.outcome.duplicateField == "Phone")
        #expect(report.match(holder, field: "Phone")?.candidate.counts == true)
    }
}
