import Catalogue
import Engine
import Formats
import Foundation
import Replay
import Storage
import Testing

/// Each request of a log or HAR is evaluated as of the time it was sent, unless one `asOf`
/// (`--as-of`) overrides them all.
@Suite("Replay: the time of each request")
struct RequestTimeTests {
    /// A Contact deleted on 2026-09-01; one request 10 days later (the bin still holds it) and
    /// one 70 days later (purged), both upserting its Email.
    static func org() throws -> (ReplayOrg, String) {
        let org = try ReplayOrg()
        try org.binned("5725767000000100009", email: "gone@example.com", deleted: "2026-09-01T00:00:00+00:00")
        let log = try org.file("log.ndjson", """
            {"method":"POST","path":"/crm/v8/Contacts/upsert","body":{"data":[{"Last_Name":"Ten","Email":"gone@example.com"}]},"time":"2026-09-11T08:00:00Z"}
            {"method":"POST","path":"/crm/v8/Contacts/upsert","body":{"data":[{"Last_Name":"Seventy","Email":"gone@example.com"}]},"time":"2026-11-10T08:30:00.250+01:00"}
            {"method":"POST","path":"/crm/v8/Contacts/upsert","body":{"data":[{"Last_Name":"Untimed","Email":"new@example.com"}]}}

            """)
        return (org, log)
    }

    static func codes(_ report: ReplayReport) -> [String] {
        report.requests.map { $0.items.first?.result.code.rawValue ?? "-" }
    }

    @Test func eachRequestIsEvaluatedAsOfItsOwnTime() throws {
        let (org, log) = try Self.org()
        let replayer = try org.replayer("recycle_bin_counts=true")
        replayer.followsRequestTimes = true
        let report = try replayer.run(try org.read([log]))
        #expect(Self.codes(report) == ["DUPLICATE_DATA", "SUCCESS", "SUCCESS"])
        // Created_Time of the record the second request inserts is that request's time.
        let created = report.requests[1].body["data"]?[0]?["details"]?["Created_Time"]?.stringValue
        #expect(created == "2026-11-10T07:30:00+00:00")
        let untimed = report.requests[2].body["data"]?[0]?["details"]?["Created_Time"]?.stringValue
        #expect(untimed == Timestamps.format(ReplayOrg.now), "a request without a time uses the replay's clock")
        let clock = try #require(report.clock)
        #expect(clock.text == "clock: each request's own time (the log's time), 2 requests; 1 without a time used now")
    }

    @Test func asOfOverridesEveryRequestsTime() throws {
        let (org, log) = try Self.org()
        let asOf = try #require(Timestamps.parse("2026-09-15"))
        let replayer = Replayer(db: org.db, settings: try Settings(assignments: ["recycle_bin_counts=true"]), asOf: asOf, now: { asOf })
        let report = try replayer.run(try org.read([log]))
        #expect(Self.codes(report) == ["DUPLICATE_DATA", "DUPLICATE_DATA", "SUCCESS"])
        #expect(report.clock?.text == "clock: --as-of 2026-09-15T00:00:00+00:00 for every request (the input's own times, the log's time, are not used)")
    }

    @Test func anInputWithoutTimesSaysNothingOfClocks() throws {
        let org = try ReplayOrg()
        let log = try org.file("log.ndjson", #"{"method":"POST","path":"/crm/v8/Contacts","body":{"data":[{"Last_Name":"A"}]}}"# + "\n")
        let replayer = try org.replayer()
        replayer.followsRequestTimes = true
        #expect(try replayer.run(try org.read([log])).clock == nil)
    }

    @Test func anUnparseableTimeNamesTheFileAndEntry() throws {
        let org = try ReplayOrg()
        let log = try org.file("bad.ndjson", #"{"method":"POST","path":"/crm/v8/Contacts","body":{"data":[]},"time":"20/11/2026"}"# + "\n")
        #expect { try org.read([log]) } throws: { "\($0)".contains("bad.ndjson:1: $.time: expected a time") }
        let har = try org.file("bad.har", """
            {"log":{"entries":[{"startedDateTime":"yesterday","request":{"method":"POST","url":"https://x/crm/v8/Contacts"},"response":{"status":0}}]}}
            """)
        #expect { try org.read([har]) } throws: { "\($0)".contains("bad.har: $.log.entries[0].startedDateTime: expected a time") }
    }
}
