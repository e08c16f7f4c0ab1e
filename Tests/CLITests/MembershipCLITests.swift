import Foundation
import TestSupport
import Testing

/// Campaign membership and the recycle bin through the built binary (issue: related records,
/// delete, restore, purge), on an org loaded with `crm-replica load`.
@Suite("CLI: membership and the recycle bin")
struct MembershipCLITests {
    static let campaign = "5725767000000900001"
    static let ann = "5725767000000100001"
    static let bob = "5725767000000100002"
    static let binned = "5725767000000100009"
    static let lead = "5725767000000200001"

    /// Two contacts, a Lead, a campaign with Ann as a member, and Gus in the recycle bin
    /// (deleted 2026-11-01) whose unique Phone Bob now holds.
    static func org() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.load("Contacts.csv", """
            Record Id,Last Name,Email,Phone,Created Time
            \(ann),Lee,ann@example.com,111,2025-01-01T00:00:00+00:00
            \(bob),Roe,bob@example.com,999,2025-01-01T00:00:00+00:00
            \(binned),Gus,gus@example.com,999,2024-01-01T00:00:00+00:00

            """)
        try workspace.load("Contacts_fields.json", """
            {"fields":[{"api_name":"Last_Name","field_label":"Last Name","data_type":"text","system_mandatory":true,"unique":{}},
             {"api_name":"Phone","field_label":"Phone","data_type":"phone","unique":{"case_sensitive":false}}]}
            """)
        try workspace.load("Contacts_deleted.json", """
            {"data":[{"id":"\(binned)","display_name":"Gus","type":"recycle","deleted_by":{"name":"Admin","id":"1"},"deleted_time":"2026-11-01T10:00:00+00:00"}]}
            """)
        try workspace.load("Leads.json", #"{"data":[{"id":"\#(lead)","Last_Name":"Kim","Email":"kim@example.com"}]}"#)
        try workspace.load("Campaigns.json", #"{"data":[{"id":"\#(campaign)","Campaign_Name":"Spring Webinar"}]}"#)
        try workspace.load("Campaign_Members.csv", "Campaign Id,Member Id,Member Module,Member Status\n\(campaign),\(ann),Contacts,Invited\n")
        return workspace
    }

    /// Replays `lines` (a request log) and returns one JSON object per request.
    static func replay(_ workspace: Workspace, _ lines: [String], _ extra: [String] = []) throws -> [[String: Any]] {
        let path = try workspace.write("requests-\(UUID().uuidString).ndjson", lines.joined(separator: "\n") + "\n")
        let outcome = try workspace.run(["replay", path, "--json", "--as-of", "2026-11-20T00:00:00+00:00"] + extra)
        try #require(outcome.status == 0, "\(outcome.stderr)")
        return try outcome.lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    static func items(_ response: [String: Any]) -> [[String: Any]] { response["data"] as? [[String: Any]] ?? [] }
    static func message(_ item: [String: Any]) -> String? { item["message"] as? String }

    static func put(_ path: String, _ items: String) -> String {
        #"{"method":"PUT","path":"\#(path)","body":{"data":[\#(items)]}}"#
    }

    @Test func addReAddAndBothRerelateValuesWithStringAndNumericIds() throws {
        let workspace = try Self.org()
        let path = "/crm/v8/Campaigns/\(Self.campaign)/Contacts"
        let lines = [
            Self.put(path, #"{"id":"\#(Self.bob)","Member_Status":"Invited"}"#),
            Self.put(path, #"{"id":\#(Self.ann),"Member_Status":"Responded"}"#),
        ]
        let update = try Self.replay(workspace, lines)
        #expect(Self.items(update[0]).map(Self.message) == ["relation added"])
        #expect(Self.items(update[1]).map(Self.message) == ["relation updated"])
        let skip = try Self.replay(workspace, lines, ["--set", "rerelate=skip", "--commit"])
        #expect(skip.map { Self.items($0).first?["code"] as? String } == ["SUCCESS", "SUCCESS"])
        let shown = try workspace.run(["why", "ann@example.com", "--json"])
        #expect(shown.stdout.contains("\"Invited\""), "rerelate=skip must keep Ann's status: \(shown.stdout)")
    }

    @Test func mirrorPathUnlinkUnknownCampaignAndMemberInTheBin() throws {
        let workspace = try Self.org()
        let responses = try Self.replay(workspace, [
            Self.put("/crm/v2/Contacts/\(Self.bob)/Campaigns", #"{"id":"\#(Self.campaign)","Member_Status":"Planning"}"#),
            #"{"method":"DELETE","path":"/crm/v8/Campaigns/\#(Self.campaign)/Contacts?ids=\#(Self.ann)"}"#,
            Self.put("/crm/v8/Campaigns/5725767000000999999/Contacts", #"{"id":"\#(Self.ann)"}"#),
            Self.put("/crm/v8/Campaigns/\(Self.campaign)/Contacts", #"{"id":"\#(Self.binned)"}"#),
            Self.put("/crm/v8/Leads/\(Self.lead)/Campaigns", #"{"id":"\#(Self.campaign)"}"#),
        ], ["--commit"])
        #expect(Self.items(responses[0]).map(Self.message) == ["relation added"])
        #expect(Self.items(responses[1]).map(Self.message) == ["relation removed"])
        for failed in [responses[2], responses[3]] {
            let item = try #require(Self.items(failed).first)
            #expect(item["code"] as? String == "INVALID_DATA")
            #expect((item["details"] as? [String: Any])?["api_name"] as? String == "id")
        }
        #expect(Self.items(responses[4]).map(Self.message) == ["relation added"])
        let stats = try workspace.run(["stats", "--json"])
        #expect(stats.stdout.contains("\"campaign_members\":2"), "\(stats.stdout)")
    }

    @Test func deleteThenUpsertTheSameEmailInsertsWhileTheBinDoesNotCount() throws {
        let workspace = try Self.org()
        let responses = try Self.replay(workspace, [
            #"{"method":"DELETE","path":"/crm/v2/Contacts?ids=\#(Self.ann)"}"#,
            #"{"method":"POST","path":"/crm/v2/Contacts/upsert","body":{"data":[{"Last_Name":"Lee","Email":"ANN@example.com"}]}}"#,
        ])
        #expect(Self.items(responses[0]).map(Self.message) == ["record deleted"])
        #expect(Self.items(responses[1]).first?["action"] as? String == "insert")
        let counted = try Self.replay(workspace, [
            #"{"method":"DELETE","path":"/crm/v2/Contacts?ids=\#(Self.ann)"}"#,
            #"{"method":"POST","path":"/crm/v2/Contacts/upsert","body":{"data":[{"Last_Name":"Lee","Email":"ANN@example.com"}]}}"#,
        ], ["--set", "recycle_bin_counts=true"])
        #expect(Self.items(counted[1]).first?["code"] as? String == "DUPLICATE_DATA")
    }

    @Test func restoreFailsOnAClashAndSucceedsOnceTheClashIsGone() throws {
        let workspace = try Self.org()
        let restore = #"{"method":"POST","path":"/crm/v8/settings/recycle_bin/\#(Self.binned)/actions/restore"}"#
        let clash = try Self.replay(workspace, [restore])
        let item = try #require(Self.items(clash[0]).first)
        #expect(item["code"] as? String == "DUPLICATE_DATA")
        #expect(((item["details"] as? [String: Any])?["duplicate_record"] as? [String: Any])?["id"] as? String == Self.bob)
        let freed = try Self.replay(workspace, [#"{"method":"DELETE","path":"/crm/v2/Contacts?ids=\#(Self.bob)"}"#, restore], ["--commit"])
        #expect(Self.items(freed[1]).map(Self.message) == ["record restored"])
        let shown = try workspace.run(["show", Self.binned, "--json"])
        #expect(shown.stdout.contains("\"location\":\"live\""), "\(shown.stdout)")
    }

    @Test func purgeFollowsTheReferenceDate() throws {
        let workspace = try Self.org()
        let restore = #"{"method":"POST","path":"/crm/v8/settings/recycle_bin/actions/restore?ids=\#(Self.binned)"}"#
        let path = try workspace.write("restore.ndjson", restore + "\n")
        let late = try workspace.run(["replay", path, "--json", "--as-of", "2027-02-01T00:00:00+00:00"])
        #expect(late.stdout.contains("INVALID_DATA"))
        let why = try workspace.run(["why", "gus@example.com", "--as-of", "2027-02-01T00:00:00+00:00", "--set", "recycle_bin_counts=true"])
        #expect(why.stdout.contains("purged"), "\(why.stdout)")
        #expect(why.stdout.contains("SUCCESS"))
    }

    @Test func campaignIDInAnUpsertIsExplainedAndCreatesNoMembership() throws {
        let workspace = try Self.org()
        let before = try workspace.run(["stats", "--json"]).stdout
        let batch = try workspace.write("batch.json", #"{"data":[{"Last_Name":"New","Email":"new@example.com","Campaign_ID":"\#(Self.campaign)"}]}"#)
        let explained = try workspace.run(["replay", batch, "--module", "Contacts", "--commit"])
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.stdout.contains("creates no campaign membership"))
        #expect(explained.stdout.contains("PUT /Campaigns/{campaign_id}/Contacts"))
        let after = try workspace.run(["stats", "--json"]).stdout
        #expect(before.contains("\"campaign_members\":1") && after.contains("\"campaign_members\":1"))
        #expect(after.contains("\"Contacts\":3"))
    }

    @Test func dryRunsOfEveryCallLeaveTheDatabaseUnchanged() throws {
        let workspace = try Self.org()
        let dump = { try CLI.execute(URL(fileURLWithPath: "/usr/bin/sqlite3"), [workspace.database, ".dump"], in: workspace.directory).stdout }
        let before = try dump()
        _ = try Self.replay(workspace, [
            Self.put("/crm/v8/Campaigns/\(Self.campaign)/Contacts", #"{"id":"\#(Self.bob)"}"#),
            #"{"method":"DELETE","path":"/crm/v2/Contacts?ids=\#(Self.ann)"}"#,
            #"{"method":"POST","path":"/crm/v8/settings/recycle_bin/\#(Self.ann)/actions/restore"}"#,
            #"{"method":"DELETE","path":"/crm/v8/Campaigns/\#(Self.campaign)/Contacts?ids=\#(Self.ann)"}"#,
        ])
        #expect(try dump() == before)
    }
}
