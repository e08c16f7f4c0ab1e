/// One field of a module, as `GET /settings/fields` describes it.
public struct FieldDefinition: Sendable, Equatable {
    public enum Source: String, Sendable {
        /// Built into crm-replica: Zoho's standard fields.
        case builtin
        /// From a loaded `settings/fields` response.
        case metadata
        /// First seen as a column of a loaded export (a custom field with no metadata yet).
        case export
    }

    public let module: Module
    public let apiName: String
    public let label: String
    public let dataType: String
    public var isUnique: Bool
    public let systemMandatory: Bool
    public let isCustom: Bool
    public let source: Source
    /// The `length` of `settings/fields`: the longest text the field takes. Nil when no metadata
    /// gave one, and then no length is checked.
    public let length: Int?

    public init(module: Module, apiName: String, label: String, dataType: String, isUnique: Bool = false,
                systemMandatory: Bool = false, isCustom: Bool = false, source: Source = .builtin, length: Int? = nil) {
        self.module = module
        self.apiName = apiName
        self.label = label
        self.dataType = dataType
        self.isUnique = isUnique
        self.systemMandatory = systemMandatory
        self.isCustom = isCustom
        self.source = source
        self.length = length
    }

    public var isEmail: Bool { dataType == "email" }
}

/// Zoho's standard fields, so that a UI export (display labels) loads before any metadata does.
/// Labels are those of Zoho's default layouts; none is unique until metadata says so.
enum BuiltinFields {
    static func fields(for module: Module) -> [FieldDefinition] {
        let rows: [(String, String, String)]
        switch module {
        case .contacts:
            rows = [
                ("id", "Record Id", "bigint"), ("Owner", "Contact Owner", "ownerlookup"),
                ("Salutation", "Salutation", "picklist"), ("First_Name", "First Name", "text"),
                ("Last_Name", "Last Name", "text"), ("Full_Name", "Contact Name", "text"),
                ("Account_Name", "Account Name", "lookup"), ("Vendor_Name", "Vendor Name", "lookup"),
                ("Email", "Email", "email"), ("Secondary_Email", "Secondary Email", "email"),
                ("Phone", "Phone", "phone"), ("Other_Phone", "Other Phone", "phone"),
                ("Mobile", "Mobile", "phone"), ("Home_Phone", "Home Phone", "phone"),
                ("Fax", "Fax", "text"), ("Assistant", "Assistant", "text"), ("Asst_Phone", "Asst Phone", "phone"),
                ("Title", "Title", "text"), ("Department", "Department", "text"),
                ("Lead_Source", "Lead Source", "picklist"), ("Date_of_Birth", "Date of Birth", "date"),
                ("Email_Opt_Out", "Email Opt Out", "boolean"), ("Skype_ID", "Skype ID", "text"),
                ("Twitter", "Twitter", "text"), ("Reporting_To", "Reporting To", "lookup"),
                ("Mailing_Street", "Mailing Street", "text"), ("Mailing_City", "Mailing City", "text"),
                ("Mailing_State", "Mailing State", "text"), ("Mailing_Zip", "Mailing Zip", "text"),
                ("Mailing_Country", "Mailing Country", "text"), ("Other_Street", "Other Street", "text"),
                ("Other_City", "Other City", "text"), ("Other_State", "Other State", "text"),
                ("Other_Zip", "Other Zip", "text"), ("Other_Country", "Other Country", "text"),
                ("Description", "Description", "textarea"), ("Tag", "Tag", "text"),
                ("Created_By", "Created By", "ownerlookup"), ("Modified_By", "Modified By", "ownerlookup"),
                ("Created_Time", "Created Time", "datetime"), ("Modified_Time", "Modified Time", "datetime"),
                ("Last_Activity_Time", "Last Activity Time", "datetime"),
            ]
        case .leads:
            rows = [
                ("id", "Record Id", "bigint"), ("Owner", "Lead Owner", "ownerlookup"),
                ("Company", "Company", "text"), ("Salutation", "Salutation", "picklist"),
                ("First_Name", "First Name", "text"), ("Last_Name", "Last Name", "text"),
                ("Full_Name", "Lead Name", "text"), ("Designation", "Title", "text"),
                ("Email", "Email", "email"), ("Secondary_Email", "Secondary Email", "email"),
                ("Phone", "Phone", "phone"), ("Mobile", "Mobile", "phone"), ("Fax", "Fax", "text"),
                ("Website", "Website", "website"), ("Lead_Source", "Lead Source", "picklist"),
                ("Lead_Status", "Lead Status", "picklist"), ("Industry", "Industry", "picklist"),
                ("No_of_Employees", "No. of Employees", "integer"), ("Annual_Revenue", "Annual Revenue", "currency"),
                ("Rating", "Rating", "picklist"), ("Email_Opt_Out", "Email Opt Out", "boolean"),
                ("Skype_ID", "Skype ID", "text"), ("Twitter", "Twitter", "text"),
                ("Street", "Street", "text"), ("City", "City", "text"), ("State", "State", "text"),
                ("Zip_Code", "Zip Code", "text"), ("Country", "Country", "text"),
                ("Description", "Description", "textarea"), ("Tag", "Tag", "text"),
                ("Created_By", "Created By", "ownerlookup"), ("Modified_By", "Modified By", "ownerlookup"),
                ("Created_Time", "Created Time", "datetime"), ("Modified_Time", "Modified Time", "datetime"),
                ("Last_Activity_Time", "Last Activity Time", "datetime"),
            ]
        case .campaigns:
            rows = [
                ("id", "Record Id", "bigint"), ("Owner", "Campaign Owner", "ownerlookup"),
                ("Campaign_Name", "Campaign Name", "text"), ("Type", "Type", "picklist"),
                ("Status", "Status", "picklist"), ("Start_Date", "Start Date", "date"),
                ("End_Date", "End Date", "date"), ("Expected_Revenue", "Expected Revenue", "currency"),
                ("Budgeted_Cost", "Budgeted Cost", "currency"), ("Actual_Cost", "Actual Cost", "currency"),
                ("Expected_Response", "Expected Response", "integer"), ("Num_sent", "Num sent", "integer"),
                ("Parent_Campaign", "Parent Campaign", "lookup"), ("Description", "Description", "textarea"),
                ("Tag", "Tag", "text"),
                ("Created_By", "Created By", "ownerlookup"), ("Modified_By", "Modified By", "ownerlookup"),
                ("Created_Time", "Created Time", "datetime"), ("Modified_Time", "Modified Time", "datetime"),
            ]
        }
        return rows.map { apiName, label, type in
            FieldDefinition(module: module, apiName: apiName, label: label, dataType: type,
                            systemMandatory: apiName == module.mandatoryField)
        }
    }
}
