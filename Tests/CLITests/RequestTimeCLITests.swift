import Foundation
import TestSupport
import Testing

/// `replay` of a request log or HAR whose entries carry a time, through the built binary: each
/// request is evaluated as of its own time unless `--as-of` is given.
@Suite("CLI: the time of each request")
struct RequestTimeCLITests {
    /// A Contact deleted on 2026-09-01, still in the recycle bin.
    static func org() throws -> Workspace {
        let replica = try Workspace()
        try replica.load("Contacts.csv", """
            id,Last_Name,Email,Created_Time
            5725767000000100009,Gone,gone@example.com,2024-01-01T00:00:00+00:00

            """)
        try replica.load("Contacts_deleted.json", #"{"data":[{"id":"5725767000000100009","type":"recycle","deleted_time":"2026-09-01T00:00:00+00:00"}]}"#)
        return replica
    }

    /// One request 10 days after the deletion, one 70 days after (purged): a HAR capture.
    static func capture(_ replica: Workspace) throws -> String {
        func entry(_ time: String, _ name: String) -> String {
            let body = #"{\"data\":[{\"Last_Name\":\"\#(name)\",\"Email\":\"gone@example.com\"}]}"#
            return #"{"startedDateTime":"\#(time)","time":12,"request":{"method":"POST","url":"https://www.zohoapis.com/crm/v8/Contacts/upsert","postData":{"text":"\#(body)"}},"response":{"status":0}}"#
        }
        return try replica.write("capture.har", #"{"log":{"version":"1.2","entries":["#
            + entry("2026-09-11T08:00:00.120Z", "Ten") + "," + entry("2026-11-10T08:00:00+00:00", "Seventy") + "]}}")
    }

    static func lines(_ run: CommandResult) throws -> [[String: Any]] {
        try run.lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)") }
    }

    static func item(_ line: [String: Any]) -> [String: Any] { (line["data"] as? [[String: Any]])?.first ?? [:] }

    @Test func eachRequestOfAHARIsEvaluatedAsOfItsStartedDateTime() throws {
        let replica = try Self.org()
        let har = try Self.capture(replica)
        let run = try replica.run(["replay", har, "--set", "recycle_bin_counts=true", "--json"])
        #expect(run.status == 0, "\(run)")
        let lines = try Self.lines(run)
        #expect(lines.map { Self.item($0)["code"] as? String } == ["DUPLICATE_DATA", "SUCCESS"], "\(run.stdout)")
        let details = Self.item(lines[1])["details"] as? [String: Any]
        #expect(details?["Created_Time"] as? String == "2026-11-10T08:00:00+00:00", "\(run.stdout)")
        let clock = (lines[0]["$replica"] as? [String: Any])?["clock"] as? [String: Any]
        #expect(clock?["source"] as? String == "HAR startedDateTime" && clock?["as_of"] as? String == "2026-09-11T08:00:00+00:00",
                "\(run.stdout)")
        let text = try replica.run(["replay", har, "--set", "recycle_bin_counts=true"])
        #expect(text.stdout.contains("Clock: each request's own time (HAR startedDateTime), 2 requests."), "\(text.stdout)")
    }

    @Test func asOfForcesOneDateOnEveryRequest() throws {
        let replica = try Self.org()
        let har = try Self.capture(replica)
        let run = try replica.run(["replay", har, "--set", "recycle_bin_counts=true", "--json", "--as-of", "2026-09-20"])
        #expect(run.status == 0, "\(run)")
        let lines = try Self.lines(run)
        #expect(lines.map { Self.item($0)["code"] as? String } == ["DUPLICATE_DATA", "DUPLICATE_DATA"], "\(run.stdout)")
        let clock = (lines[1]["$replica"] as? [String: Any])?["clock"] as? [String: Any]
        #expect(clock?["source"] as? String == "--as-of" && clock?["as_of"] as? String == "2026-09-20T00:00:00+00:00", "\(run.stdout)")
        let text = try replica.run(["replay", har, "--set", "recycle_bin_counts=true", "--as-of", "2026-09-20"])
        #expect(text.stdout.contains("Clock: --as-of 2026-09-20T00:00:00+00:00 for every request"), "\(text.stdout)")
    }

    /// `why --batch` runs the capture's requests on replay's clock: the row of the request sent 10
    /// days after the deletion is blocked by the bin, the row of the one sent 70 days after is not.
    @Test func whyJudgesABatchRowAsOfItsRequestsTime() throws {
        let replica = try Self.org()
        let har = try Self.capture(replica)
        func code(_ row: String, _ extra: [String] = []) throws -> String? {
            let run = try replica.run(["why", "gone@example.com", "--batch", har, "--row", row, "--set", "recycle_bin_counts=true", "--json"] + extra)
            #expect(run.status == 0, "\(run)")
            return (run.json?["verdict"] as? [String: Any])?["code"] as? String
        }
        #expect(try code("0") == "DUPLICATE_DATA")
        #expect(try code("1") == "SUCCESS")
        #expect(try code("1", ["--as-of", "2026-09-20"]) == "DUPLICATE_DATA")
    }

    @Test func aLogWithAnUnparseableTimeIsRefused() throws {
        let replica = try Self.org()
        let log = try replica.write("log.ndjson", """
            {"method":"POST","path":"/crm/v8/Contacts","body":{"data":[{"Last_Name":"A"}]},"time":"2026-11-10T08:00:00Z"}
            {"method":"POST","path":"/crm/v8/Contacts","body":{"data":[{"Last_Name":"B"}]},"time":"last Tuesday"}

            """)
        let before = try replica.run(["stats", "--json"]).stdout
        let run = try replica.run(["replay", log, "--commit"])
        #expect(run.status == 2, "\(run)")
        #expect(run.stderr.contains("log.ndjson:2: $.time: expected a time"), "\(run.stderr)")
        #expect(try replica.run(["stats", "--json"]).stdout == before, "nothing is written")
    }
}
