import Foundation
import Testing
import TestSupport

/// `replay --explain` and `why --json` write a verdict's evidence in one form: the same value
/// asked both ways gives the same candidates and `depends_on`, with every key of the `why` form.
@Suite("CLI: one JSON form of a verdict")
struct VerdictJSONCLITests {
    static let asOf = "2026-11-28T00:00:00+00:00"

    @Test func replayExplainWritesTheCandidatesAndDependsOnOfWhy() throws {
        let replica = try WhyCLITests.org()
        let batch = try replica.write("gone.json", #"{"data":[{"Last_Name":"Gone","Email":"gone@example.com"}]}"#)
        let replay = try replica.run(["replay", batch, "--module", "Contacts", "--json", "--explain", "--as-of", Self.asOf])
        #expect(replay.status == 0, "\(replay.stderr)")
        let item = try #require((replay.json?["data"] as? [[String: Any]])?.first)
        let evidence = try #require(item["$replica"] as? [String: Any])
        let candidates = try #require(evidence["candidates"] as? [[String: Any]])
        let binned = try #require(candidates.first { $0["location"] as? String == "recycle_bin" })
        #expect(binned["deleted_by"] as? String == "Admin")
        #expect(binned["deleted_time"] as? String == "2026-11-20T09:00:00+00:00")
        let dependency = try #require((evidence["depends_on"] as? [[String: Any]])?.first)
        let then = try #require(dependency["verdict_then"] as? [String: Any])
        #expect(then["code"] as? String == "DUPLICATE_DATA")
        #expect(then["record_module"] as? String == "Contacts")
        #expect(then["api_name"] as? String == "Email")
        #expect(then["more_records"] as? Bool == false)

        let why = try replica.run(["why", "gone@example.com", "--json", "--as-of", Self.asOf])
        #expect(why.status == 0, "\(why.stderr)")
        let json = try #require(why.json)
        // `why` adds the campaigns of each person after the shared keys; nothing else differs.
        let matches = try #require(json["matches"] as? [[String: Any]]).map { $0.filter { $0.key != "campaigns" } }
        #expect(NSArray(array: matches).isEqual(to: candidates))
        #expect(NSArray(array: try #require(json["depends_on"] as? [[String: Any]])).isEqual(to: evidence["depends_on"] as? [Any] ?? []))
        // The same keys in the same order, as the bytes show them.
        let order = ["\"counts\":", "\"why_not_counted\":", "\"deleted_time\":", "\"role\":", "\"deleted_by\":"]
        for output in [replay.stdout, why.stdout] {
            let positions = order.compactMap { output.range(of: $0)?.lowerBound }
            #expect(positions.count == order.count && positions == positions.sorted(), "\(output)")
        }
    }

    /// Items that write no record of the request's own (related records, delete, restore) are
    /// Zoho's shapes byte for byte, with each call's message and both forms of an invalid id.
    @Test func membershipDeleteAndRestoreItemsKeepZohosBytes() throws {
        let workspace = try MembershipCLITests.org()
        let (campaign, ann, bob) = (MembershipCLITests.campaign, MembershipCLITests.ann, MembershipCLITests.bob)
        let path = try workspace.write("calls.ndjson", """
            {"method":"PUT","path":"/crm/v8/Campaigns/\(campaign)/Contacts","body":{"data":[{"id":"\(bob)","Member_Status":"Invited"},{"id":"\(ann)","Member_Status":"Sent"},{"id":"x"}]}}
            {"method":"DELETE","path":"/crm/v8/Campaigns/\(campaign)/Contacts?ids=\(bob)"}
            {"method":"DELETE","path":"/crm/v2/Contacts?ids=\(ann),123"}
            {"method":"POST","path":"/crm/v8/settings/recycle_bin/actions/restore?ids=\(ann),\(bob)"}

            """)
        let outcome = try workspace.run(["replay", path, "--json", "--as-of", "2026-11-20T00:00:00+00:00"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        func success(_ id: String, _ message: String) -> String {
            #"{"code":"SUCCESS","details":{"id":"\#(id)"},"message":"\#(message)","status":"success"}"#
        }
        let invalid = #"{"code":"INVALID_DATA","details":{"api_name":"id","#
        #expect(outcome.lines == [
            #"{"data":["# + success(bob, "relation added") + "," + success(ann, "relation updated") + ","
                + invalid + #""json_path":"$.data[2].id"},"message":"invalid data","status":"error"}]}"#,
            #"{"data":["# + success(bob, "relation removed") + "]}",
            #"{"data":["# + success(ann, "record deleted") + "," + invalid + #""id":"123"},"message":"invalid data","status":"error"}]}"#,
            #"{"data":["# + success(ann, "record restored") + "," + invalid + #""id":"\#(bob)"},"message":"invalid data","status":"error"}]}"#,
        ])
    }

    /// The verdict lists each holder once, so `replay --explain` shows what `why` shows: a
    /// record whose Email and Secondary_Email carry one value met holders twice, once per field
    /// looked up, and only `why` de-duplicated them.
    @Test func replayExplainListsEachHolderOnceAsWhyDoes() throws {
        let workspace = try Workspace()
        try workspace.load("Contacts.csv", """
            Record Id,Last Name,Email,Secondary Email,Created Time
            5725767000000100001,Lee,x@example.com,,2025-01-01T00:00:00+00:00
            5725767000000100002,Roe,,x@example.com,2025-01-01T00:00:00+00:00

            """)
        try workspace.load("Contacts_fields.json", """
            {"fields":[{"api_name":"Last_Name","field_label":"Last Name","data_type":"text","system_mandatory":true,"unique":{}},
             {"api_name":"Email","field_label":"Email","data_type":"email"},
             {"api_name":"Secondary_Email","field_label":"Secondary Email","data_type":"email"}]}
            """)
        let path = try workspace.write("insert.ndjson", #"""
            {"method":"POST","path":"/crm/v2/Contacts","body":{"data":[{"Last_Name":"New","Email":"x@example.com","Secondary_Email":"x@example.com"}]}}

            """#)
        let replay = try workspace.run(["replay", path, "--json", "--explain"])
        #expect(replay.status == 0, "\(replay.stderr)")
        let item = try #require((replay.json?["data"] as? [[String: Any]])?.first)
        let candidates = try #require((item["$replica"] as? [String: Any])?["candidates"] as? [[String: Any]])
        let holders = candidates.map { "\($0["record_id"] ?? "") \($0["field"] ?? "")" }
        #expect(holders == ["5725767000000100001 Email", "5725767000000100002 Secondary_Email"])

        let why = try workspace.run(["why", "x@example.com", "--operation", "insert", "--json"])
        let matches = try #require(why.json?["matches"] as? [[String: Any]])
        #expect(matches.map { "\($0["record_id"] ?? "") \($0["field"] ?? "")" } == holders)
        #expect(why.json?["field_checked"] as? Bool == false)
    }
}
