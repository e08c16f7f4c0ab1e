/// Zoho-shaped files several suites load.
public enum ZohoFiles {
    /// `GET /settings/fields?module=Contacts` with Phone unique, Email not, Last_Name mandatory.
    public static let contactFieldsWithUniquePhone = """
        {"fields":[{"api_name":"Last_Name","field_label":"Last Name","data_type":"text","system_mandatory":true,"unique":{}},
         {"api_name":"Email","field_label":"Email","data_type":"email","system_mandatory":false,"unique":{}},
         {"api_name":"Phone","field_label":"Phone","data_type":"phone","system_mandatory":false,"unique":{"case_sensitive":false}}]}
        """
}
