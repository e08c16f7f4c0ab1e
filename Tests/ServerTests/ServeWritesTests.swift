import Foundation
import TestSupport
import Testing

/// `crm-replica serve`: record writes over HTTP through the real binary, answered by the same
/// engine as `replay`, with Zoho's statuses, auth and error shapes.
@Suite("serve: writes", .serialized)
struct ServeWritesTests {
    static let ann = "5725767000000100001"
    static let sam = "5725767000000100002"
    static let samToo = "5725767000000100003"
    static let campaign = "5725767000000900001"

    /// Ann, and Sam twice (the same email in two case spellings), Phone unique, one campaign.
    static func org() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.load("Contacts.csv", """
            Record Id,Last Name,Email,Phone,Created Time
            \(ann),Lee,ann@example.com,111,2025-01-01T00:00:00+00:00
            \(sam),Roe,Sam@Example.com,222,2024-01-01T00:00:00+00:00
            \(samToo),Poe,sam@example.com,333,2025-01-01T00:00:00+00:00

            """)
        try workspace.load("Contacts_fields.json", ZohoFiles.contactFieldsWithUniquePhone)
        try workspace.load("Campaigns.json", #"{"data":[{"id":"\#(campaign)","Campaign_Name":"Spring Webinar"}]}"#)
        return workspace
    }

    static func upsert(_ records: String) -> String {
        #"{"data":[\#(records)],"duplicate_check_fields":["Email"]}"#
    }

    static func contactCount(_ workspace: Workspace) throws -> Int {
        try DatabaseDump(path: workspace.database).count("contacts")
    }

