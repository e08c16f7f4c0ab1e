import Foundation
import TestSupport
import Testing

/// The rest of Zoho's record routes over HTTP (update by id, delete by ids, restore, campaign
/// membership both ways and its related lists), and the command line's own refusals.
@Suite("serve: update, delete, restore, membership and flags", .serialized)
struct ServeRoutesTests {
    static let ann = ServeWritesTests.ann
    static let campaign = ServeWritesTests.campaign

    @Test func updateDeleteAndRestore() async throws {
        let workspace = try ServeReadsTests.org()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let byPath = try await server.send("PUT", "/crm/v8/Contacts/\(Self.ann)", body: #"{"data":[{"Last_Name":"Renamed"}]}"#)
        #expect(byPath.status == 200 && byPath.items.first?["message"] as? String == "record updated")
        let byBody = try await server.send("PUT", "/crm/v2/Contacts", body: #"{"data":[{"id":"\#(ServeWritesTests.sam)","Title":"CFO"}]}"#)
        #expect(byBody.status == 200 && byBody.codes == ["SUCCESS"])
        let read = try await server.send("GET", "/crm/v8/Contacts/\(Self.ann)")
        #expect(read.items.first?["Last_Name"] as? String == "Renamed")

        let deleted = try await server.send("DELETE", "/crm/v8/Contacts?ids=\(ServeWritesTests.sam),\(ServeWritesTests.samToo)")
        #expect(deleted.status == 200 && deleted.items.map { $0["message"] as? String } == ["record deleted", "record deleted"])
        let gone = try await server.send("GET", "/crm/v8/Contacts/\(ServeWritesTests.sam)")
        #expect(gone.status == 204)
        let binned = try await server.send("GET", "/crm/v8/Contacts/deleted?type=recycle")
        #expect(ServeReadsTests.ids(binned).contains(ServeWritesTests.sam))

        let restored = try await server.send("POST", "/crm/v8/settings/recycle_bin/\(ServeWritesTests.sam)/actions/restore")
        #expect(restored.status == 200, "\(restored.text)")
        #expect(restored.items.first?["message"] as? String == "record restored", "\(restored.text)")
        let back = try await server.send("GET", "/crm/v8/Contacts/\(ServeWritesTests.sam)")
        #expect(back.status == 200 && back.items.first?["Title"] as? String == "CFO")
    }

    @Test func campaignMembershipBothWaysAndItsRelatedLists() async throws {
        let workspace = try ServeReadsTests.org()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let none = try await server.send("GET", "/crm/v8/Campaigns/\(Self.campaign)/Contacts")
        #expect(none.status == 204)
        let mirror = try await server.send("PUT", "/crm/v8/Contacts/\(Self.ann)/Campaigns",
                                           body: #"{"data":[{"id":"\#(Self.campaign)","Member_Status":"Invited"}]}"#)
        #expect(mirror.codes == ["SUCCESS"] && mirror.items.first?["message"] as? String == "relation added", "\(mirror.text)")
        let members = try await server.send("GET", "/crm/v8/Campaigns/\(Self.campaign)/Contacts")
        #expect(ServeReadsTests.ids(members) == [Self.ann] && members.items.first?["Member_Status"] as? String == "Invited")
        let campaigns = try await server.send("GET", "/crm/v8/Contacts/\(Self.ann)/Campaigns")
        #expect(ServeReadsTests.ids(campaigns) == [Self.campaign] && campaigns.items.first?["Campaign_Name"] as? String == "Spring Webinar")
        let unlinked = try await server.send("DELETE", "/crm/v8/Campaigns/\(Self.campaign)/Contacts?ids=\(Self.ann)")
        #expect(unlinked.items.first?["message"] as? String == "relation removed", "\(unlinked.text)")
        let empty = try await server.send("GET", "/crm/v8/Campaigns/\(Self.campaign)/Contacts")
        #expect(empty.status == 204)
        let unknown = try await server.send("GET", "/crm/v8/Campaigns/5725767000000900099/Leads")
        #expect(unknown.status == 400 && unknown.json["code"] as? String == "INVALID_DATA")
        let notRelated = try await server.send("GET", "/crm/v8/Contacts/\(Self.ann)/Leads")
        #expect(notRelated.status == 400 && notRelated.json["code"] as? String == "NOT_SUPPORTED")
    }

    @Test func badFlagsAndABusyPortExitTwo() async throws {
        let workspace = try ServeWritesTests.org()
        let port = try workspace.run(["serve", "--port", "70000"], timeout: 60)
        #expect(port.status == 2 && port.stderr.contains("--port"))
        let date = try workspace.run(["serve", "--port", "0", "--as-of", "yesterday"], timeout: 60)
        #expect(date.status == 2 && date.stderr.contains("--as-of"))
        let first = try ServedReplica(workspace)
        defer { first.stop() }
        let busy = try workspace.run(["serve", "--port", "\(first.baseURL.port ?? 0)"], timeout: 60)
        #expect(busy.status == 2 && busy.stderr.contains("crm-replica: error:"), "\(busy)")
    }

    /// Bound to every interface, the server says so on stderr (it is then reachable from the network).
    @Test func aNonLoopbackHostIsAnnounced() async throws {
        let workspace = try ServeWritesTests.org()
        let server = try ServedReplica(workspace, ["--host", "0.0.0.0"])
        defer { server.stop() }
        #expect(server.command.stderrSoFar.contains("reachable from the network"))
        #expect(!server.command.stdoutSoFar.isEmpty)
    }
}
