import Foundation
import TestSupport
import Testing

/// `crm-replica serve`: the `GET` calls and the metadata the SDKs fetch, through the real binary.
@Suite("serve: reads and metadata", .serialized)
struct ServeReadsTests {
    static let binnedRecently = "5725767000000100008"
    static let binnedLongAgo = "5725767000000100009"

    /// The writes suite's org, its Contacts metadata with the Account_Name lookup, a lead, two
    /// contacts in the recycle bin (one deleted more than 60 days before the server's clock), and
    /// the Leads duplicate-check preference.
    static func org() throws -> Workspace {
        let workspace = try ServeWritesTests.org()
        try workspace.load("Contacts_fields.json", """
            {"fields":[{"api_name":"Last_Name","field_label":"Last Name","data_type":"text","system_mandatory":true,"unique":{}},
             {"api_name":"Email","field_label":"Email","data_type":"email","system_mandatory":false,"unique":{}},
             {"api_name":"Phone","field_label":"Phone","data_type":"phone","system_mandatory":false,"unique":{"case_sensitive":false}},
             {"api_name":"Account_Name","field_label":"Account Name","data_type":"lookup","system_mandatory":false,"unique":{}}]}
            """)
        try workspace.load("Contacts_deleted.json", """
            {"data":[{"id":"\(binnedRecently)","display_name":"Gus","type":"recycle","deleted_by":{"name":"Admin","id":"1"},"created_by":{"name":"Admin","id":"1"},"deleted_time":"2026-11-01T10:00:00+00:00"},
             {"id":"\(binnedLongAgo)","display_name":"Old","type":"recycle","deleted_by":{"name":"Admin","id":"1"},"deleted_time":"2026-01-01T10:00:00+00:00"}]}
            """)
        try workspace.load("Leads.json", #"{"data":[{"id":"5725767000000200001","Last_Name":"Kim","Email":"kim@example.com"}]}"#)
        try workspace.load("Leads_duplicate_check_preference.json", """
            {"duplicate_check_preference":{"type":"mapped_module_records","type_configurations":[{"field_mappings":[{"current_field":{"api_name":"Email","id":"1"},"mapped_field":{"api_name":"Email","id":"2"}}],"mapped_module":{"api_name":"Contacts","id":"3"}}]}}
            """, module: "Leads")
        return workspace
    }

    static func ids(_ answer: ServedReplica.Answer) -> [String] { answer.items.compactMap { $0["id"] as? String } }

    @Test func oneRecordByIdOr204() async throws {
        let workspace = try Self.org()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let found = try await server.send("GET", "/crm/v8/Contacts/\(ServeWritesTests.ann)")
        #expect(found.status == 200 && Self.ids(found) == [ServeWritesTests.ann])
        #expect(found.items.first?["Email"] as? String == "ann@example.com")
        let missing = try await server.send("GET", "/crm/v8/Contacts/5725767000000199999")
        #expect(missing.status == 204 && missing.body.isEmpty && missing.contentType == nil)
        let noToken = try await server.send("GET", "/crm/v8/Contacts/\(ServeWritesTests.ann)", token: nil)
        #expect(noToken.status == 401)
    }

    @Test func listPagesFieldsAndSort() async throws {
        let workspace = try Self.org()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let first = try await server.send("GET", "/crm/v8/Contacts?per_page=2&sort_by=id&sort_order=asc&fields=Email")
        #expect(first.status == 200 && Self.ids(first) == [ServeWritesTests.ann, ServeWritesTests.sam])
        #expect(Set(first.items.flatMap(\.keys)) == ["id", "Email"])
        let info = try #require(first.json["info"] as? [String: Any])
        #expect(info["more_records"] as? Bool == true && info["per_page"] as? Int == 2 && info["count"] as? Int == 2)
        let second = try await server.send("GET", "/crm/v8/Contacts?per_page=2&page=2&sort_by=id&sort_order=asc")
        #expect(Self.ids(second) == [ServeWritesTests.samToo] && (second.json["info"] as? [String: Any])?["more_records"] as? Bool == false)
        let byCreated = try await server.send("GET", "/crm/v8/Contacts?sort_by=Created_Time&sort_order=asc")
        #expect(Self.ids(byCreated).first == ServeWritesTests.sam)
        let beyond = try await server.send("GET", "/crm/v8/Contacts?page=9")
        #expect(beyond.status == 204)
        let tooMany = try await server.send("GET", "/crm/v8/Contacts?per_page=201")
        #expect(tooMany.status == 400 && tooMany.json["code"] as? String == "INVALID_DATA")
        let badSort = try await server.send("GET", "/crm/v8/Contacts?sort_by=Email")
        #expect(badSort.status == 400)
    }

    @Test func searchByEmailPhoneWordAndCriteria() async throws {
        let workspace = try Self.org()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let email = try await server.send("GET", "/crm/v8/Contacts/search?email=SAM%40EXAMPLE.COM")
        #expect(email.status == 200 && Set(Self.ids(email)) == [ServeWritesTests.sam, ServeWritesTests.samToo])
        let phone = try await server.send("GET", "/crm/v8/Contacts/search?phone=222")
        #expect(Self.ids(phone) == [ServeWritesTests.sam])
        let word = try await server.send("GET", "/crm/v8/Contacts/search?word=Poe")
        #expect(Self.ids(word) == [ServeWritesTests.samToo])
        let both = try await server.send("GET", "/crm/v8/Contacts/search?criteria=((Email:equals:ANN%40example.com)or(Last_Name:equals:poe))")
        #expect(Set(Self.ids(both)) == [ServeWritesTests.ann, ServeWritesTests.samToo])
        let all = try await server.send("GET", "/crm/v8/Contacts/search?criteria=((Email:equals:sam%40example.com)and(Phone:equals:333))")
        #expect(Self.ids(all) == [ServeWritesTests.samToo])
        let miss = try await server.send("GET", "/crm/v8/Contacts/search?email=nobody%40example.com")
        #expect(miss.status == 204 && miss.body.isEmpty && miss.contentType == nil)
        let nothingAsked = try await server.send("GET", "/crm/v8/Contacts/search")
        #expect(nothingAsked.status == 400 && nothingAsked.json["code"] as? String == "REQUIRED_PARAM_MISSING")
        let otherOperator = try await server.send("GET", "/crm/v8/Contacts/search?criteria=(Email:starts_with:sam)")
        #expect(otherOperator.status == 400 && otherOperator.json["code"] as? String == "INVALID_QUERY")
        #expect(otherOperator.text.contains("only equals"))
        let unbalanced = try await server.send("GET", "/crm/v8/Contacts/search?criteria=(Email:equals:sam")
        #expect(unbalanced.status == 400 && unbalanced.json["code"] as? String == "INVALID_QUERY")
    }

    @Test func deletedRecordsByTypeOr204() async throws {
        let workspace = try Self.org()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let all = try await server.send("GET", "/crm/v8/Contacts/deleted?type=all")
        #expect(all.status == 200 && Self.ids(all) == [Self.binnedRecently, Self.binnedLongAgo])
        let recycle = try await server.send("GET", "/crm/v8/Contacts/deleted?type=recycle")
        #expect(Self.ids(recycle) == [Self.binnedRecently])
        let item = try #require(recycle.items.first)
        #expect(item["display_name"] as? String == "Gus" && item["type"] as? String == "recycle")
        #expect((item["deleted_by"] as? [String: Any])?["name"] as? String == "Admin" && item["created_by"] != nil)
        let permanent = try await server.send("GET", "/crm/v8/Contacts/deleted?type=permanent")
        #expect(Self.ids(permanent) == [Self.binnedLongAgo] && permanent.items.first?["display_name"] is NSNull)
        let v2 = try await server.send("GET", "/crm/v2/Contacts/deleted?type=recycle")
        #expect(v2.items.first?["Created_By"] != nil)
        let none = try await server.send("GET", "/crm/v8/Leads/deleted")
        #expect(none.status == 204 && none.body.isEmpty)
    }

    @Test func metadataTheSDKsFetch() async throws {
        let workspace = try Self.org()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        func field(_ answer: ServedReplica.Answer, _ name: String) -> [String: Any]? {
            (answer.json["fields"] as? [[String: Any]])?.first { $0["api_name"] as? String == name }
        }
        let v8 = try await server.send("GET", "/crm/v8/settings/fields?module=Contacts")
        #expect(v8.status == 200 && field(v8, "Last_Name")?["system_mandatory"] as? Bool == true)
        #expect(field(v8, "Phone")?["data_type"] as? String == "phone")
        #expect(((field(v8, "Account_Name")?["lookup"] as? [String: Any])?["module"] as? [String: Any])?["api_name"] as? String == "Accounts")
        let v2 = try await server.send("GET", "/crm/v2/settings/fields?module=Contacts")
        #expect((field(v2, "Account_Name")?["lookup"] as? [String: Any])?["module"] as? String == "Accounts")
        let accounts = try await server.send("GET", "/crm/v8/settings/fields?module=Accounts")
        #expect(accounts.status == 200 && field(accounts, "Account_Name")?["data_type"] as? String == "text")
        let unknown = try await server.send("GET", "/crm/v8/settings/fields?module=Widgets")
        #expect(unknown.status == 400 && unknown.json["code"] as? String == "INVALID_MODULE")

        let modules = try await server.send("GET", "/crm/v8/settings/modules")
        let names = (modules.json["modules"] as? [[String: Any]] ?? []).compactMap { $0["api_name"] as? String }
        #expect(Set(names).isSuperset(of: ["Contacts", "Leads", "Campaigns", "Accounts"]))
        #expect((modules.json["modules"] as? [[String: Any]])?.allSatisfy { $0["api_supported"] as? Bool == true && $0["generated_type"] is String } == true)
        let unchanged = try await server.send("GET", "/crm/v8/settings/modules", headers: ["If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"])
        #expect(unchanged.status == 304 && unchanged.body.isEmpty)
        let changed = try await server.send("GET", "/crm/v8/settings/modules", headers: ["If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"])
        #expect(changed.status == 200)

        let related = try await server.send("GET", "/crm/v8/settings/related_lists?module=Campaigns")
        let lists = related.json["related_lists"] as? [[String: Any]] ?? []
        #expect(lists.map { $0["api_name"] as? String } == ["Contacts", "Leads"])
        #expect(lists.allSatisfy { ($0["href"] as? String)?.isEmpty == false } && lists.first?["module"] is [String: Any])
        let relatedV2 = try await server.send("GET", "/crm/v2/settings/related_lists?module=Contacts")
        #expect((relatedV2.json["related_lists"] as? [[String: Any]])?.first?["module"] as? String == "Campaigns")

        let preference = try await server.send("GET", "/crm/v8/settings/duplicate_check_preference?module=Leads")
        #expect((preference.json["duplicate_check_preference"] as? [String: Any])?["type"] as? String == "mapped_module_records")
        let user = try await server.send("GET", "/crm/v8/users?type=CurrentUser")
        #expect((user.json["users"] as? [[String: Any]])?.first?["id"] as? String == "1000000000000000001")
        let org = try await server.send("GET", "/crm/v8/org")
        #expect((org.json["org"] as? [[String: Any]])?.first?["zgid"] is String)
        let token = try await server.send("POST", "/oauth/v2/token", body: "refresh_token=r&client_id=c&client_secret=s&grant_type=refresh_token",
                                          token: nil, headers: ["Content-Type": "application/x-www-form-urlencoded"])
        #expect(token.status == 200 && token.json["access_token"] is String && token.json["expires_in"] as? Int == 3600)
        #expect(token.json["api_domain"] as? String == server.baseURL.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/")))
    }

    /// A `load` by another process while the server runs is seen at the next request.
    @Test func aLoadWhileServingIsSeenAtTheNextRequest() async throws {
        let workspace = try Self.org()
        let server = try ServedReplica(workspace)
        defer { server.stop() }
        let before = try await server.send("GET", "/crm/v8/Contacts/search?email=late%40example.com")
        #expect(before.status == 204)
        let fieldsBefore = try await server.send("GET", "/crm/v8/settings/fields?module=Contacts")
        #expect(!fieldsBefore.text.contains("Member_Number"))
        try workspace.load("Contacts_late.json", #"{"data":[{"id":"5725767000000100050","Last_Name":"Late","Email":"late@example.com","Member_Number":"M1"}]}"#,
                           module: "Contacts")
        try workspace.load("Contacts_fields.json", """
            {"fields":[{"api_name":"Last_Name","field_label":"Last Name","data_type":"text","system_mandatory":true,"unique":{}},
             {"api_name":"Member_Number","field_label":"Member Number","data_type":"text","system_mandatory":false,"unique":{"case_sensitive":false}}]}
            """)
        let after = try await server.send("GET", "/crm/v8/Contacts/search?email=late%40example.com")
        #expect(Self.ids(after) == ["5725767000000100050"])
        let fieldsAfter = try await server.send("GET", "/crm/v8/settings/fields?module=Contacts")
        #expect(fieldsAfter.text.contains("Member_Number"))
        // The writer sees the new unique field too: a second M1 is a duplicate.
        let clash = try await server.send("POST", "/crm/v8/Contacts", body: #"{"data":[{"Last_Name":"Two","Member_Number":"m1"}]}"#)
        #expect(clash.codes == ["DUPLICATE_DATA"], "\(clash.text)")
    }
}
