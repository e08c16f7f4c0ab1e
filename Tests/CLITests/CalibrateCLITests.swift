import Foundation
import TestSupport
import Testing

/// `crm-replica calibrate` through the built binary: answers the replica itself gave under a known
/// combination are traced back to it; contradictions, records the replica lacks and bad input
/// are reported; `--apply` stores only what was decided.
@Suite("CLI: calibrate")
struct CalibrateCLITests {
    static let asOf = "2026-11-20T18:00:00+00:00"

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    static func line(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func verdicts(_ report: [String: Any]) -> [String: String] {
        var verdicts: [String: String] = [:]
        for entry in report["evidence"] as? [[String: Any]] ?? [] {
            let verdict = entry["verdict"] as? String ?? "?"
            let value = entry["value"].map { "\($0)" }
            verdicts[entry["setting"] as? String ?? "?"] = value.map { "\(verdict) \($0)" } ?? verdict
        }
        return verdicts
    }

    /// The sample org's batch, answered by the replica under recycle_bin_counts=true and
    /// match=unicode, written as a request log: calibration finds exactly that combination.
    @Test func aLogOfKnownSettingsCalibratesBackToThem() throws {
        let workspace = try Workspace()
        let org = CLI.packageRoot.appendingPathComponent("Samples/zoho-org")
        let files = try FileManager.default.contentsOfDirectory(atPath: org.path).sorted().map { org.appendingPathComponent($0).path }
        try workspace.succeed(["load", "--quiet"] + files)
        let batch = CLI.packageRoot.appendingPathComponent("Samples/batches/campaign-upsert.json").path
        let answered = try workspace.succeed(["replay", batch, "--module", "Contacts", "--json", "--as-of", Self.asOf,
                                              "--set", "recycle_bin_counts=true", "--set", "match=unicode"])
        let body = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: batch)))
        let response = try JSONSerialization.jsonObject(with: Data(answered.stdout.utf8))
        let log = try workspace.write("log.ndjson", try Self.line(["method": "POST", "path": "/crm/v8/Contacts/upsert", "body": body,
                                                                   "status": 207, "response": response, "time": Self.asOf]) + "\n")
        let before = try DatabaseDump(path: workspace.database).lines

        let run = try workspace.run(["calibrate", log, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try Self.json(run.stdout)
        #expect(report["items"] as? Int == 100)
        #expect(report["combinations"] as? Int == 64, "rerelate and cross_module_on_upsert cannot change a Contacts upsert")
        let best = try #require(report["best"] as? [String: Any])
        #expect(best["matched"] as? Int == 100)
        #expect(Set(best["changed"] as? [String] ?? []) == ["recycle_bin_counts", "match"])
        #expect(Self.verdicts(report) == [
            "recycle_bin_counts": "decided 1", "match": "decided unicode", "multi_match": "decided error",
            "batch_visibility": "decided sequential", "multiple_errors": "decided wrap",
            "cross_module_on_upsert": "no_evidence", "rerelate": "no_evidence", "phone_letters": "decided reject",
        ])
        #expect((report["unreproduced"] as? [Any])?.isEmpty == true)
        let untested = Dictionary(uniqueKeysWithValues: (report["evidence"] as? [[String: Any]] ?? []).compactMap { entry in
            (entry["untested"] as? String).map { ((entry["setting"] as? String) ?? "?", $0) }
        })
        #expect(untested == ["rerelate": "the input makes no campaign membership call", "cross_module_on_upsert": "the input upserts no Leads"])
        #expect(try DatabaseDump(path: workspace.database).lines == before, "calibrating without --apply changes nothing")

        let text = try workspace.run(["calibrate", log])
        #expect(text.stdout.contains("Best: 100 of 100 reproduced with recycle_bin_counts=true, match=unicode"), "\(text.stdout)")
        #expect(text.stdout.contains("not tested: the input makes no campaign membership call"), "\(text.stdout)")
    }

    /// Two recycle-bin holders: Zoho blocked one and let the other through (contradicted); a third
    /// answer names a record the replica never loaded.
    static func binOrg() throws -> (Workspace, log: String) {
        let workspace = try Workspace()
        try workspace.load("Contacts_fields.json", ZohoFiles.contactFieldsWithUniquePhone, module: "Contacts")
        try workspace.load("Contacts.csv", """
            id,Last_Name,Email,Created_Time
            5725767000000100001,Ann,ann@example.com,2024-01-01T00:00:00+00:00
            5725767000000100002,Xia,xia@example.com,2024-01-02T00:00:00+00:00
            5725767000000100003,Yul,yul@example.com,2024-01-03T00:00:00+00:00

            """)
        try workspace.load("Contacts_deleted.json", """
            {"data":[{"id":"5725767000000100002","type":"recycle","deleted_time":"2026-11-10T09:00:00+00:00","deleted_by":{"name":"Admin","id":"1"}},
                     {"id":"5725767000000100003","type":"recycle","deleted_time":"2026-11-10T09:00:00+00:00","deleted_by":{"name":"Admin","id":"1"}}]}
            """, module: "Contacts")
        func duplicate(_ id: String, _ row: Int) -> [String: Any] {
            ["data": [["code": "DUPLICATE_DATA", "message": "duplicate data", "status": "error",
                       "details": ["api_name": "Email", "json_path": "$.data[\(row)].Email", "more_records": false,
                                   "duplicate_record": ["id": id, "module": ["api_name": "Contacts"]]]]]]
        }
        let added: [String: Any] = ["data": [["code": "SUCCESS", "action": "insert", "duplicate_field": NSNull(), "message": "record added",
                                              "status": "success", "details": ["id": "5725767000000900001"]]]]
        func call(_ email: String, _ response: [String: Any], status: Int) throws -> String {
            try Self.line(["method": "POST", "path": "/crm/v8/Contacts/upsert", "status": status, "time": Self.asOf,
                           "body": ["data": [["Last_Name": "New", "Email": email]], "duplicate_check_fields": ["Email"]],
                           "response": response])
        }
        let log = try workspace.write("log.ndjson", [
            try call("xia@example.com", duplicate("5725767000000100002", 0), status: 400),
            try call("yul@example.com", added, status: 201),
            try call("zed@example.com", duplicate("5725767000000199999", 0), status: 400),
        ].joined(separator: "\n") + "\n")
        return (workspace, log)
    }

    @Test func contradictionsAndMissingRecordsAreReported() throws {
        let (workspace, log) = try Self.binOrg()
        let run = try workspace.run(["calibrate", log, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try Self.json(run.stdout)
        #expect(report["items"] as? Int == 3)
        #expect(Self.verdicts(report)["recycle_bin_counts"] == "contradicted")
        let unreproduced = try #require(report["unreproduced"] as? [[String: Any]])
        #expect(unreproduced.count == 1)
        #expect(unreproduced.first?["request"] as? Int == 2)
        #expect(unreproduced.first?["reason"] as? String == "holder_missing")
        #expect((unreproduced.first?["explanation"] as? String)?.contains("5725767000000199999") == true)
        #expect((unreproduced.first?["explanation"] as? String)?.contains("Contacts.csv") == true, "names the newest export loaded")

        let text = try workspace.run(["calibrate", log])
        #expect(text.stdout.contains("contradicted: items need each value"), "\(text.stdout)")
        #expect(text.stdout.contains("Not reproduced by any combination (1):"), "\(text.stdout)")
    }

    @Test func applyStoresOnlyDecidedSettingsAndVerdictsSaySo() throws {
        let (workspace, log) = try Self.binOrg()
        // Only the first request: the bin decides, nothing contradicts it.
        let first = try workspace.write("first.ndjson", String(try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")[0]) + "\n")
        let run = try workspace.run(["calibrate", first, "--apply", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let applied = try #require(try Self.json(run.stdout)["applied"] as? [String: Any])
        #expect(applied["recycle_bin_counts"] as? Bool == true)
        #expect(applied["batch_visibility"] == nil, "a setting with no evidence is not stored")

        let settings = try workspace.succeed(["settings"])
        let binLine = settings.stdout.split(separator: "\n").first { $0.contains("recycle_bin_counts") } ?? ""
        #expect(binLine.contains("calibrated from first.ndjson on"), "\(settings.stdout)")
        let visibility = settings.stdout.split(separator: "\n").first { $0.contains("batch_visibility") } ?? ""
        #expect(visibility.contains("default"), "\(settings.stdout)")

        let replay = try workspace.run(["replay", first, "--as-of", Self.asOf])
        #expect(replay.stdout.contains("Calibrated from first.ndjson on"), "\(replay.stdout)")
        #expect(replay.status == 0, "the stored settings reproduce the log: \(replay.stdout)")

        // serve says which settings its answers rest on were calibrated.
        let server = try workspace.start(["serve", "--port", "0", "--dry-run"])
        defer { server.kill() }
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, server.isRunning, !server.stdoutSoFar.contains("Stop with Ctrl-C") { usleep(20_000) }
        #expect(server.stdoutSoFar.contains("Calibrated from first.ndjson on"), "\(server.stdoutSoFar)")

        // A value set by hand is no longer calibrated.
        try workspace.succeed(["settings", "recycle_bin_counts", "true"])
        let again = try workspace.succeed(["settings", "recycle_bin_counts"])
        #expect(!again.stdout.contains("calibrated"), "\(again.stdout)")
    }

    @Test func badInputExitsTwoAndChangesNothing() throws {
        let (workspace, _) = try Self.binOrg()
        let before = try DatabaseDump(path: workspace.database).lines
        let broken = try workspace.write("broken.ndjson", "{\"method\":\"POST\",\"path\":\"/crm/v8/Contacts/upsert\",\"body\":{\"data\":[\n")
        let malformed = try workspace.run(["calibrate", broken, "--apply"])
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("broken.ndjson"), "\(malformed.stderr)")

        let unanswered = try workspace.write("plain.ndjson", "{\"method\":\"POST\",\"path\":\"/crm/v8/Contacts/upsert\",\"body\":{\"data\":[{\"Last_Name\":\"A\"}]}}\n")
        let nothing = try workspace.run(["calibrate", unanswered, "--apply"])
        #expect(nothing.status == 2)
        #expect(nothing.stderr.contains("nothing to compare"), "\(nothing.stderr)")

        let missing = try workspace.run(["calibrate", "no-such-file.ndjson"])
        #expect(missing.status == 2)
        #expect(try DatabaseDump(path: workspace.database).lines == before)
    }
}
