import Foundation
import Testing
import TestSupport

/// The demo groups failures by what the engine decided, not by guessing from field names or
/// reading its sentences: run on a small org of its own (`./Samples` in the working folder).
@Suite("CLI: demo causes")
struct DemoCausesCLITests {
    /// Ann is matched on Email; the Phone she would be written with is held by two other
    /// Contacts. That is a unique-field clash, not an upsert that cannot choose its target.
    static let fields = """
        {"fields":[
        {"api_name":"Last_Name","field_label":"Last Name","data_type":"text","json_type":"string","system_mandatory":true,"unique":{}},
        {"api_name":"Email","field_label":"Email","data_type":"email","json_type":"string","system_mandatory":false,"unique":{}},
        {"api_name":"Phone","field_label":"Phone","data_type":"phone","json_type":"string","system_mandatory":false,"unique":{"casesensitive":"false"}}
        ]}
        """
    static let contacts = """
        id,Last_Name,Email,Phone,Created_Time
        5725767000000000001,Adams,ann@example.com,+1 415 555 0001,2020-01-01T00:00:00+00:00
        5725767000000000002,Baker,bob@example.com,+1 415 555 0002,2020-01-02T00:00:00+00:00
        5725767000000000003,Clark,cy@example.com,+1 415 555 0002,2020-01-03T00:00:00+00:00
        5725767000000000004,Dunn,dee@example.com,+1 415 555 0004,2020-01-04T00:00:00+00:00
        5725767000000000005,Dunn,dee@example.com,+1 415 555 0005,2020-01-05T00:00:00+00:00

        """
    static let batch = """
        {"data":[
        {"Last_Name":"Adams","Email":"ann@example.com","Phone":"+1 415 555 0002"},
        {"Last_Name":"Dunn","Email":"dee@example.com"},
        {"Last_Name":"Evans","Email":"eve@example.com","Campaign_ID":"5725767000000801017"}
        ],"duplicate_check_fields":["Email"]}
        """

    func demo() throws -> String {
        let workspace = try Workspace()
        let samples = workspace.directory.appendingPathComponent("Samples")
        for folder in ["zoho-org", "batches"] {
            try FileManager.default.createDirectory(at: samples.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try workspace.write("Samples/zoho-org/Contacts_fields.json", Self.fields)
        try workspace.write("Samples/zoho-org/Contacts.csv", Self.contacts)
        try workspace.write("Samples/batches/campaign-upsert.json", Self.batch)
        try workspace.write("Samples/batches/campaign-members.ndjson", #"{"method":"GET","path":"/crm/v8/Contacts","body":null}"# + "\n")
        let result = try CLI.run(["demo"], in: workspace.directory)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Samples: \(samples.path)"), "the demo did not use the workspace's samples")
        return result.stdout
    }

    @Test func aUniqueClashWithSeveralHoldersIsNotCalledAnUpsertThatCannotChoose() throws {
        let text = try demo()
        #expect(text.contains("1 × the record matched one Contact, but its unique Phone belongs to another"), "\(text)")
        #expect(!text.contains("Phone is unique and held by several Contacts records, so upsert cannot choose one"), "\(text)")
        // Several holders of the check field itself are what multi_match=error refuses.
        #expect(text.contains("1 × Email is held by several Contacts (multi_match=error: upsert cannot choose one)"), "\(text)")
    }

    @Test func aCampaignNamedFieldIsCountedFromTheEnginesNote() throws {
        let text = try demo()
        #expect(text.contains("1 × carry Campaign_ID, which is not a Contacts field"), "\(text)")
    }
}
