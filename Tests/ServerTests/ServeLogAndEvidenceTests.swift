import Foundation
import TestSupport
import Testing

/// `serve --log`, the `X-CRM-Replica-Explain` evidence and the `/replica/` calls, checked
/// against `replay` and `why` through the real binary.
@Suite("serve: request log, evidence, health and why", .serialized)
struct ServeLogAndEvidenceTests {
    static let asOf = "2026-11-20T18:00:00+00:00"

    /// A session against the server, logged, replays with `replay` to the same answers: the
    /// log's `response`s are compared item by item with what the replay predicts.
    @Test func theLogReplaysToIdenticalAnswers() async throws {
        let workspace = try ServeWritesTests.org()
        let pristine = workspace.path("pristine.sqlite")
        try FileManager.default.copyItem(atPath: workspace.database, toPath: pristine)
        let logPath = workspace.path("session.ndjson")
        let server = try ServedReplica(workspace, ["--log", logPath])
        var sent: [ServedReplica.Answer] = []
        sent.append(try await server.send("POST", "/crm/v8/Contacts/upsert",
                                          body: ServeWritesTests.upsert(#"{"Last_Name":"N","Email":"new@example.com"},{"Last_Name":"S","Email":"sam@example.com"}"#)))
        sent.append(try await server.send("POST", "/crm/v8/Contacts/upsert", body: ServeWritesTests.upsert(#"{"Last_Name":"N2","Email":"NEW@example.com"}"#)))
        sent.append(try await server.send("GET", "/crm/v8/Contacts/search?email=new%40example.com"))
        sent.append(try await server.send("PUT", "/crm/v8/Campaigns/\(ServeWritesTests.campaign)/Contacts",
                                          body: #"{"data":[{"id":"\#(ServeWritesTests.ann)","Member_Status":"Sent"}]}"#))
        sent.append(try await server.send("DELETE", "/crm/v8/Contacts/\(ServeWritesTests.samToo)", token: ServedReplica.token))
        sent.append(try await server.send("POST", "/crm/v2/Contacts", body: #"{"data":[{"Last_Name":"Late","Email":"late@example.com","Phone":"111"}]}"#))
        server.stop()
        #expect(sent.map(\.status) == [207, 200, 200, 200, 200, 400])

        let lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 6)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(Set(first.keys) == ["method", "path", "body", "status", "response", "time"])
        #expect(first["path"] as? String == "/crm/v8/Contacts/upsert" && first["status"] as? Int == 207)
        #expect(lines[2].contains(#""path":"/crm/v8/Contacts/search?email=new%40example.com""#))
        #expect(!lines.joined().contains(ServedReplica.token))

        let replayed = try workspace.run(["replay", logPath, "--as-of", Self.asOf], db: pristine)
        #expect(replayed.status == 0, "\(replayed)")
        #expect(replayed.stdout.contains("no differences"), "\(replayed.stdout)")
    }

    /// `X-CRM-Replica-Explain: 1` adds the evidence `replay --explain --json` prints, byte for byte.
    @Test func explainHeaderAddsTheEvidenceReplayExplainPrints() async throws {
        let workspace = try ServeWritesTests.org()
        let body = ServeWritesTests.upsert(#"{"Last_Name":"S","Email":"sam@example.com"},{"Email":"x@example.com"}"#)
        let logPath = try workspace.write("one.ndjson", #"{"method":"POST","path":"/crm/v8/Contacts/upsert","body":\#(body)}"# + "\n")
        let replayed = try workspace.run(["replay", logPath, "--json", "--explain", "--as-of", Self.asOf])
        try #require(replayed.status == 0, "\(replayed)")
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let explained = try await server.send("POST", "/crm/v8/Contacts/upsert", body: body, headers: ["X-CRM-Replica-Explain": "1"])
        #expect(explained.text == replayed.lines.first)
        let evidence = try #require(explained.items.first?["$replica"] as? [String: Any])
        #expect((evidence["candidates"] as? [[String: Any]])?.count == 2 && evidence["settings"] != nil)
        let plain = try await server.send("POST", "/crm/v8/Contacts/upsert", body: body)
        #expect(!plain.text.contains("$replica"))
    }

    @Test func healthAnswersWithoutAToken() async throws {
        let workspace = try ServeWritesTests.org()
        let server = try ServedReplica(workspace, ["--dry-run", "--token", ServedReplica.token])
        defer { server.stop() }
        let health = try await server.send("GET", "/replica/health", token: nil)
        #expect(health.status == 200 && health.json["status"] as? String == "ok" && health.json["dry_run"] as? Bool == true)
    }

    /// `/replica/why` is `why --json` under the server's clock and settings.
    @Test func whyAnswersWhatWhyJSONPrints() async throws {
        let workspace = try ServeWritesTests.org()
        let cli = try workspace.run(["why", "sam@example.com", "--json", "--as-of", Self.asOf, "--set", "multi_match=oldest"])
        try #require(cli.status == 0, "\(cli)")
        let server = try ServedReplica(workspace, ["--set", "multi_match=oldest"])
        defer { server.stop() }
        let served = try await server.send("GET", "/replica/why?value=sam%40example.com&module=Contacts")
        #expect(served.status == 200)
        #expect(served.text == cli.stdout.trimmingCharacters(in: .newlines))
        let noValue = try await server.send("GET", "/replica/why")
        #expect(noValue.status == 400 && noValue.json["code"] as? String == "REQUIRED_PARAM_MISSING")
        let noToken = try await server.send("GET", "/replica/why?value=sam%40example.com", token: nil)
        #expect(noToken.status == 401)
    }
}
