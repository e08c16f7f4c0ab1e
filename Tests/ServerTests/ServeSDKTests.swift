import Foundation
import TestSupport
import Testing

/// Zoho's official Python SDKs (`zohocrmsdk8-0` for API v8, `zohocrmsdk2-0` for API v2),
/// unchanged and given only the local base URL, run their upsert, create, search,
/// deleted-records and campaign steps against `serve` on a replica of `Samples/zoho-org`; the
/// test checks what the SDK parsed, then replays the server's request log with `replay` and
/// requires the same answers. Each SDK lives in a virtual environment CI creates
/// (`.build/sdk-venv`, `.build/sdk2-venv`: the two install packages that clash), or
/// `CRM_REPLICA_SDK_PYTHON` / `CRM_REPLICA_SDK2_PYTHON` names a python that has it; without one
/// its test does not run, except under CI (`CI` set), where a missing SDK is a failure.
@Suite("serve: Zoho's Python SDKs as the client", .serialized)
struct ServeSDKTests {
    static func python(_ variable: String, venv: String) -> URL? {
        if let named = ProcessInfo.processInfo.environment[variable], !named.isEmpty { return URL(fileURLWithPath: named) }
        let python = CLI.packageRoot.appendingPathComponent(".build/\(venv)/bin/python")
        return FileManager.default.isExecutableFile(atPath: python.path) ? python : nil
    }
    static let underCI = !(ProcessInfo.processInfo.environment["CI"] ?? "").isEmpty
    static let sdk8 = python("CRM_REPLICA_SDK_PYTHON", venv: "sdk-venv")
    static let sdk2 = python("CRM_REPLICA_SDK2_PYTHON", venv: "sdk2-venv")
    static let script = CLI.packageRoot.appendingPathComponent("Tests/ServerTests/SDK/zoho_sdk_session.py")
    static let asOf = "2026-11-20T18:00:00+00:00"
    /// Held by two Contacts (multi_match=error): DUPLICATE_DATA.
    static let duplicateEmail = "wei.meyer@example.net"
    /// Held by one Contact whose other unique values clash with nobody: an update.
    static let updateEmail = "amir.bauer@example.org"
    static let updatedContact = "5725767000000520378"
    static let campaign = "5725767000000801003"

    /// With `autoRefresh` the SDK first reads settings/modules and every listed module's fields.
    @Test(.enabled(if: sdk8 != nil || underCI, "no python with zohocrmsdk8-0: .build/sdk-venv or CRM_REPLICA_SDK_PYTHON"), arguments: [false, true])
    func sdk8RunsUnchangedAndReplayAgrees(autoRefresh: Bool) async throws {
        let parsed = try await run(python: try #require(Self.sdk8), sdk: "8", autoRefresh: autoRefresh)
        // SDK 8 parses the duplicate record of DUPLICATE_DATA, which a caller reads to merge.
        let upsert = (parsed["upsert"] as? [String: Any])?["items"] as? [[String: Any]]
        #expect(upsert?.first?["duplicate_record_id"] as? String == "5725767000000524434")
    }

    @Test(.enabled(if: sdk2 != nil || underCI, "no python with zohocrmsdk2-0: .build/sdk2-venv or CRM_REPLICA_SDK2_PYTHON"), arguments: [false, true])
    func sdk2RunsUnchangedAndReplayAgrees(autoRefresh: Bool) async throws {
        _ = try await run(python: try #require(Self.sdk2), sdk: "2", autoRefresh: autoRefresh)
    }

    /// Runs one SDK's session, checks what it parsed and the replay of the log; returns the parse.
    private func run(python: URL, sdk: String, autoRefresh: Bool) async throws -> [String: Any] {
        let workspace = try Workspace()
        let samples = CLI.packageRoot.appendingPathComponent("Samples/zoho-org")
        let files = try FileManager.default.contentsOfDirectory(atPath: samples.path).sorted().map { samples.appendingPathComponent($0).path }
        let loaded = try workspace.run(["load"] + files + ["--quiet"])
        try #require(loaded.status == 0, "\(loaded)")
        let pristine = workspace.path("pristine.sqlite")
        try FileManager.default.copyItem(atPath: workspace.database, toPath: pristine)
        let logPath = workspace.path("sdk-session.ndjson")
        let resources = workspace.directory.appendingPathComponent("sdk-resources")
        try FileManager.default.createDirectory(at: resources, withIntermediateDirectories: true)

        let server = try ServedReplica(workspace, ["--log", logPath], asOf: Self.asOf)
        let run = try CLI.execute(python, [Self.script.path], in: workspace.directory, environment: [
            "SDK": sdk, "AUTO_REFRESH": autoRefresh ? "1" : "0",
            "BASE_URL": server.baseURL.absoluteString, "TOKEN": "1000.localtest", "RESOURCE_DIR": resources.path,
            "DUPLICATE_EMAIL": Self.duplicateEmail, "UPDATE_EMAIL": Self.updateEmail, "CAMPAIGN_ID": Self.campaign,
            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
        ], timeout: 300)
        server.stop()
        try #require(run.status == 0, "\(run)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run)")

        let upsert = try #require((parsed["upsert"] as? [String: Any])?["items"] as? [[String: Any]], "\(parsed)")
        #expect(upsert.map { $0["class"] as? String } == ["record.APIException", "record.SuccessResponse", "record.SuccessResponse"])
        #expect(upsert.map { $0["code"] as? String } == ["DUPLICATE_DATA", "SUCCESS", "SUCCESS"])
        #expect(upsert[1]["action"] as? String == "update" && upsert[1]["id"] as? String == Self.updatedContact)
        #expect(upsert[2]["action"] as? String == "insert")
        let inserted = try #require(upsert[2]["id"] as? String)

        let create = try #require((parsed["create"] as? [String: Any])?["items"] as? [[String: Any]])
        #expect(create.first?["code"] as? String == "SUCCESS" && create.first?["message"] as? String == "record added")
        let created = try #require(create.first?["id"] as? String)

        let hit = try #require(parsed["search_hit"] as? [String: Any])
        #expect(hit["records"] as? [String] == [inserted])
        let miss = try #require(parsed["search_miss"] as? [String: Any])
        #expect(miss["status"] as? Int == 204 && miss["records"] is NSNull)

        let deleted = try #require(parsed["deleted"] as? [String: Any])
        #expect((deleted["ids"] as? [String])?.isEmpty == false)
        #expect(Set(deleted["types"] as? [String] ?? []).isSubset(of: ["recycle", "permanent"]))

        let campaign = try #require((parsed["campaign"] as? [String: Any])?["items"] as? [[String: Any]], "\(parsed)")
        #expect(campaign.first?["class"] as? String == "related_records.SuccessResponse")
        #expect(campaign.first?["code"] as? String == "SUCCESS" && campaign.first?["id"] as? String == created)

        // The same calls, replayed from the server's log on the replica as it was: the same answers.
        if autoRefresh {
            #expect(try String(contentsOfFile: logPath, encoding: .utf8).contains("/settings/modules"), "the SDK refreshed its modules")
        }
        let replayed = try workspace.run(["replay", logPath, "--as-of", Self.asOf], db: pristine)
        #expect(replayed.status == 0 && replayed.stdout.contains("no differences"), "\(replayed)")
        return parsed
    }
}
