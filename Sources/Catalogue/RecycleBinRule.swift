import Foundation

/// When a recycle-bin row stops counting: Zoho keeps deleted records restorable for 60 days,
/// and lists a permanent deletion by id only (docs/zoho-facts.md#recycle-bin). The evaluator's
/// lookups and the restore call both ask here, so the window exists once.
public enum RecycleBinRule {
    public static let purgeDays = 60

    /// True for a permanent deletion, or a row deleted more than `purgeDays` before `asOf`. A row
    /// whose deletion time is missing or unreadable is kept (it may still be restored).
    public static func isPurged(type: String?, deletedTime: String?, asOf: Date) -> Bool {
        if type == "permanent" { return true }
        guard let deleted = deletedTime.flatMap(Timestamps.parse) else { return false }
        return asOf.timeIntervalSince(deleted) > Double(purgeDays) * 86_400
    }
}
