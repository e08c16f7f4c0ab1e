import Catalogue

/// The records an earlier row of a batch updated, as they stood before the batch.
///
/// Why: under `batch_visibility=snapshot` a later row must still find such a record by the
/// values it had before the batch (docs/rules.md#the-batch), but SQLite, or the pending
/// overlay, now holds its new values. Kept in the overlay's own indexes, which compare exactly
/// as the SQL lookups do, so finding them stays a key probe, never a scan.
public final class PreBatchRecords {
    private let records = PendingWrites()

    public init() {}

    public var isEmpty: Bool { records.isEmpty }

    public func holds(_ module: Module, id: String) -> Bool { records.holds(module, id: id) }

    /// Keeps `record` as `id`'s pre-batch state unless one is kept already: only the first
    /// update of a batch sees the record as it was before the batch.
    public func keep(_ record: Record, id: String, module: Module, store: RecordStore) throws {
        guard !records.holds(module, id: id) else { return }
        records.put(record, id: id, module: module, inserted: false, indexedFields: try store.indexedFields(module))
    }

    /// Kept records of `module` whose pre-batch `field` equals `value` under NOCASE (`nearMiss`
    /// false) or has its near-miss key (`nearMiss` true).
    public func holders(_ module: Module, field: String, value: String, nearMiss: Bool) -> [(id: String, record: Record)] {
        guard records.holdsAny(module) else { return [] }
        return records.holders(module, field: field, value: value, nearMiss: nearMiss)
    }
}
