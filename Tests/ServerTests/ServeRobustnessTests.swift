import Foundation
import TestSupport
import Testing

/// No request, however malformed, crashes the server or writes part of itself.
@Suite("serve: malformed requests")
struct ServeRobustnessTests {
    @Test func malformedRequestsAreAnsweredAndWriteNothing() async throws {
        let workspace = try ServeWritesTests.org()
        let before = try DatabaseDump(path: workspace.database)
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let nested = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        let cases: [(method: String, path: String, body: String?)] = [
            ("POST", "/crm/v8/Contacts/upsert", #"{"data":\#(nested)}"#),
            ("POST", "/crm/v8/Contacts/upsert", "\u{FEFF}"),
            ("POST", "/crm/v8/Contacts", "null"),
            ("POST", "/crm/v8/Contacts", #"{"data":[{"Last_Name":"A","Email":{"nested":[1,2]}}],"duplicate_check_fields":"Email"}"#),
            ("PUT", "/crm/v8/Contacts/not-an-id", #"{"data":[{"Last_Name":"A"}]}"#),
            ("PUT", "/crm/v8/Campaigns/5725767000000900001/Contacts", #"{"data":[{"id":{"x":1}}]}"#),
            ("DELETE", "/crm/v8/Contacts", nil),
            ("DELETE", "/crm/v8/Contacts?ids=,,,", nil),
            ("POST", "/crm/v8/settings/recycle_bin/actions/restore", nil),
            ("GET", "/crm/v8/Contacts/search?criteria=" + String(repeating: "(", count: 3000), nil),
            ("GET", "/crm/v8/Contacts?page=-1&per_page=abc", nil),
            ("GET", "/crm/v8/Contacts/search?email=%FF%FE", nil),
            ("GET", "/crm/vX/Contacts", nil),
            ("GET", "/crm/v8/Contacts/1/2/3/4/5", nil),
            ("PATCH", "/crm/v8/Contacts", #"{"data":[]}"#),
        ]
        for call in cases {
            let answer = try await server.send(call.method, call.path, body: call.body)
            #expect((400..<500).contains(answer.status) || answer.status == 204, "\(call.method) \(call.path): \(answer.status) \(answer.text)")
            if answer.status != 204 {
                #expect(answer.json["status"] as? String == "error" || answer.items.allSatisfy { $0["status"] as? String == "error" },
                        "\(call.method) \(call.path): \(answer.text)")
            }
        }
        let health = try await server.send("GET", "/replica/health")
        #expect(health.status == 200 && server.command.isRunning)
        #expect(try DatabaseDump(path: workspace.database) == before)
    }
}
