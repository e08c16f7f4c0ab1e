import Catalogue
import Engine
import Formats
import Foundation
import Replay
import Testing

@Suite("Replay --compare")
struct ComparisonTests {
    /// Two existing contacts share an email in different case; one request upserts it.
    func replay(_ org: ReplayOrg) throws -> (ReplayReport, String) {
        let older = try org.contact("5725767000000100002", email: "Sam@Example.com", created: "2024-01-01T00:00:00+00:00")
        try org.contact("5725767000000100003", email: "sam@example.com")
        let path = try org.file("batch.json", #"{"data":[{"Last_Name":"A","Email":"new@example.com"},{"Last_Name":"B","Email":"sam@example.com"}]}"#)
        return (try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .payload(.contacts)) }, older)
    }

    static func answer(_ items: String...) throws -> JSONValue { try JSON.parse(#"{"data":["# + items.joined(separator: ",") + "]}") }
    static let added = #"{"code":"SUCCESS","duplicate_field":null,"action":"insert","details":{"id":"9990000000000000001"},"message":"record added","status":"success"}"#
    /// Insert answers carry no `action` (docs/zoho-facts.md#responses).
    static let inserted = #"{"code":"SUCCESS","details":{"id":"9990000000000000001"},"message":"record added","status":"success"}"#
    static func duplicate(_ id: String) -> String {
        #"{"code":"DUPLICATE_DATA","details":{"api_name":"Email","duplicate_record":{"id":"\#(id)"}},"message":"duplicate data","status":"error"}"#
    }

    @Test func sameAnswersMatchEvenWithDifferentNewIds() throws {
        let org = try ReplayOrg()
        let (report, older) = try replay(org)
        let comparison = Comparison(report: report, real: [try Self.answer(Self.added, Self.duplicate(older))])
        #expect(comparison.matches)
        #expect(comparison.compared == 1)
    }

    @Test func eachMismatchIsReportedByField() throws {
        let org = try ReplayOrg()
        let (report, _) = try replay(org)
        let updated = #"{"code":"SUCCESS","duplicate_field":"Email","action":"update","details":{"id":"5725767000000100003"},"message":"record updated","status":"success"}"#
        let comparison = Comparison(report: report, real: [try Self.answer(Self.added, updated)])
        #expect(comparison.differences.map(\.field) == ["code", "action", "duplicate_field", "details.api_name", "record_id"])
        let code = try #require(comparison.differences.first)
        #expect(code.request == 0 && code.item == 1)
        #expect(code.predicted == "DUPLICATE_DATA" && code.real == "SUCCESS")
        #expect(code.description.hasSuffix("item 1 ($.data[1]): code: predicted DUPLICATE_DATA, real SUCCESS"))
        #expect(comparison.differences(for: 0)?.count == 5)
    }

    @Test func countsThatDifferAreDifferences() throws {
        let org = try ReplayOrg()
        let (report, older) = try replay(org)
        let comparison = Comparison(report: report, real: [try Self.answer(Self.added), try Self.answer(Self.duplicate(older))])
        #expect(comparison.differences.map(\.field) == ["requests", "items"])
        #expect(comparison.differences[0].predicted == "1" && comparison.differences[0].real == "2")
        #expect(comparison.differences(for: 0)?.count == 2)
    }

    @Test func realAnswersInTheInputAreComparedWhereGiven() throws {
        let org = try ReplayOrg()
        let path = try org.file("requests.ndjson", """
            {"method":"POST","path":"/crm/v2/Contacts","body":{"data":[{"Last_Name":"A"}]},"status":201,"response":{"data":[\(Self.inserted)]}}
            {"method":"POST","path":"/crm/v2/Contacts","body":{"data":[{"Last_Name":"B"}]}}
            {"method":"POST","path":"/crm/v2/Contacts","body":{"data":[{"Last_Name":"C"}]},"response":{"data":[\(Self.duplicate("5725767000000100001"))]}}
            """)
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path]) }
        let comparison = Comparison(report: report)
        #expect(comparison.compared == 2)
        #expect(comparison.differences.allSatisfy { $0.request == 2 })
        #expect(comparison.differences.first?.field == "code")
        #expect(comparison.differences(for: 0)?.isEmpty == true)
        #expect(comparison.differences(for: 1) == nil)
        let line = try JSON.parse(JSONLines.line(report.requests[2], settings: report.settings, explain: false,
                                                 differences: comparison.differences(for: 2)))
        #expect(line["compare"]?[0] == (try JSON.parse(#"{"item":0,"field":"code","predicted":"SUCCESS","real":"DUPLICATE_DATA"}"#)))
        #expect(ReplayText.render(report, comparison: comparison).contains("Compared 2 requests with the real answers: 3 differences:"))
    }

    @Test func realAnswersLoadFromNDJSONOrAnArray() throws {
        let org = try ReplayOrg()
        let lines = try org.file("real.ndjson", "{\"data\":[]}\n\n{\"code\":\"LIMIT_EXCEEDED\"}\n")
        #expect(try RealAnswers.load(path: lines).count == 2)
        let array = try org.file("real.json", #"[{"data":[]},{"data":[]},{"data":[]}]"#)
        #expect(try RealAnswers.load(path: array).count == 3)
        let bad = try org.file("bad.ndjson", "{\"data\":[]}\n[1]\n")
        let error = try #require(throws: ReplayError.self) { try RealAnswers.load(path: bad) }
        #expect(error.description.hasPrefix("\(bad):2: expected a Zoho response object"))
    }
}
