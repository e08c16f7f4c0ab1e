import Catalogue
import Engine
import Formats
import Foundation
import Persistence
import Replay
import Testing

@Suite("Replay runs: dry run, commit, order, skipped and bad requests")
struct RunTests {
    /// The seed's case: new contacts upserted with `duplicate_check_fields: ["Email"]`; some
    /// fail, and each failure points at the record that caused it.
    @Test func seedBatchFailuresPointAtTheirHolders() throws {
        let org = try ReplayOrg()
        try org.makeUnique("Phone")
        let older = try org.contact("5725767000000100002", email: "Sam@Example.com", created: "2024-01-01T00:00:00+00:00")
        try org.contact("5725767000000100003", email: "sam@example.com")
        let phoneHolder = try org.contact("5725767000000100004", email: "kim@example.com", phone: "+1 555 0100")
        let ann = try org.contact("5725767000000100005", email: "ann@example.com")
        let path = try org.file("campaign-upsert.json", """
            {"data":[
              {"Last_Name":"One","Email":"one@example.com"},
              {"Last_Name":"Sam","Email":"SAM@example.com"},
              {"Last_Name":"Ann","Email":"ann@example.com","Phone":"+1 555 0100"},
              {"Last_Name":"Two","Email":"two@example.com","Phone":"+1 555 0100"}
            ],"duplicate_check_fields":["Email"]}
            """)
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .payload(.contacts)) }
        let items = try #require(report.requests.first?.items)
        #expect(items.map(\.code) == ["SUCCESS", "DUPLICATE_DATA", "DUPLICATE_DATA", "SUCCESS"])
        // Two contacts hold the email in different case: the oldest is named.
        #expect(items[1].duplicateID == older)
        #expect(items[1].json["details"]?["more_records"] == .bool(true))
        #expect(items[1].json["details"]?["api_name"] == .string("Email"))
        // The email finds Ann, but the unique Phone written over her belongs to another contact.
        #expect(items[2].duplicateID == phoneHolder)
        #expect(items[2].json["details"]?["api_name"] == .string("Phone"))
        #expect(items[2].result.reason.contains(phoneHolder))
        #expect(items[2].result.verdict?.candidates.contains { $0.recordID == ann } == true)
        // A new email with that Phone silently updates the Phone's holder.
        #expect(items[3].action == .update)
        #expect(items[3].recordID == phoneHolder)
        #expect(report.requests.first?.status == 207)
        #expect(report.tally.added == 1 && report.tally.updated == 1 && report.tally.failed == 2)
    }

    @Test func commitKeepsTheWritesAndLogsTheReplay() throws {
        let org = try ReplayOrg()
        try org.contact("5725767000000100001", email: "ann@example.com")
        let path = try org.file("batch.json", #"{"data":[{"Last_Name":"Lee","Email":"lee@example.com"}]}"#)
        try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .payload(.contacts)) }

        let before = try org.dump()
        let report = try org.replay([path], .payload(.contacts), commit: true)
        #expect(report.committed)
        #expect(try org.dump() != before)
        #expect(try org.count("contacts") == 2)
        let log = try org.db.statement("SELECT kind, source, sha256, module, format, read, inserted, updated, rejected FROM import_log")
            .rows { row in (0..<9).map { row.value($0).description } }
        #expect(log.count == 1)
        let row = try #require(log.first)
        #expect(Array(row[0...1]) == ["'replay'", "'\(URL(fileURLWithPath: path).standardizedFileURL.path)'"])
        #expect(row[2].count == 66)
        #expect(Array(row[3...]) == ["'Contacts'", "'payload'", "1", "1", "0", "0"])
    }

    @Test func laterRequestsSeeEarlierOnesWithinTheDryRun() throws {
        let org = try ReplayOrg()
        let path = try org.file("requests.ndjson", """
            {"method":"POST","path":"/crm/v2/Contacts/upsert","body":{"data":[{"Last_Name":"A","Email":"new@example.com"}]}}
            {"method":"POST","path":"/crm/v8/Contacts/upsert","body":{"data":[{"Last_Name":"B","Email":"NEW@example.com"}]}}
            """)
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path]) }
        let first = try #require(report.requests[0].items.first)
        let second = try #require(report.requests[1].items.first)
        #expect(first.action == .insert)
        #expect(second.action == .update)
        #expect(second.recordID == first.recordID)
        #expect(report.requests.map(\.status) == [201, 200])
    }

    @Test func badInputAnywhereWritesNothingEvenWhenCommitting() throws {
        let org = try ReplayOrg()
        let path = try org.file("requests.ndjson", """
            {"method":"POST","path":"/crm/v2/Contacts","body":{"data":[{"Last_Name":"A"}]}}
            {"method":"POST","path":"/crm/v2/Contacts/upsert","body":{"data":[{"Last_Name":"B"},"x"]}}
            """)
        let before = try org.dump()
        #expect(throws: ReplayError.invalidRequest(at: "\(path):2: request body $.data[1]", expected: "a record object")) {
            try org.replay([path], commit: true)
        }
        #expect(try org.dump() == before)

        let payload = try org.file("payload.json", #"{"data":"x"}"#)
        let error = try #require(throws: ReplayError.self) { try org.replay([payload], .payload(.contacts), commit: true) }
        #expect(error.description == "\(payload): $.data: expected an array of records")
        #expect(try org.dump() == before)
    }

    @Test func unsupportedRequestsAreReportedAsSkipped() throws {
        let org = try ReplayOrg()
        let path = try org.file("requests.ndjson", """
            {"method":"GET","path":"/crm/v2/Contacts?fields=Email"}
            {"method":"POST","path":"/crm/v2/Accounts","body":{"data":[{"Account_Name":"X"}]}}
            {"method":"POST","path":"/crm/v2/Contacts","body":{"data":[{"Last_Name":"A"}]}}
            """)
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path]) }
        #expect(report.skipped.map(\.index) == [0, 1])
        #expect(report.requests[0].skipped?.hasPrefix("GET /crm/v2/Contacts") == true)
        #expect(report.requests[0].status == nil)
        let line = JSONLines.line(report.requests[1], settings: report.settings, explain: false, differences: nil)
        #expect(try JSON.parse(line)["$replica"]?["skipped"]?.stringValue?.contains("Accounts") == true)
        let text = ReplayText.render(report, comparison: nil)
        #expect(text.contains("Request 1: GET /crm/v2/Contacts (\(path):1): skipped: GET /crm/v2/Contacts (not modelled"))
        #expect(text.contains("Total: 3 requests (2 skipped)"))
    }

    @Test func membershipAndDeleteReplayThroughALog() throws {
        let org = try ReplayOrg()
        let campaign = "5725767000002000001"
        try org.campaign(campaign, name: "Spring")
        let contact = try org.contact("5725767000000100001", email: "ann@example.com")
        let path = try org.file("requests.ndjson", """
            {"method":"PUT","path":"/crm/v8/Campaigns/\(campaign)/Contacts","body":{"data":[{"id":\(contact),"Member_Status":"Planning"}]}}
            {"method":"PUT","path":"/crm/v8/Campaigns/\(campaign)/Contacts","body":{"data":[{"id":"\(contact)","Member_Status":"Active"}]}}
            {"method":"DELETE","path":"/crm/v2/Contacts?ids=\(contact)"}
            {"method":"POST","path":"/crm/v2/Contacts/upsert","body":{"data":[{"Last_Name":"Ann","Email":"ann@example.com"}],"duplicate_check_fields":["Email"]}}
            {"method":"PUT","path":"/crm/v8/Campaigns/\(campaign)/Contacts","body":{"data":[{"id":"\(contact)"}]}}
            """)
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path]) }
        let items = report.requests.map { $0.items.first }
        #expect(items[0]?.json["message"] == .string("relation added"))
        #expect(items[1]?.json["message"] == .string("relation updated"))
        #expect(items[2]?.json["message"] == .string("record deleted"))
        #expect(items[3]?.action == .insert)
        #expect(items[4]?.code == "INVALID_DATA")
        #expect(items[4]?.result.reason.contains("recycle bin") == true)
        #expect(report.tally.added == 2 && report.tally.updated == 1 && report.tally.failed == 1)
    }

    @Test func campaignIDInAnUpsertIsNotedAsNoMembership() throws {
        let org = try ReplayOrg()
        let path = try org.file("batch.json", #"{"data":[{"Last_Name":"A","Campaign_ID":"5725767000002000001"}]}"#)
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .payload(.contacts)) }
        let text = ReplayText.render(report, comparison: nil)
        #expect(text.contains("note ($.data[0]): Campaign_ID is not a Contacts field: writing it creates no campaign membership"))
    }

    @Test func aBatchOverTheLimitIsRefusedWhole() throws {
        let org = try ReplayOrg()
        let path = try org.file("batch.json", #"{"data":[{"Last_Name":"A"},{"Last_Name":"B"},{"Last_Name":"C"}]}"#)
        let report = try assertDryRunLeavesDatabaseUnchanged(org) {
            try org.replay([path], .payload(.contacts, .insert), settings: ["batch_limit=2"])
        }
        let request = try #require(report.requests.first)
        #expect(request.items.isEmpty)
        #expect(request.body["code"] == .string("LIMIT_EXCEEDED"))
        #expect(request.status == 400)
        #expect(ResultTable(report: report).cells.map { $0.suffix(3) } == Array(repeating: ["UNPROCESSED", "", "LIMIT_EXCEEDED"], count: 3))
    }

    /// A bin row counts (with recycle_bin_counts) until it is 60 days older than the reference date.
    @Test func asOfDecidesWhetherBinRowsArePurged() throws {
        let org = try ReplayOrg()
        try org.binned("5725767000000100009", email: "gone@example.com", deleted: "2026-11-20T09:00:00+00:00")
        let path = try org.file("batch.json", #"{"data":[{"Last_Name":"A","Email":"gone@example.com"}]}"#)
        let input = try org.read([path], .payload(.contacts))
        var settings = Settings()
        settings.recycleBinCounts = true
        let codes = try assertDryRunLeavesDatabaseUnchanged(org) {
            try ["2026-11-28", "2027-02-01"].map { day in
                let replayer = Replayer(db: org.db, settings: settings, asOf: try #require(Timestamps.parse(day)), now: { ReplayOrg.now })
                return try replayer.run(input).requests.first?.items.first?.code
            }
        }
        #expect(codes == ["DUPLICATE_DATA", "SUCCESS"])
    }

    @Test func settingOverridesListValidValues() throws {
        let org = try ReplayOrg()
        let error = try #require(throws: ReplayError.self) { try org.replayer("match=bogus") }
        #expect(error.description == "--set: 'bogus' is not a value of match; use one of: nocase, unicode")
        #expect(try org.replayer("recycle_bin_counts=true").session.settings.recycleBinCounts)
    }
}

@Suite("Replay --explain")
struct ExplainTests {
    @Test func explanationCarriesEvidenceAndDependsOn() throws {
        let org = try ReplayOrg()
        try org.binned("5725767000000100009", email: "gone@example.com")
        let path = try org.file("batch.json", #"{"data":[{"Last_Name":"A","Email":"gone@example.com"}],"duplicate_check_fields":["Email"]}"#)
        let report = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .payload(.contacts), explain: true) }
        let item = try #require(report.requests.first?.items.first)
        #expect(item.action == .insert)
        let alternative = try #require(item.dependsOn.first)
        #expect(alternative.setting == .recycleBinCounts && alternative.value == "true")
        #expect(alternative.verdict.outcome.code == .duplicateData)

        let line = try JSON.parse(JSONLines.line(try #require(report.requests.first), settings: report.settings, explain: true, differences: nil))
        let replica = try #require(line["data"]?[0]?["$replica"]?.objectValue)
        #expect(Array(replica.keys) == ["settings", "check_pattern", "candidates", "reason", "notes", "depends_on"])
        #expect(replica["settings"]?["recycle_bin_counts"] == .bool(false))
        #expect(replica["check_pattern"] == .array([.string("Email")]))
        let candidate = try #require(replica["candidates"]?[0]?.objectValue)
        // The form of `why --json`'s matches: a recycle-bin holder's deleted_time before role, then deleted_by.
        #expect(Array(candidate.keys) == ["module", "location", "record_id", "field", "stored_value", "match", "counts", "why_not_counted",
                                          "deleted_time", "role", "deleted_by"])
        #expect(candidate["location"] == .string("recycle_bin"))
        #expect(replica["depends_on"]?[0]?["other_value"] == .bool(true))
        #expect(replica["depends_on"]?[0]?["verdict_then"]?["record_id"] == .string("5725767000000100009"))
    }

    /// depends_on is computed before each write: a record inserted by the batch must not be
    /// reported as matching itself, and the envelope is the same as without --explain.
    @Test func explainingChangesNoAnswer() throws {
        let org = try ReplayOrg()
        let path = try org.file("batch.json", #"{"data":[{"Last_Name":"A","Email":"a@example.com"},{"Last_Name":"B","Email":"A@example.com"}]}"#)
        let plain = try org.replay([path], .payload(.contacts))
        let explained = try assertDryRunLeavesDatabaseUnchanged(org) { try org.replay([path], .payload(.contacts), explain: true) }
        #expect(plain.requests.first?.body == explained.requests.first?.body)
        let items = try #require(explained.requests.first?.items)
        #expect(items[0].dependsOn.isEmpty)
        #expect(items[1].dependsOn.map(\.setting) == [.batchVisibility])
    }
}
