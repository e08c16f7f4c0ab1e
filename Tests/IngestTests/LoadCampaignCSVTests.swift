import Catalogue
import Foundation
import Ingest
import Persistence
import Testing

/// A campaign's related list exported as CSV, loaded through the library with `--campaign`.
@Suite("Loader: related-list CSV")
struct LoadCampaignCSVTests {
    static let campaign = "5725767000002000001"

    @Test func memberIDsBecomeMembershipsOfTheGivenCampaign() throws {
        let fixture = try LoaderFixture()
        let list = "Record Id,Last Name,Member Status\nzcrm_5725767000000524157,Lee,Active\n5725767000000524158,Roe,\n"
        let report = try fixture.load("Spring.csv", list, LoadOptions(module: .leads, campaignID: "zcrm_\(Self.campaign)"))
        #expect(report.module == "Leads" && report.format == "related-csv" && report.inserted == 2)
        let rows = try fixture.db.statement("SELECT campaign_id, member_module, member_id, member_status FROM campaign_members ORDER BY member_id")
            .rows { [$0.text(0), $0.text(1), $0.text(2), $0.text(3)] }
        #expect(rows == [[Self.campaign, "Leads", "5725767000000524157", "Active"],
                         [Self.campaign, "Leads", "5725767000000524158", ""]])
        #expect(try fixture.count("leads") == 0, "a member list holds no records")
    }

    @Test func flagsAFormatCannotUseOrThatRowsContradictAreErrors() throws {
        let fixture = try LoaderFixture()
        let fields = try fixture.write("Contacts_fields.json", #"{"fields":[]}"#)
        #expect(fixture.loadError(fields, LoadOptions(campaignID: Self.campaign))
                == .flagNotUsable(path: fields, flag: .campaign, format: .fieldsJSON))
        let bare = try fixture.write("list.csv", "id\n5725767000000524157\n")
        #expect(fixture.loadError(bare, LoadOptions(campaignID: Self.campaign)) == .memberModuleRequired(path: bare))
        let members = try fixture.write("members.csv", "Campaign Id,Member Id,Member Module\n\(Self.campaign),5725767000000524157,Contacts\n")
        #expect(fixture.loadError(members, LoadOptions(module: .leads))
                == .flagConflict(path: members, line: 2, flag: .module, given: "Leads", column: "Member Module", found: "Contacts"))
        #expect(try fixture.count("campaign_members") == 0)
    }
}