    /// The same calls sent to the server and replayed from a request log give the same bytes.
    /// (Calls whose answers carry no time: `replay` stamps Created_Time with the real clock.)
    @Test func answersAreByteIdenticalToReplayJSON() async throws {
        let workspace = try Self.org()
        let calls: [(method: String, path: String, body: String?)] = [
            ("POST", "/crm/v8/Contacts/upsert", Self.upsert(#"{"Last_Name":"X","Email":"SAM@example.com"},{"Email":"z@example.com"}"#)),
            ("POST", "/crm/v2/Contacts", #"{"data":[{"Email":"nobody@example.com"}]}"#),
            ("PUT", "/crm/v8/Campaigns/\(Self.campaign)/Contacts", #"{"data":[{"id":\#(Self.ann),"Member_Status":"Invited"}]}"#),
            ("DELETE", "/crm/v8/Contacts?ids=\(Self.samToo),123", nil),
        ]
        let log = calls.map { call in
            #"{"method":"\#(call.method)","path":"\#(call.path)","body":\#(call.body ?? "null")}"#
        }.joined(separator: "\n") + "\n"
        let logPath = try workspace.write("calls.ndjson", log)
        let replayed = try workspace.run(["replay", logPath, "--json", "--as-of", "2026-11-20T18:00:00+00:00"])
        try #require(replayed.status == 0, "\(replayed)")

        let server = try ServedReplica(workspace)
        defer { server.stop() }
        var served: [String] = []
        for call in calls { served.append(try await server.send(call.method, call.path, body: call.body).text) }
        #expect(served == replayed.lines)
        #expect(served[0].contains("DUPLICATE_DATA") && served[1].contains("MANDATORY_NOT_FOUND"))
    }

    @Test func statusesAreZohos() async throws {
        let workspace = try Self.org()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let added = try await server.send("POST", "/crm/v8/Contacts/upsert", body: Self.upsert(#"{"Last_Name":"N","Email":"new1@example.com"}"#))
        #expect(added.status == 201 && added.codes == ["SUCCESS"])
        #expect(added.contentType?.hasPrefix("application/json") == true)
        let updated = try await server.send("POST", "/crm/v8/Contacts/upsert", body: Self.upsert(#"{"Last_Name":"N2","Email":"ann@example.com"}"#))
        #expect(updated.status == 200 && updated.items.first?["action"] as? String == "update")
        let mixed = try await server.send("POST", "/crm/v8/Contacts/upsert",
                                          body: Self.upsert(#"{"Last_Name":"M","Email":"new2@example.com"},{"Last_Name":"S","Email":"sam@example.com"}"#))
        #expect(mixed.status == 207 && mixed.codes == ["SUCCESS", "DUPLICATE_DATA"])
        let failed = try await server.send("POST", "/crm/v8/Contacts/upsert", body: Self.upsert(#"{"Last_Name":"S","Email":"sam@example.com"}"#))
        #expect(failed.status == 400 && failed.codes == ["DUPLICATE_DATA"])
        // Kept: the sandbox remembers (two inserts, one update).
        #expect(try Self.contactCount(workspace) == 5)
        let keptID = try #require((added.items.first?["details"] as? [String: Any])?["id"] as? String)
        let show = try workspace.run(["show", keptID, "--json"])
        #expect(show.status == 0 && show.stdout.contains("new1@example.com"))
    }

    /// Zoho's Python SDKs send no Content-Type and 19-digit ids as JSON numbers.
    @Test func bodyIsJSONWhateverItsContentTypeAndIdsMayBeNumbers() async throws {
        let workspace = try Self.org()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let member = try await server.send("PUT", "/crm/v8/Campaigns/\(Self.campaign)/Contacts",
                                           body: #"{"data":[{"id":\#(Self.ann),"Member_Status":"Invited"}]}"#,
                                           headers: ["Content-Type": "text/plain"])
        #expect(member.status == 201 || member.status == 200, "\(member.text)")
        #expect(member.codes == ["SUCCESS"] && member.text.contains("relation added"))
        let form = try await server.send("POST", "/crm/v8/Contacts", body: #"{"data":[{"Last_Name":"F","Email":"form@example.com"}]}"#,
                                         headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(form.status == 201 && form.codes == ["SUCCESS"])
    }

    @Test func authIsRequiredAndTheTokenChecked() async throws {
        let workspace = try Self.org()
        let before = try DatabaseDump(path: workspace.database)
        let server = try ServedReplica(workspace, ["--token", ServedReplica.token])
        defer { server.stop() }
        let body = Self.upsert(#"{"Last_Name":"N","Email":"new@example.com"}"#)
        let missing = try await server.send("POST", "/crm/v8/Contacts/upsert", body: body, token: nil)
        #expect(missing.status == 401 && missing.json["code"] as? String == "AUTHENTICATION_FAILURE" && missing.json["status"] as? String == "error")
        let wrong = try await server.send("POST", "/crm/v8/Contacts/upsert", body: body, token: "stolen")
        #expect(wrong.status == 401 && wrong.json["code"] as? String == "INVALID_TOKEN")
        #expect(!wrong.text.contains("stolen") && !wrong.text.contains(ServedReplica.token))
        // The token endpoint needs no Authorization header, so it hands --token only to its holder.
        let form = ["Content-Type": "application/x-www-form-urlencoded"]
        let guessed = try await server.send("POST", "/oauth/v2/token", body: "refresh_token=guess&grant_type=refresh_token", token: nil, headers: form)
        #expect(guessed.json["error"] as? String == "invalid_code" && !guessed.text.contains(ServedReplica.token))
        let held = try await server.send("POST", "/oauth/v2/token", body: "refresh_token=\(ServedReplica.token)&grant_type=refresh_token",
                                         token: nil, headers: form)
        #expect(held.json["access_token"] as? String == ServedReplica.token)
        #expect(try DatabaseDump(path: workspace.database) == before)
    }

    @Test func badBodiesAre400Or413AndWriteNothing() async throws {
        let workspace = try Self.org()
        let before = try DatabaseDump(path: workspace.database)
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let malformed = try await server.send("POST", "/crm/v8/Contacts/upsert", body: "{\"data\":[\n{\"Last_Name\":\"A\",}]}")
        #expect(malformed.status == 400 && malformed.json["code"] as? String == "INVALID_DATA")
        let details = try #require(malformed.json["details"] as? [String: Any])
        #expect(details["line"] as? Int == 2 && details["column"] as? Int != nil, "\(malformed.text)")
        let notArray = try await server.send("POST", "/crm/v8/Contacts/upsert", body: #"{"data":{"Last_Name":"A"}}"#)
        #expect(notArray.status == 400 && (notArray.json["details"] as? [String: Any])?["json_path"] as? String == "$.data")
        let notObjects = try await server.send("POST", "/crm/v8/Contacts", body: #"{"data":[{"Last_Name":"A","Email":"a@example.com"},3]}"#)
        #expect(notObjects.status == 400 && (notObjects.json["details"] as? [String: Any])?["json_path"] as? String == "$.data[1]")
        let records = (0..<101).map { #"{"Last_Name":"L","Email":"l\#($0)@example.com"}"# }.joined(separator: ",")
        let tooMany = try await server.send("POST", "/crm/v8/Contacts/upsert", body: Self.upsert(records))
        #expect(tooMany.status == 400 && tooMany.json["code"] as? String == "LIMIT_EXCEEDED")
        let huge = String(repeating: " ", count: 9 * 1024 * 1024)
        let tooLarge = try await server.send("POST", "/crm/v8/Contacts/upsert", body: Self.upsert("") + huge)
        #expect(tooLarge.status == 413)
        #expect(try DatabaseDump(path: workspace.database) == before)
        // Still serving after all that.
        let fine = try await server.send("POST", "/crm/v8/Contacts", body: #"{"data":[{"Last_Name":"OK","Email":"ok@example.com"}]}"#)
        #expect(fine.status == 201)
    }

    @Test func callsTheReplicaDoesNotModelAnswerZohosErrorShapes() async throws {
        let workspace = try Self.org()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let elsewhere = try await server.send("GET", "/favicon.ico")
        #expect(elsewhere.status == 404 && elsewhere.json["code"] as? String == "INVALID_URL_PATTERN")
        let accounts = try await server.send("POST", "/crm/v8/Accounts", body: #"{"data":[{"Account_Name":"A"}]}"#)
        #expect(accounts.status == 400 && accounts.json["code"] as? String == "NOT_SUPPORTED", "\(accounts.text)")
        let sentence = try #require((accounts.json["details"] as? [String: Any])?["replica"] as? String)
        #expect(sentence.contains("Contacts, Leads and Campaigns"))
    }

    @Test func dryRunAnswersAndKeepsNothing() async throws {
        let workspace = try Self.org()
        let before = try DatabaseDump(path: workspace.database)
        let server = try ServedReplica(workspace, ["--dry-run"])
        defer { server.stop() }
        let first = try await server.send("POST", "/crm/v8/Contacts/upsert", body: Self.upsert(#"{"Last_Name":"N","Email":"dry@example.com"}"#))
        #expect(first.status == 201)
        // Each request is rolled back: the same upsert adds again instead of updating.
        let again = try await server.send("POST", "/crm/v8/Contacts/upsert", body: Self.upsert(#"{"Last_Name":"N","Email":"dry@example.com"}"#))
        #expect(again.status == 201 && again.items.first?["action"] as? String == "insert")
        let deleted = try await server.send("DELETE", "/crm/v8/Contacts/\(Self.ann)")
        #expect(deleted.status == 200 && deleted.codes == ["SUCCESS"])
        #expect(try DatabaseDump(path: workspace.database) == before)
    }

    @Test func aMissingReplicaOrBadSettingExitsTwoBeforeBinding() throws {
        let workspace = try Workspace()
        let missing = try workspace.run(["serve", "--port", "0"], timeout: 60)
        #expect(missing.status == 2 && missing.stderr.contains("replica.sqlite"))
        let org = try Self.org()
        let badSetting = try org.run(["serve", "--port", "0", "--set", "match=fuzzy"], timeout: 60)
        #expect(badSetting.status == 2 && badSetting.stderr.contains("match"))
    }
}
