import Foundation
import TestSupport
import Testing

/// `load --campaign ID` on a CSV of member ids (a campaign's related list exported as CSV) loads
/// memberships, as the related-list JSON page does; and a flag a format cannot use, or a row
/// that disagrees with one, fails the file (exit 2, nothing written) instead of being ignored.
@Suite("CLI: load --campaign on a CSV")
struct LoadCampaignCSVCLITests {
    static let campaign = "5725767000000900001"
    static let ann = "5725767000000100001"
    static let kim = "5725767000000200001"

    /// A Contact, a Lead and the campaign, so that `why` can show the memberships.
    static func org() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.load("Contacts.csv", "Record Id,Last Name,Email\n\(ann),Lee,ann@example.com\n")
        try workspace.load("Leads.json", #"{"data":[{"id":"\#(kim)","Last_Name":"Kim","Email":"kim@example.com"}]}"#)
        try workspace.load("Campaigns.json", #"{"data":[{"id":"\#(campaign)","Campaign_Name":"Spring Webinar"}]}"#)
        return workspace
    }

    static func counts(_ workspace: Workspace) throws -> [String: Int] {
        let stats = try workspace.run(["stats", "--json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Int])
    }

    @Test func aRelatedListCSVLoadsMembershipsNotRecords() throws {
        let workspace = try Self.org()
        let path = try workspace.write("Spring.csv", "Record Id,First Name,Last Name,Member Status\nzcrm_\(Self.ann),Ann,Lee,Responded\n")
        let outcome = try workspace.run(["load", path, "--campaign", "zcrm_\(Self.campaign)", "--module", "Contacts", "--json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains(#""format":"related-csv""#), "\(outcome.stdout)")
        #expect(try Self.counts(workspace) == ["Contacts": 1, "Leads": 1, "Campaigns": 1, "campaign_members": 1, "recycle_bin": 0])
        let why = try workspace.run(["why", "ann@example.com", "--json"])
        #expect(why.stdout.contains(#""Responded""#), "Ann's membership status: \(why.stdout)")
        // Loading it again changes nothing.
        let again = try workspace.run(["load", path, "--campaign", Self.campaign, "--module", "Contacts"])
        #expect(again.stdout.contains("1 unchanged"), "\(again.stdout)")
    }

    @Test func theModuleComesFromAMemberModuleColumnOrMustBeGiven() throws {
        let workspace = try Self.org()
        let withColumn = try workspace.write("list.csv", "id,Member Module,Member Status\n\(Self.ann),Contacts,Invited\n\(Self.kim),Leads,Invited\n")
        #expect(try workspace.run(["load", withColumn, "--campaign", Self.campaign]).status == 0)
        #expect(try Self.counts(workspace)["campaign_members"] == 2)

        let bare = try workspace.write("bare.csv", "Record Id,Last Name\n\(Self.kim),Kim\n")
        let missing = try workspace.run(["load", bare, "--campaign", Self.campaign])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("bare.csv") && missing.stderr.contains("--module"), "\(missing.stderr)")

        let conflict = try workspace.run(["load", withColumn, "--campaign", Self.campaign, "--module", "Leads"])
        #expect(conflict.status == 2)
        #expect(conflict.stderr.contains("list.csv: line 2") && conflict.stderr.contains("--module"), "\(conflict.stderr)")
        #expect(try Self.counts(workspace) == ["Contacts": 1, "Leads": 1, "Campaigns": 1, "campaign_members": 2, "recycle_bin": 0])
    }

    @Test func aMembersCSVChecksItsRowsAgainstTheFlags() throws {
        let workspace = try Self.org()
        let other = "5725767000000900002"
        let path = try workspace.write("members.csv", """
            Campaign Id,Member Id,Member Module
            \(Self.campaign),\(Self.ann),Contacts
            \(other),\(Self.ann),Contacts

            """)
        let campaign = try workspace.run(["load", path, "--campaign", Self.campaign])
        #expect(campaign.status == 2)
        #expect(campaign.stderr.contains("members.csv: line 3") && campaign.stderr.contains("--campaign"), "\(campaign.stderr)")
        let module = try workspace.run(["load", path, "--module", "Leads"])
        #expect(module.status == 2)
        #expect(module.stderr.contains("members.csv: line 2") && module.stderr.contains("--module"), "\(module.stderr)")
        #expect(try Self.counts(workspace)["campaign_members"] == 0, "a refused file loads nothing")
        #expect(try workspace.run(["load", path, "--module", "Contacts"]).status == 0)
        #expect(try Self.counts(workspace)["campaign_members"] == 2)
    }

    /// Every format that has no use for `--campaign` refuses it, naming the file and the flag.
    @Test func campaignIsRefusedWhereTheFormatCannotUseIt() throws {
        let workspace = try Self.org()
        let files: [(name: String, text: String, extra: [String])] = [
            ("Contacts_fields.json", #"{"fields":[{"api_name":"Email","field_label":"Email","data_type":"email"}]}"#, []),
            ("Contacts_deleted.json", #"{"data":[{"id":"5725767000000100009","deleted_time":"2026-11-01T10:00:00+00:00"}]}"#, []),
            ("Leads_preference.json", #"{"duplicate_check_preference":{"type":"mapped_module_records"}}"#, []),
            ("Contacts.ndjson", #"{"id":"5725767000000100003","Last_Name":"Roe"}"# + "\n", []),
            ("Contacts_page.json", #"{"data":[{"id":"5725767000000100003","Last_Name":"Roe"}]}"#, ["--format", "json"]),
            ("Contacts_export.csv", "Record Id,Last Name\n5725767000000100003,Roe\n", ["--format", "ui-csv"]),
            ("Contacts_bulk.csv", "id,Last_Name\n5725767000000100003,Roe\n", ["--format", "bulk-csv"]),
        ]
        let before = try Self.counts(workspace)
        for file in files {
            let outcome = try workspace.run(["load", try workspace.write(file.name, file.text), "--campaign", Self.campaign] + file.extra)
            #expect(outcome.status == 2, "\(file.name): \(outcome.stdout)")
            #expect(outcome.stderr.contains("\(file.name): --campaign cannot be used"), "\(file.name): \(outcome.stderr)")
        }
        #expect(try Self.counts(workspace) == before)
    }
}
