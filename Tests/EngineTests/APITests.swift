import Catalogue
import Formats
import Foundation
import Persistence
import Storage
import Testing
@testable import Engine

struct RouteTests {
    @Test(arguments: [
        ("POST", "/crm/v2/Contacts/upsert", Route.records(.contacts, .upsert, id: nil)),
        ("POST", "https://www.zohoapis.eu/crm/v2.1/Leads", Route.records(.leads, .insert, id: nil)),
        ("PUT", "/crm/v8/Contacts", Route.records(.contacts, .update, id: nil)),
        ("PUT", "/crm/v8/Contacts/5725767000000100001", Route.records(.contacts, .update, id: "5725767000000100001")),
        ("DELETE", "/crm/v2/Contacts?ids=5725767000000100001,5725767000000100002",
         Route.delete(.contacts, ids: ["5725767000000100001", "5725767000000100002"])),
        ("PUT", "/crm/v8/Campaigns/5725767000000900001/Contacts",
         Route.related(owner: .campaigns, ownerID: "5725767000000900001", related: .contacts, relatedID: nil, unlink: false)),
        ("PUT", "/crm/v8/Leads/5725767000000200001/Campaigns",
         Route.related(owner: .leads, ownerID: "5725767000000200001", related: .campaigns, relatedID: nil, unlink: false)),
        ("POST", "/crm/v8/settings/recycle_bin/5725767000000500001/actions/restore", Route.restore(ids: ["5725767000000500001"])),
    ])
    func understandsEveryVersionAndHost(method: String, target: String, route: Route) {
        #expect(Route.of(APIRequest(method: method, target: target, body: nil)) == route)
    }

    @Test func unmodelledCallsAreSkippedWithAReason() {
        for (method, target) in [("POST", "/crm/v8/Campaigns/5725767000000900001/Actions/add_members"), ("GET", "/crm/v8/Contacts"),
                                 ("POST", "/crm/v8/Deals")] {
            guard case .unsupported(let reason) = Route.of(APIRequest(method: method, target: target, body: nil)) else {
                Issue.record("\(method) \(target) should be unsupported")
                continue
            }
            #expect(reason.contains(method))
        }
    }
}

struct MembershipTests {
    static let campaign = "5725767000000900001"

    func org() throws -> (Org, String, String) {
        let org = try Org()
        try org.store.put(Record(fields: ["id": .string(Self.campaign), "Campaign_Name": .string("Spring Webinar")]), module: .campaigns)
        let ann = try org.contact("5725767000000100001", email: "ann@example.com")
        let binned = "5725767000000500001"
        try org.binned(binned, email: "gone@example.com")
        return (org, ann, binned)
    }

    func put(_ session: Session, _ items: [JSONValue], path: String = "/crm/v8/Campaigns/\(campaign)/Contacts") throws -> APIResult {
        try session.handle(APIRequest(method: "PUT", target: path, body: .object(["data": .array(items)])))
    }

    @Test func addThenReAddUnderBothRerelateValues() throws {
        let (org, ann, _) = try org()
        let session = try org.session()
        let added = try put(session, [.object(["id": .string(ann), "Member_Status": .string("Invited")])])
        #expect(added.items.first?.item["message"] == .string("relation added"))
        #expect(try org.db.scalarText("SELECT member_status FROM campaign_members") == "Invited")

        let again = try put(session, [.object(["id": .number(ann), "Member_Status": .string("Responded")])])
        #expect(again.items.first?.item["message"] == .string("relation updated"))
        #expect(try org.db.scalarText("SELECT member_status FROM campaign_members") == "Responded")

        let skipping = try org.session("rerelate=skip")
        let skipped = try put(skipping, [.object(["id": .string(ann), "Member_Status": .string("Sent")])])
        #expect(skipped.items.first?.code == .success)
        #expect(try org.db.scalarText("SELECT member_status FROM campaign_members") == "Responded")
        #expect(try org.count("campaign_members") == 1)
    }

    @Test func mirrorPathAndUnlink() throws {
        let (org, ann, _) = try org()
        let session = try org.session()
        let result = try put(session, [.object(["id": .string(Self.campaign), "Member_Status": .string("Planning")])],
                             path: "/crm/v2/Contacts/\(ann)/Campaigns")
        #expect(result.items.first?.code == .success)
        #expect(try org.db.scalarText("SELECT member_id FROM campaign_members WHERE campaign_id = ?", [.text(Self.campaign)]) == ann)
        let removed = try session.handle(APIRequest(method: "DELETE", target: "/crm/v8/Campaigns/\(Self.campaign)/Contacts?ids=\(ann)", body: nil))
        #expect(removed.items.first?.item["message"] == .string("relation removed"))
        #expect(try org.count("campaign_members") == 0)
    }

