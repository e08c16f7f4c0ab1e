import Engine

extension Settings.Key {
    /// What the setting decides, in the words an admin reads on the Settings page: each one is a
    /// behaviour Zoho leaves undocumented, so a page that shows only `match=nocase` says nothing.
    var decides: String {
        switch self {
        case .recycleBinCounts: return "Whether records in the recycle bin match and block an import."
        case .batchVisibility: return "Whether a record sees the records written by earlier rows of the same batch."
        case .multiMatch: return "A value held by several records: DUPLICATE_DATA, or update the oldest."
        case .crossModuleOnUpsert: return "Whether upsert applies the Leads → Contacts duplicate-check preference (insert and update always do)."
        case .match: return "What counts as the same value: ASCII case only (nocase), or also near misses and Unicode look-alikes (unicode)."
        case .rerelate: return "Re-adding an existing campaign member: overwrite Member_Status (update), or do nothing (skip)."
        case .multipleErrors: return "A record with several unique-field clashes: one MULTIPLE_OR_MULTI_ERRORS wrapping each (wrap), or the first only."
        case .phoneLetters: return "Whether a phone may hold letters such as “ext 12” (Zoho's answers refuse them in Phone)."
        case .batchLimit: return "Records per request; more fails the whole request with LIMIT_EXCEEDED."
        }
    }
}
