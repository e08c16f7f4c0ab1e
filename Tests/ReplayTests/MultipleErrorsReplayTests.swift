import Catalogue
import Engine
import Formats
import Foundation
import Replay
import Testing

/// Replay's reports of a `MULTIPLE_OR_MULTI_ERRORS` item, through the library: the tally counts
/// wrapped errors by their own code, and the comparison looks inside the wrapper.
struct MultipleErrorsReplayTests {
    static func org() throws -> ReplayOrg {
        let org = try ReplayOrg()
        try org.makeUnique("Phone")
        let field = FieldDefinition(module: .contacts, apiName: "Member_Number", label: "Member Number", dataType: "text",
                                    isUnique: true, isCustom: true, source: .metadata)
        try FieldCatalogue.setUnique(org.db, module: .contacts, field: field, unique: true)
        try org.store.reindexSideFields(module: .contacts)
        try org.contact("5725767000000100001", email: "ann@example.com")
        try org.contact("5725767000000100002", email: "bea@example.com", phone: "+1 206 555 0100")
        try org.contact("5725767000000100003", email: "cy@example.com", extra: ["Member_Number": .string("MBR-1")])
        return org
    }

    static let batch = """
        {"data":[{"Last_Name":"Ann","Email":"ann@example.com","Phone":"+1 206 555 0100","Member_Number":"MBR-1"},
                 {"Last_Name":"Bea","Email":"bea@example.com","Member_Number":"MBR-1"},
                 {"Last_Name":"Fay","Email":"fay@example.com"}],"duplicate_check_fields":["Email"]}
        """

    @Test func theTallyCountsWrappedErrorsByTheirOwnCode() throws {
        let org = try Self.org()
        let report = try org.replay([try org.file("batch.json", Self.batch)], .payload(.contacts))
        let tally = report.tally
        #expect(tally.items == 3)
        #expect(tally.failed == 2)
        #expect(tally.added == 1)
        let duplicates = try #require(tally.failures.first { $0.name == "DUPLICATE_DATA" })
        #expect(duplicates.count == 3)
        #expect(duplicates.nested == 2)
        #expect(duplicates.wrappers == 1)
        #expect(tally.failures.count == 1)
        #expect(tally.failureList == "DUPLICATE_DATA 3, 2 of them inside 1 MULTIPLE_OR_MULTI_ERRORS")
    }

    @Test func theComparisonLooksInsideTheWrapper() throws {
        let org = try Self.org()
        let report = try org.replay([try org.file("batch.json", Self.batch)], .payload(.contacts))
        let predicted = report.requests[0].body
        #expect(Comparison(report: report, real: [predicted]).matches)

        guard case .object(var envelope) = predicted, case .array(var items)? = envelope["data"],
              case .object(var wrapper) = items[0], case .object(var details)? = wrapper["details"],
              case .array(var errors)? = details["errors"] else {
            Issue.record("not a MULTIPLE_OR_MULTI_ERRORS envelope: \(predicted)")
            return
        }
        // Zoho's second wrapped error names Email instead of Member_Number.
        guard case .object(var second) = errors[1], case .object(var secondDetails)? = second["details"] else { return }
        secondDetails["api_name"] = .string("Email")
        second["details"] = .object(secondDetails)
        errors[1] = .object(second)
        details["errors"] = .array(errors)
        wrapper["details"] = .object(details)
        items[0] = .object(wrapper)
        envelope["data"] = .array(items)
        let differences = Comparison(report: report, real: [.object(envelope)]).differences
        #expect(differences.map(\.field) == ["errors[1].details.api_name"])
        #expect(differences.first?.predicted == "Member_Number")
        #expect(differences.first?.real == "Email")
    }
}
