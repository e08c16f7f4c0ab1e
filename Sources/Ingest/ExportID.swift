import Catalogue

/// Record ids as exports write them.
enum ExportID {
    /// The id a cell holds: Zoho's digits, or the same digits behind the `zcrm_` prefix that
    /// UI exports are reported to write in `Record Id` (a user report, not Zoho documentation;
    /// the API and Bulk Read write the bare digits). Nil for anything else.
    static func normalize(_ text: String) -> String? {
        if RecordID.isValid(text) { return text }
        if text.hasPrefix("zcrm_") {
            let digits = String(text.dropFirst(5))
            return RecordID.isValid(digits) ? digits : nil
        }
        return nil
    }
}
