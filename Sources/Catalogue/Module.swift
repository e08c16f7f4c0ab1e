/// A field compared by duplicate checks that has columns of its own in the module's table:
/// the value as stored (compared `COLLATE NOCASE`) and its near-miss key.
public struct KeyColumn: Sendable, Equatable {
    public let field: String
    public let column: String
    public let keyColumn: String

    public init(field: String, column: String, keyColumn: String) {
        self.field = field
        self.column = column
        self.keyColumn = keyColumn
    }
}

/// The CRM modules the replica stores.
public enum Module: String, CaseIterable, Sendable, Codable {
    case contacts = "Contacts"
    case leads = "Leads"
    case campaigns = "Campaigns"

    /// Accepts API names without regard to case, and the singular ("contact").
    public init?(name: String) {
        let lowered = name.lowercased()
        guard let module = Module.allCases.first(where: { lowered == $0.rawValue.lowercased() || lowered + "s" == $0.rawValue.lowercased() }) else { return nil }
        self = module
    }

    public var table: String {
        switch self {
        case .contacts: return "contacts"
        case .leads: return "leads"
        case .campaigns: return "campaigns"
        }
    }

    /// Zoho's system-defined duplicate-check field (docs/zoho-facts.md#upsert-matching).
    public var systemDuplicateField: String {
        switch self {
        case .contacts, .leads: return "Email"
        case .campaigns: return "Campaign_Name"
        }
    }

    /// The system-mandatory field (docs/zoho-facts.md#field-metadata).
    public var mandatoryField: String {
        switch self {
        case .contacts, .leads: return "Last_Name"
        case .campaigns: return "Campaign_Name"
        }
    }

    /// Fields with their own indexed columns in the module's table (the bin keeps them too: `RecycleBin.keyColumns`).
    public var keyColumns: [KeyColumn] {
        switch self {
        case .contacts, .leads:
            return [
                KeyColumn(field: "Email", column: "Email", keyColumn: "email_key"),
                KeyColumn(field: "Secondary_Email", column: "Secondary_Email", keyColumn: "secondary_email_key"),
                KeyColumn(field: "Phone", column: "Phone", keyColumn: "phone_key"),
            ]
        case .campaigns:
            return [KeyColumn(field: "Campaign_Name", column: "Campaign_Name", keyColumn: "campaign_name_key")]
        }
    }

    public func keyColumn(for field: String) -> KeyColumn? { keyColumns.first { $0.field == field } }

    /// The module whose records a Leads check may also consult (the duplicate-check preference).
    public var isPerson: Bool { self != .campaigns }

    /// The label Zoho's UI export gives the owner column ("Contact Owner").
    public var ownerLabel: String {
        switch self {
        case .contacts: return "Contact Owner"
        case .leads: return "Lead Owner"
        case .campaigns: return "Campaign Owner"
        }
    }
}
