/// The field separators a CSV file is found with. Excel writes `;` where the locale's decimal
/// separator is a comma, a tab in "Unicode Text" (and `.tsv`), and some tools `|`; Zoho's Bulk
/// Write also takes `:`.
public enum CSVDelimiter: UInt8, CaseIterable, Sendable {
    case comma = 0x2C
    case semicolon = 0x3B
    case tab = 0x09
    case pipe = 0x7C
    case colon = 0x3A

    /// What `load` tries on an export, in this order: the separators spreadsheets write.
    public static let exportCandidates: [CSVDelimiter] = [.comma, .semicolon, .tab, .pipe]
    /// What Zoho's Bulk Write detects, in this order (no tab: Zoho does not list it).
    public static let bulkWriteCandidates: [CSVDelimiter] = [.comma, .semicolon, .colon, .pipe]

    /// The one separator detector, for every CSV reader: splits the file's head with each
    /// candidate, and keeps the split `score` rates highest (how much of the header the reader
    /// recognises), the earlier candidate on a tie. A split that cannot be read scores nothing.
    /// When no split scores above zero the first candidate's reading stands, so a file that fits
    /// none gets the same answer, or error, as a reader that never detected separators.
    public static func detect<Head>(among candidates: [CSVDelimiter], read: (CSVDelimiter) throws -> Head,
                                    score: (Head) -> Int) throws -> (head: Head, delimiter: CSVDelimiter) {
        var best: (head: Head, delimiter: CSVDelimiter, score: Int)?
        for delimiter in candidates {
            guard let head = try? read(delimiter) else { continue }
            let points = score(head)
            if points > (best?.score ?? 0) { best = (head, delimiter, points) }
        }
        if let best { return (best.head, best.delimiter) }
        return (try read(candidates[0]), candidates[0])
    }

    /// The character itself, as the `delimiter` key of a `--json` report gives it.
    public var character: String { String(UnicodeScalar(rawValue)) }

    /// How a message names it.
    public var name: String {
        switch self {
        case .comma: return "commas"
        case .semicolon: return "semicolons"
        case .tab: return "tabs"
        case .pipe: return "`|`"
        case .colon: return "colons"
        }
    }
}
