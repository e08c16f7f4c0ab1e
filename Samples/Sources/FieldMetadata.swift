import Catalogue
import Formats

/// The org's `GET /settings/fields` responses and its Leads duplicate-check preference.
///
/// What the story needs from them: Contacts `Phone` and the custom `Member_Number` are unique
/// ("Do not allow duplicate values", `{"case_sensitive": false}`), so upsert appends them to
/// every check pattern; Contacts `Email` is not unique. Leads `Email` is unique because Zoho
/// lets only unique fields be mapped in the duplicate-check preference (docs/zoho-facts.md#leads-duplicate-check-preference), which
/// maps Leads.Email to Contacts.Email.
enum FieldMetadata {
    struct Field {
        let apiName: String
        let label: String
        let dataType: String
        var unique = false
        var mandatory = false
        var custom = false
        var readOnly = false
        var picklist: [String] = []
    }

    static let contacts: [Field] = [
        Field(apiName: "Owner", label: "Contact Owner", dataType: "ownerlookup"),
        Field(apiName: "First_Name", label: "First Name", dataType: "text"),
        Field(apiName: "Last_Name", label: "Last Name", dataType: "text", mandatory: true),
        Field(apiName: "Full_Name", label: "Contact Name", dataType: "text", readOnly: true),
        Field(apiName: "Email", label: "Email", dataType: "email"),
        Field(apiName: "Secondary_Email", label: "Secondary Email", dataType: "email"),
        Field(apiName: "Phone", label: "Phone", dataType: "phone", unique: true),
        Field(apiName: "Mobile", label: "Mobile", dataType: "phone"),
        Field(apiName: "Title", label: "Title", dataType: "text"),
        Field(apiName: "Mailing_City", label: "Mailing City", dataType: "text"),
        Field(apiName: "Lead_Source", label: "Lead Source", dataType: "picklist", picklist: NamePools.leadSources),
        Field(apiName: "Description", label: "Description", dataType: "textarea"),
        Field(apiName: "Email_Opt_Out", label: "Email Opt Out", dataType: "boolean"),
        Field(apiName: "Created_By", label: "Created By", dataType: "ownerlookup", readOnly: true),
        Field(apiName: "Modified_By", label: "Modified By", dataType: "ownerlookup", readOnly: true),
        Field(apiName: "Created_Time", label: "Created Time", dataType: "datetime", readOnly: true),
        Field(apiName: "Modified_Time", label: "Modified Time", dataType: "datetime", readOnly: true),
        Field(apiName: "Customer_Tier", label: "Customer Tier", dataType: "picklist", custom: true, picklist: NamePools.tiers),
        Field(apiName: "Newsletter_Source", label: "Newsletter Source", dataType: "text", custom: true),
        Field(apiName: "Member_Number", label: "Member Number", dataType: "text", unique: true, custom: true),
        Field(apiName: "Group_Size", label: "Group Size", dataType: "integer", custom: true),
        Field(apiName: "Webinar_Registered_At", label: "Webinar Registered At", dataType: "datetime", custom: true),
    ]

    static let leads: [Field] = [
        Field(apiName: "Owner", label: "Lead Owner", dataType: "ownerlookup"),
        Field(apiName: "Company", label: "Company", dataType: "text"),
        Field(apiName: "First_Name", label: "First Name", dataType: "text"),
        Field(apiName: "Last_Name", label: "Last Name", dataType: "text", mandatory: true),
        Field(apiName: "Full_Name", label: "Lead Name", dataType: "text", readOnly: true),
        Field(apiName: "Designation", label: "Title", dataType: "text"),
        Field(apiName: "Email", label: "Email", dataType: "email", unique: true),
        Field(apiName: "Phone", label: "Phone", dataType: "phone"),
        Field(apiName: "Lead_Source", label: "Lead Source", dataType: "picklist", picklist: NamePools.leadSources),
        Field(apiName: "Lead_Status", label: "Lead Status", dataType: "picklist", picklist: NamePools.leadStatuses),
        Field(apiName: "Industry", label: "Industry", dataType: "picklist", picklist: NamePools.industries),
        Field(apiName: "No_of_Employees", label: "No. of Employees", dataType: "integer"),
        Field(apiName: "City", label: "City", dataType: "text"),
        Field(apiName: "Email_Opt_Out", label: "Email Opt Out", dataType: "boolean"),
        Field(apiName: "Created_By", label: "Created By", dataType: "ownerlookup", readOnly: true),
        Field(apiName: "Modified_By", label: "Modified By", dataType: "ownerlookup", readOnly: true),
        Field(apiName: "Created_Time", label: "Created Time", dataType: "datetime", readOnly: true),
        Field(apiName: "Modified_Time", label: "Modified Time", dataType: "datetime", readOnly: true),
    ]

    /// Field ids: one block per module, in the org's id space.
    private static func id(_ module: Module, _ apiName: String) -> String {
        let (fields, base) = module == .contacts ? (contacts, 5_725_767_000_000_002_501) : (leads, 5_725_767_000_000_002_601)
        return String(base + (fields.firstIndex { $0.apiName == apiName } ?? 0))
    }

    private static let contactsModuleID = "5725767000000002179"

    static func response(_ module: Module) -> JSONValue {
        let fields = module == .contacts ? contacts : leads
        return .object(["fields": .array(fields.map { json($0, module: module) })])
    }

    private static func json(_ field: Field, module: Module) -> JSONValue {
        var object: JSONObject = [
            "api_name": .string(field.apiName),
            "id": .string(id(module, field.apiName)),
            "field_label": .string(field.label),
            "display_label": .string(field.label),
            "data_type": .string(field.dataType),
            "json_type": .string(jsonType(field.dataType)),
            "system_mandatory": .bool(field.mandatory),
            "custom_field": .bool(field.custom),
            "unique": .object(field.unique ? ["case_sensitive": .bool(false)] : [:]),
            "read_only": .bool(field.readOnly),
            "visible": .bool(true),
            "length": .number(field.dataType == "textarea" ? "32000" : field.dataType == "integer" ? "9" : "255"),
        ]
        if !field.picklist.isEmpty {
            object["pick_list_values"] = .array((["-None-"] + field.picklist).map { value in
                .object(["display_value": .string(value), "actual_value": .string(value)])
            })
        }
        return .object(object)
    }

    private static func jsonType(_ dataType: String) -> String {
        switch dataType {
        case "ownerlookup", "lookup": return "jsonobject"
        case "boolean": return "boolean"
        case "integer": return "integer"
        default: return "string"
        }
    }

    /// `GET /settings/duplicate_check_preference?module=Leads`: new Leads are checked against
    /// Contacts by Email.
    static var leadsPreference: JSONValue {
        .object(["duplicate_check_preference": .object([
            "type": .string("mapped_module_records"),
            "type_configurations": .array([.object([
                "field_mappings": .array([.object([
                    "current_field": .object(["api_name": .string("Email"), "id": .string(id(.leads, "Email"))]),
                    "mapped_field": .object(["api_name": .string("Email"), "id": .string(id(.contacts, "Email"))]),
                ])]),
                "mapped_module": .object(["api_name": .string("Contacts"), "id": .string(contactsModuleID)]),
            ])]),
        ])])
    }
}