    @Test func unknownCampaignMemberInBinAndMalformedIdAreInvalidData() throws {
        let (org, ann, binned) = try org()
        let session = try org.session()
        let inBin = try put(session, [.object(["id": .string(binned)])])
        #expect(inBin.items.first?.code == .invalidData)
        #expect(inBin.items.first?.item["details"]?["api_name"] == .string("id"))
        #expect(inBin.items.first?.reason.contains("recycle bin") == true)
        let unknown = try put(session, [.object(["id": .string(ann)])], path: "/crm/v8/Campaigns/5725767000000999999/Contacts")
        #expect(unknown.items.first?.code == .invalidData)
        let malformed = try put(session, [.object(["id": .string("12ab")])])
        #expect(malformed.items.first?.code == .invalidData)
        #expect(malformed.status == 400)
        #expect(try org.count("campaign_members") == 0)
    }
}

struct RecycleBinActionTests {
    @Test func deleteThenUpsertTheSameEmailInserts() throws {
        let org = try Org()
        let id = try org.contact("5725767000000100001", email: "ann@example.com")
        try org.db.run("INSERT INTO campaign_members (campaign_id, member_module, member_id) VALUES ('5725767000000900001', 'Contacts', ?)", [.text(id)])
        let session = try org.session()
        let deleted = try session.handle(APIRequest(method: "DELETE", target: "/crm/v2/Contacts?ids=\(id)", body: nil))
        #expect(deleted.items.first?.item["message"] == .string("record deleted"))
        let binned = try #require(try org.store.findInBin(id: id))
        #expect(binned.deletion?.time == "2026-11-28T10:00:00+00:00")
        #expect(binned.deletion?.byName == "crm-replica")
        #expect(try org.count("campaign_members") == 1)
        let upsert = try session.run(RecordsRequest(module: .contacts, operation: .upsert, records: [Record(fields: person("ann@example.com"))]))
        #expect(upsert.verdicts.first?.outcome.action == .insert)
    }

    @Test func restoreWithAndWithoutAClash() throws {
        let org = try Org()
        try org.makeUnique("Phone")
        let binnedID = "5725767000000500001"
        try org.store.writeBin(Record(fields: ["id": .string(binnedID), "Email": .string("b@example.com"), "Phone": .string("777"),
                                               "Last_Name": .string("B")]),
                               module: .contacts, id: binnedID, deletion: Deletion(time: "2026-11-20T00:00:00+00:00"))
        let holder = try org.contact("5725767000000100002", email: "other@example.com", phone: "777")
        let session = try org.session()
        let clash = try session.handle(APIRequest(method: "POST", target: "/crm/v8/settings/recycle_bin/\(binnedID)/actions/restore", body: nil))
        #expect(clash.items.first?.code == .duplicateData)
        #expect(clash.items.first?.item["details"]?["duplicate_record"]?["id"] == .string(holder))
        #expect(try org.store.findInBin(id: binnedID) != nil)

        try org.db.run("DELETE FROM contacts WHERE id = ?", [.text(holder)])
        let restored = try session.handle(APIRequest(method: "POST", target: "/crm/v8/settings/recycle_bin/actions/restore?ids=\(binnedID)", body: nil))
        #expect(restored.items.first?.code == .success)
        #expect(try org.store.find(module: .contacts, id: binnedID)?.record.text("Phone") == "777")
        #expect(try org.count("recycle_bin") == 0)
    }

    @Test func purgedRowsCannotBeRestored() throws {
        let org = try Org()
        try org.binned("5725767000000500001", email: "old@example.com", deleted: "2026-07-01T00:00:00+00:00")
        let session = try org.session()
        let result = try session.restore(ids: ["5725767000000500001"])
        #expect(result.first?.code == .invalidData)
        #expect(result.first?.reason.contains("purged") == true)
    }
}

struct RequestParsingTests {
    @Test func malformedBodiesNameTheirJSONPath() {
        #expect(throws: APIRequestError.malformedBody(path: "$.data", expected: "an array of records")) {
            _ = try RecordsRequest.parse(.object(["data": .string("x")]), module: .contacts, operation: .upsert)
        }
        #expect(throws: APIRequestError.malformedBody(path: "$.data[1]", expected: "a record object")) {
            _ = try RecordsRequest.parse(.object(["data": .array([.object([:]), .number("2")])]), module: .contacts, operation: .upsert)
        }
        #expect(throws: APIRequestError.malformedBody(path: "$", expected: "an object with a \"data\" array")) {
            _ = try RecordsRequest.parse(.array([.number("1")]), module: .contacts, operation: .upsert)
        }
    }

    @Test func statusCodesFollowTheOutcomes() throws {
        let org = try Org()
        try org.contact("5725767000000100001", email: "a@example.com")
        let session = try org.session()
        func status(_ records: [JSONObject]) throws -> Int {
            try session.handle(APIRequest(method: "POST", target: "/crm/v8/Contacts/upsert",
                                          body: .object(["data": .array(records.map(JSONValue.object))]))).status
        }
        #expect(try status([person("new1@example.com")]) == 201)
        #expect(try status([person("a@example.com")]) == 200)
        #expect(try status([person("new2@example.com"), person("bad")]) == 207)
        #expect(try status([person("bad")]) == 400)
    }
}
