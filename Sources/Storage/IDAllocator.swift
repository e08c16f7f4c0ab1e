import Catalogue
import Persistence

/// The highest record id seen or issued (`replica_state`'s `max_id`), so that created ids never
/// collide with loaded ones. Deferred writes keep theirs in `PendingWrites` and note it on flush.
struct IDAllocator {
    let db: Database

    /// Zoho's ids have 19 digits: the first id issued in an empty replica.
    static let firstID: Int64 = 1_000_000_000_000_000_000

    /// The id to issue after `highest`.
    static func next(after highest: Int64) -> Int64 { max(highest + 1, firstID) }

    /// The highest id noted (0 when none).
    func highest() throws -> Int64 {
        Int64(try db.scalarInt("SELECT value FROM replica_state WHERE key = 'max_id'"))
    }

    /// Raises the highest id to `number` (never lowers it).
    func note(_ number: Int64) throws {
        try db.run("""
            INSERT INTO replica_state (key, value) VALUES ('max_id', ?)
            ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)
            """, [.integer(number)])
    }
}
