import Foundation
import TestSupport
import Testing

/// `why --batch` on every input `replay` reads (request log, HAR, Bulk Write CSV), through the
/// built binary: the row it evaluates is the one `replay --json` answers at the same place, with
/// the same verdict.
@Suite("CLI: why --batch on every replay input")
struct WhyBatchInputsCLITests {
    static let asOf = "2026-11-20T18:00:00+00:00"

    /// A replica of the sample org, with the sample inputs' paths.
    static func org() throws -> Workspace {
        let replica = try Workspace()
        let folder = CLI.packageRoot.appendingPathComponent("Samples/zoho-org")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map { folder.appendingPathComponent($0).path }
        try #require(try replica.run(["load", "--quiet"] + files).status == 0)
        return replica
    }

    static func sample(_ name: String) -> String { CLI.packageRoot.appendingPathComponent("Samples/examples/\(name)").path }

    /// Every item of `replay --json`, in order across the requests (nil for a request without items).
    static func replayedItems(_ replica: Workspace, _ arguments: [String]) throws -> [[String: Any]] {
        let run = try replica.run(["replay"] + arguments + ["--as-of", asOf, "--json"])
        #expect(run.status == 0 || run.status == 1, "\(run)")
        return try run.lines.flatMap { line -> [[String: Any]] in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return object["data"] as? [[String: Any]] ?? []
        }
    }

    static func why(_ replica: Workspace, _ arguments: [String]) throws -> [String: Any] {
        let run = try replica.run(["why"] + arguments + ["--as-of", asOf, "--json"])
        #expect(run.status == 0, "\(run)")
        return try #require(run.json, "\(run)")
    }

    static func code(_ why: [String: Any]) -> String? { (why["verdict"] as? [String: Any])?["code"] as? String }
    static func field(_ why: [String: Any]) -> String? { (why["verdict"] as? [String: Any])?["api_name"] as? String }

    @Test func aRowOfARequestLogIsTheRowReplayAnswers() throws {
        let replica = try Self.org()
        let log = Self.sample("upsert-log.ndjson")
        let items = try Self.replayedItems(replica, [log])
        let why = try Self.why(replica, ["wei.meyer@example.net", "--batch", log, "--row", "1"])
        #expect(Self.code(why) == items[1]["code"] as? String && Self.code(why) == "DUPLICATE_DATA", "\(why)")
        let batch = why["batch"] as? [String: Any]
        #expect(batch?["row"] as? Int == 1 && batch?["request"] as? Int == 0 && batch?["at"] as? String == "\(log):1", "\(why)")
    }

    /// Rows count across the capture's requests, the refused one included; that request is not
    /// applied first, and `--request 1 --row 2` is the same row.
    @Test func rowsOfAHARCountAcrossItsRequests() throws {
        let replica = try Self.org()
        let har = Self.sample("capture.har")
        let items = try Self.replayedItems(replica, [har])
        #expect(items.count == 3, "the refused request has no items")
        let across = try Self.why(replica, ["+1 415 555 0100", "--field", "Phone", "--batch", har, "--row", "5"])
        #expect(Self.code(across) == items[2]["code"] as? String && Self.field(across) == "Phone", "\(across)")
        let within = try Self.why(replica, ["+1 415 555 0100", "--field", "Phone", "--batch", har, "--request", "1", "--row", "2"])
        #expect(within["batch"] as? NSDictionary == across["batch"] as? NSDictionary, "\(within)")
        #expect((across["batch"] as? [String: Any])?["at"] as? String == "\(har): $.log.entries[1]")
    }

    @Test func aRowOfABulkWriteCSVIsJudgedByItsFindBy() throws {
        let replica = try Self.org()
        let csv = Self.sample("bulk-write.csv")
        let flags = ["--module", "Contacts", "--operation", "upsert", "--find-by", "Phone"]
        let items = try Self.replayedItems(replica, [csv] + flags)
        for (row, phone) in [(1, "+1 415 555 0100"), (2, "+1 312 555 0165")] {
            let why = try Self.why(replica, [phone, "--field", "Phone", "--batch", csv, "--row", "\(row)"] + flags)
            #expect(Self.code(why) == items[row]["code"] as? String, "row \(row): \(why)")
            #expect((why["verdict"] as? [String: Any])?["action"] as? String == items[row]["action"] as? String, "row \(row): \(why)")
        }
    }

    /// Request 0 inserts Ann; request 1 (refused by Zoho with a 401) would insert Bea; request 2
    /// asks about both: Ann is found (an update), Bea is not (refused requests are not applied).
    @Test func earlierRequestsRunFirstExceptRefusedOnes() throws {
        let replica = try Self.org()
        let log = try replica.write("log.ndjson", """
            {"method":"POST","path":"/crm/v8/Contacts","body":{"data":[{"Last_Name":"Ann","Email":"ann.q@example.com"}]}}
            {"method":"POST","path":"/crm/v8/Contacts","body":{"data":[{"Last_Name":"Bea","Email":"bea.q@example.com"}]},"status":401,"response":{"code":"INVALID_TOKEN","message":"invalid oauth token","status":"error","details":{}}}
            {"method":"POST","path":"/crm/v8/Contacts/upsert","body":{"data":[{"Last_Name":"Ann","Email":"ann.q@example.com"},{"Last_Name":"Bea","Email":"bea.q@example.com"}]}}

            """)
        let ann = try Self.why(replica, ["ann.q@example.com", "--batch", log, "--row", "2"])
        #expect((ann["verdict"] as? [String: Any])?["action"] as? String == "update", "\(ann)")
        let bea = try Self.why(replica, ["bea.q@example.com", "--batch", log, "--request", "2", "--row", "1"])
        #expect((bea["verdict"] as? [String: Any])?["action"] as? String == "insert", "\(bea)")
        let insert = try replica.run(["why", "ann.q@example.com", "--batch", log, "--row", "2", "--operation", "insert"])
        #expect(insert.status == 2 && insert.stderr.contains("log.ndjson:3: the request is a Contacts upsert, not --operation insert"), "\(insert)")
    }

    @Test func rowsAndRequestsBeyondTheFileAreRefusedWithItsCounts() throws {
        let replica = try Self.org()
        let log = Self.sample("upsert-log.ndjson")
        let cases: [([String], String)] = [
            (["--row", "6"], "--row 6 is outside the batch \(log), which has 6 records in 1 request"),
            (["--request", "1", "--row", "0"], "--request 1 is outside \(log), which has 1 request"),
            (["--request", "0", "--row", "7"], "--row 7 is outside request 0 of the batch \(log), which has 6 records"),
            (["--request", "0"], "\(log): --request 0 needs --row N: that request has 6 records (rows 0 to 5)"),
        ]
        for (arguments, message) in cases {
            let run = try replica.run(["why", "wei.meyer@example.net", "--batch", log] + arguments)
            #expect(run.status == 2 && run.stderr.contains(message), "\(arguments): \(run)")
            #expect(run.stdout.isEmpty, "\(arguments)")
        }
    }
}
