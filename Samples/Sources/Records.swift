import Catalogue
import Formats
import Foundation

/// A CRM user, as the `Owner`, `Created_By` and `deleted_by` objects name one.
struct SampleUser {
    let name: String
    let id: String

    var json: JSONValue {
        let address = name.split(separator: " ").map { NamePools.emailWord(String($0)) }.joined(separator: ".")
        return .object(["name": .string(name), "id": .string(id), "email": .string(address + "@example.com")])
    }

    /// The org's users. Patricia Boyle owns most records; the integration user is who web
    /// forms and imports write as.
    static let all = [
        SampleUser(name: "Patricia Boyle", id: "5725767000000411001"),
        SampleUser(name: "Marcus Chen", id: "5725767000000411002"),
        SampleUser(name: "Aisha Rahman", id: "5725767000000411003"),
        SampleUser(name: "Tomás Ferreira", id: "5725767000000411004"),
        SampleUser(name: "Web Integration", id: "5725767000000411005"),
    ]
}

/// One Contact as the UI export writes it.
struct ContactRow {
    var id: String
    var owner: SampleUser
    var firstName: String
    var lastName: String
    var email: String
    var secondaryEmail = ""
    var phone = ""
    var mobile = ""
    var title = ""
    var city = ""
    /// Seconds since 1970, UTC.
    var created: Int
    var modified: Int
    var description = ""
    var tier = ""
    var newsletterSource = ""
    var memberNumber = ""

    var displayName: String { "\(firstName) \(lastName)" }
}

/// One Lead as `GET /Leads` returns it.
struct LeadRecord {
    var id: String
    var owner: SampleUser
    var company: String
    var firstName: String
    var lastName: String
    var designation: String
    var email: String
    var phone: String?
    var leadSource: String
    var leadStatus: String
    var industry: String
    var employees: Int
    var city: String
    var created: Int
    var modified: Int

    var json: JSONValue {
        .object([
            "Owner": owner.json,
            "Company": .string(company),
            "First_Name": .string(firstName),
            "Last_Name": .string(lastName),
            "Full_Name": .string("\(firstName) \(lastName)"),
            "Designation": .string(designation),
            "Email": .string(email),
            "Phone": phone.map(JSONValue.string) ?? .null,
            "Lead_Source": .string(leadSource),
            "Lead_Status": .string(leadStatus),
            "Industry": .string(industry),
            "No_of_Employees": .number(String(employees)),
            "City": .string(city),
            "Email_Opt_Out": .bool(false),
            "Created_By": owner.json,
            "Modified_By": owner.json,
            "Created_Time": .string(SampleTime.text(created)),
            "Modified_Time": .string(SampleTime.text(modified)),
            "Tag": .array([]),
            "id": .string(id),
        ])
    }
}

/// One Campaign as `GET /Campaigns` returns it.
struct CampaignRecord {
    var id: String
    var name: String
    var type: String
    var status: String
    var start: String
    var end: String
    var budget: Int
    var description: String
    var owner: SampleUser
    var created: Int

    var json: JSONValue {
        .object([
            "Owner": owner.json,
            "Campaign_Name": .string(name),
            "Type": .string(type),
            "Status": .string(status),
            "Start_Date": .string(start),
            "End_Date": .string(end),
            "Budgeted_Cost": .number(String(budget)),
            "Description": .string(description),
            "Created_By": owner.json,
            "Created_Time": .string(SampleTime.text(created)),
            "Modified_Time": .string(SampleTime.text(created)),
            "id": .string(id),
        ])
    }
}

/// One row of the campaign-members CSV.
struct MemberRow {
    var campaignID: String
    var memberID: String
    var memberModule: Module
    var status: String
}

/// One item of `GET /Contacts/deleted`.
struct DeletedItem {
    var id: String
    /// Nil for a permanent deletion, which Zoho reports without names (docs/zoho-facts.md#recycle-bin).
    var displayName: String?
    var deletedBy: SampleUser?
    var createdBy: SampleUser?
    var deletedTime: Int

    var json: JSONValue {
        .object([
            "deleted_by": deletedBy?.json ?? .null,
            "id": .string(id),
            "display_name": displayName.map(JSONValue.string) ?? .null,
            "type": .string(displayName == nil ? "permanent" : "recycle"),
            "created_by": createdBy?.json ?? .null,
            "deleted_time": .string(SampleTime.text(deletedTime)),
        ])
    }
}

/// Times in the samples: ISO 8601 with an offset, as the API and the engine write them.
enum SampleTime {
    static func text(_ seconds: Int) -> String { Timestamps.format(Date(timeIntervalSince1970: Double(seconds))) }

    /// Seconds at midnight UTC of a date written `YYYY-MM-DD`.
    static func day(_ text: String) -> Int {
        Int(Timestamps.parse(text)?.timeIntervalSince1970 ?? 0)
    }
}
