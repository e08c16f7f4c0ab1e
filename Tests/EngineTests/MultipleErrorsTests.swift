import Catalogue
import Formats
import Foundation
import Testing
@testable import Engine

/// Several unique-field clashes in one record (docs/rules.md#one-record-of-an-upsert, step 3):
/// one `MULTIPLE_OR_MULTI_ERRORS` wrapping a `DUPLICATE_DATA` per field, or the first alone.
struct MultipleErrorsTests {
    /// Ann holds the Email the upsert finds; Bea the Phone, Cy the member number the record carries.
    static func org() throws -> Org {
        let org = try Org()
        try org.makeUnique("Phone")
        try org.addCustomUniqueField("Member_Number")
        try org.contact("5725767000000100001", email: "ann@example.com")
        try org.contact("5725767000000100002", email: "bea@example.com", phone: "+1 206 555 0100")
        try org.contact("5725767000000100003", email: "cy@example.com", extra: ["Member_Number": .string("MBR-1")])
        return org
    }

    static let clashing = person("ann@example.com", phone: "+1 206 555 0100", extra: ["Member_Number": .string("MBR-1")])

    @Test func twoClashesWrapOneDuplicateDataPerFieldInCheckPatternOrder() throws {
        let org = try Self.org()
        let verdict = try #require(try org.run(.upsert, [Self.clashing], dcf: ["Email"]).first)
        #expect(verdict.outcome.code == .multipleErrors)
        #expect(verdict.outcome.errors.map(\.code) == [.duplicateData, .duplicateData])
        #expect(verdict.outcome.errors.map(\.apiName) == ["Phone", "Member_Number"])
        #expect(verdict.outcome.errors.map(\.recordID) == ["5725767000000100002", "5725767000000100003"])
        #expect(verdict.causes.count == 2)
        #expect(verdict.causes[1].contains("Member_Number is unique"))

        let item = ZohoResponse.item(verdict.outcome, operation: .upsert)
        #expect(item["message"]?.stringValue == "Multiple errors in the request")
        #expect(item["status"]?.stringValue == "error")
        let errors = try #require(item["details"]?["errors"]?.arrayValue)
        #expect(errors.map { $0["details"]?["json_path"]?.stringValue } == ["$.data[0].Phone", "$.data[0].Member_Number"])
        #expect(errors.map { $0["details"]?["id"]?.stringValue } == ["5725767000000100002", "5725767000000100003"])
        #expect(errors.map { $0["details"]?["duplicate_record"]?["id"]?.stringValue } == ["5725767000000100002", "5725767000000100003"])
        #expect(errors.allSatisfy { $0["details"]?["more_records"]?.boolValue == false && $0["message"]?.stringValue == "duplicate data" })
        // Nothing was written.
        #expect(try org.count("contacts") == 3)
    }

    /// The order follows the check pattern: listing Member_Number before Phone puts its error first.
    @Test func theCheckPatternOrdersTheWrappedErrors() throws {
        let org = try Self.org()
        let listed = try #require(try org.run(.upsert, [Self.clashing], dcf: ["Email", "Member_Number"]).first)
        #expect(listed.outcome.code == .multipleErrors)
        #expect(listed.outcome.errors.map(\.apiName) == ["Member_Number", "Phone"])
        // An insert checks the unique fields in the catalogue's order.
        let inserted = try #require(try org.run(.insert, [person("dee@example.com", phone: "+1 206 555 0100",
                                                                 extra: ["Member_Number": .string("mbr-1")])]).first)
        #expect(inserted.outcome.errors.map(\.apiName) == ["Phone", "Member_Number"])
    }

    @Test func firstKeepsTheFirstClashAloneAndDependsOnSaysSo() throws {
        let org = try Self.org()
        let first = try #require(try org.run(.upsert, [Self.clashing], dcf: ["Email"], settings: "multiple_errors=first").first)
        #expect(first.outcome.code == .duplicateData)
        #expect(first.outcome.apiName == "Phone")
        #expect(first.outcome.errors.isEmpty)

        let session = try org.session()
        session.whatIf = true
        let request = RecordsRequest(module: .contacts, operation: .upsert, records: [Record(fields: Self.clashing)], duplicateCheckFields: ["Email"])
        let explained = try #require(try session.run(request, depth: .full).verdicts.first)
        let alternative = try #require(explained.alternatives.first { $0.setting == .multipleErrors })
        #expect(alternative.value == "first")
        #expect(alternative.verdict.outcome.code == .duplicateData)
        #expect(explained.answer.errors.count == 2)
    }

    @Test func oneClashStaysPlainDuplicateDataWithDetailsID() throws {
        let org = try Self.org()
        let verdict = try #require(try org.run(.upsert, [person("ann@example.com", phone: "+1 206 555 0100")], dcf: ["Email"]).first)
        #expect(verdict.outcome.code == .duplicateData)
        let item = ZohoResponse.item(verdict.outcome, operation: .upsert)
        #expect(item["details"]?["id"]?.stringValue == "5725767000000100002")
        #expect(item["details"]?["errors"] == nil)
    }

    @Test func theVerdictJSONListsEachCauseWithItsReason() throws {
        let org = try Self.org()
        let verdict = try #require(try org.run(.upsert, [Self.clashing], dcf: ["Email"]).first)
        let json = VerdictJSON.verdict(verdict)
        let errors = try #require(json["errors"]?.arrayValue)
        #expect(errors.map { $0["api_name"]?.stringValue } == ["Phone", "Member_Number"])
        #expect(errors.allSatisfy { $0["reason"]?.stringValue?.contains("is unique") == true })
        #expect(json["reason"]?.stringValue?.hasPrefix("2 unique fields clash") == true)
    }
}
