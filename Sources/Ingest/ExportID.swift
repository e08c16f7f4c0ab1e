import Catalogue

/// Record ids as exports write them.
enum ExportID {
    /// The id a cell holds (`RecordID.normalize`: the digits, or the digits behind `zcrm_`).
    static func normalize(_ text: String) -> String? { RecordID.normalize(text) }
}
