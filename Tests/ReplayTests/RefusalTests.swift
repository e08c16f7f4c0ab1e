import Catalogue
import Engine
import Formats
import Foundation
import Replay
import Testing

@Suite("Replay: requests Zoho refused whole are not applied")
struct RefusalTests {
    static func json(_ text: String) throws -> JSONValue { try JSON.parse(text) }

    @Test func aRefusalIsARequestLevelErrorOrAStatusThatWritesNothing() throws {
        let token = try Self.json(#"{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}"#)
        let items = try Self.json(#"{"data":[{"code":"DUPLICATE_DATA","details":{"api_name":"Email"},"status":"error"}]}"#)
        #expect(Refusal(status: 401, response: token) == Refusal(status: 401, response: token))
        #expect(Refusal(status: 401, response: token)?.description == "INVALID_TOKEN (HTTP 401)")
        #expect(Refusal(status: nil, response: token)?.code == "INVALID_TOKEN")
        #expect(Refusal(status: 503, response: nil)?.description == "HTTP 503")
        #expect(Refusal(status: 429, response: nil) != nil)
        // Per-record answers, whatever their codes, and answers without a code, are not refusals.
        #expect(Refusal(status: 400, response: items) == nil)
        #expect(Refusal(status: nil, response: try Self.json("{}")) == nil)
        #expect(Refusal(status: 201, response: nil) == nil)
        #expect(Refusal(status: nil, response: nil) == nil)
    }

    /// Between requests that run, a refused one is not run, even with --commit, and the read-ahead
    /// (which reads for the requests that run) keeps the answers those of a run without it.
    @Test func aRefusedRequestIsNotRunAndTheOthersAreAnsweredAsWithoutIt() throws {
        let org = try ReplayOrg()
        try org.contact("5725767000000100001", email: "ann@example.com")
        func line(_ email: String, _ answer: String = "") -> String {
            #"{"method":"POST","path":"/crm/v2/Contacts/upsert","body":{"data":[{"Last_Name":"X","Email":"\#(email)"}]}\#(answer)}"#
        }
        let refused = #","status":401,"response":{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}"#
        let emails = (0..<30).map { "p\($0)@example.com" }
        let withRefusals = try org.file("with.ndjson", emails.enumerated().map { index, email in
            index % 3 == 0 ? line(email, refused) + "\n" + line(email) : line(email)
        }.joined(separator: "\n"))
        let without = try org.file("without.ndjson", emails.map { line($0) }.joined(separator: "\n"))

        let plain = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([without]) }
        let report = try org.replay([withRefusals], commit: true)
        #expect(report.refused.count == 10)
        #expect(report.refused.allSatisfy { $0.items.isEmpty && $0.refused?.code == "INVALID_TOKEN" })
        let ran = report.requests.filter { $0.refused == nil }
        #expect(ran.map { $0.items.map(\.code) } == plain.requests.map { $0.items.map(\.code) })
        #expect(ran.map { $0.items.map(\.action) } == plain.requests.map { $0.items.map(\.action) })
        #expect(ran.allSatisfy { $0.items.first?.action == .insert })
        // 30 inserted, none of them twice: the refused attempts wrote nothing.
        #expect(try org.count("contacts") == 31)
    }
}
