import Catalogue

/// Which of two versions of a record is the newer, by `Modified_Time`: exports are snapshots,
/// and loading an older one after a newer one must not take records back in time.
enum Staleness {
    /// True when the replica's version (`stored`) was modified at a later instant than the one
    /// being loaded (`incoming`). Times are compared as instants (`+05:30` and `Z` alike) where
    /// both parse as ISO 8601 (or `YYYY-MM-DD HH:MM:SS`, taken as UTC). When either is missing,
    /// equal, or in a form that does not parse (a UI export in a locale's own date format), this
    /// is false: the later load wins, as it always did.
    static func isStale(incoming: String?, stored: String?) -> Bool {
        guard let incoming, let stored, incoming != stored,
              let new = Timestamps.parse(incoming), let old = Timestamps.parse(stored) else { return false }
        return old > new
    }
}
