import Catalogue
import Persistence
import Storage

/// One stored record that holds a value, as an index lookup returns it.
struct Hit: Equatable, Sendable {
    let recordID: String
    let storedValue: String
    let createdTime: String?
    let ownerName: String?
    let ownerID: String?
    let deletedTime: String?
    let deletedBy: String?
    let binType: String?
    /// Found by a value the record held before the batch (`batch_visibility=snapshot`): it
    /// counts although an earlier row updated it.
    var beforeBatch = false
}

extension Hit {
    /// A record held in memory (pending, or kept as it was before the batch) as a live hit on `field`.
    init?(id: String, record: Record, field: String, beforeBatch: Bool = false) {
        guard let value = record.comparable(field) else { return nil }
        self.init(recordID: id, storedValue: value, createdTime: record.text("Created_Time"), ownerName: record.ownerName,
                  ownerID: record.ownerID, deletedTime: nil, deletedBy: nil, binType: nil, beforeBatch: beforeBatch)
    }
}

extension Candidate {
    /// Every candidate is a lookup's hit seen from one check: this is the one place a hit's
    /// columns become a candidate's. It counts exactly when nothing says why not.
    init(_ hit: Hit, module: Module, location: HolderLocation, checkedField: String, field: String,
         match: MatchKind, role: CandidateRole, whyNotCounted: NotCounted?) {
        let binned = location == .recycleBin
        self.init(module: module, location: location, recordID: hit.recordID, checkedField: checkedField, field: field,
                  storedValue: hit.storedValue, match: match, role: role, counts: whyNotCounted == nil,
                  whyNotCounted: whyNotCounted, createdTime: hit.createdTime, ownerName: hit.ownerName, ownerID: hit.ownerID,
                  deletedTime: binned ? hit.deletedTime : nil, deletedBy: binned ? hit.deletedBy : nil)
    }
}

/// The evaluator's SQL: every lookup compares `COLLATE NOCASE` (or on the stored near-miss key)
/// through an index. Table and column names come from `Module`, never from user text; values
/// and field names are bound.
final class HolderLookup {
    let store: RecordStore
    var db: Database { store.db }
    /// Statements already looked up, by what they ask; nil builds each statement's SQL per call.
    let statements: StatementCache?
    /// Set while a replay reads ahead: live lookups it has answered are not run again.
    var readAhead: ReadAhead?

    init(store: RecordStore, statements: StatementCache? = nil) {
        self.store = store
        self.statements = statements
    }

    enum Comparison { case nocase, nearMiss }

    /// The prepared statements of one evaluator, keyed by what they look up rather than by
    /// their SQL text: the hot path neither builds nor hashes SQL strings. The statements are
    /// the connection's own cached ones (`Database.statement`), so `--show-sql` logs them as before.
    final class StatementCache {
        struct Key: Hashable {
            let module: Module
            let field: String
            let comparison: Comparison
            let bin: Bool
        }
        var statements: [Key: Statement] = [:]
    }

    private func statement(_ key: StatementCache.Key, _ sql: () -> String) throws -> Statement {
        guard let statements else { return try db.statement(sql()) }
        if let cached = statements.statements[key] { return cached }
        let statement = try db.statement(sql())
        statements.statements[key] = statement
        return statement
    }

    /// Live holders of `value` in `field` of `module`.
    func live(_ module: Module, field: String, value: String, _ comparison: Comparison) throws -> [Hit] {
        let stored = try readAhead?.hits(module, field: field, value: value, nearMiss: comparison == .nearMiss)
            ?? liveInSQLite(module, field: field, value: value, comparison)
        let pending = store.pendingHolders(module, field: field, value: value, nearMiss: comparison == .nearMiss)
        // A record written while deferring is answered by its pending version; its SQLite row
        // (if any) is the state before the write.
        guard !pending.isEmpty || store.isPending(module, anyOf: stored.map(\.recordID)) else { return stored }
        return stored.filter { !store.isPending(module, id: $0.recordID) } + pending.compactMap { Hit(id: $0.id, record: $0.record, field: field) }
    }

    /// Records an earlier row of the batch updated, found by the values they held before it.
    func beforeBatch(_ records: PreBatchRecords, _ module: Module, field: String, value: String, _ comparison: Comparison) -> [Hit] {
        records.holders(module, field: field, value: value, nearMiss: comparison == .nearMiss).compactMap {
            Hit(id: $0.id, record: $0.record, field: field, beforeBatch: true)
        }
    }

    /// Live holders as SQLite alone holds them (pending records aside).
    func liveInSQLite(_ module: Module, field: String, value: String, _ comparison: Comparison) throws -> [Hit] {
        if comparison == .nearMiss { try store.checkNearMissKeys() }
        let probe = comparison == .nocase ? value : Matching.nearMissKey(value)
        let cacheKey = StatementCache.Key(module: module, field: field, comparison: comparison, bin: false)
        if let key = module.keyColumn(for: field) {
            let implicit = comparison == .nearMiss && module.isPerson
            return try statement(cacheKey) {
                let select = "SELECT id, \(key.column), \(LiveLayout.holderColumnsSQL()) FROM \(module.table) WHERE"
                if implicit { return Self.nearMissUnion(select: select, key: key, prefix: "") }
                let predicate = comparison == .nocase ? "\(key.column) = ? COLLATE NOCASE" : "\(key.keyColumn) = ?"
                return "\(select) \(predicate)"
            }.rows(implicit ? [.text(probe), .text(probe)] : [.text(probe)]) { liveHit($0) }
        }
        return try statement(cacheKey) {
            let predicate = comparison == .nocase ? "f.value = ? COLLATE NOCASE" : "f.value_key = ?"
            return """
                SELECT t.id, f.value, \(LiveLayout.holderColumnsSQL(table: "t."))
                FROM field_values AS f JOIN \(module.table) AS t ON t.id = f.record_id
                WHERE f.module = ? AND f.field = ? AND \(predicate) AND f.location = 'live'
                """
        }.rows([.text(module.rawValue), .text(field), .text(probe)]) { liveHit($0) }
    }

    /// Recycle-bin holders of `value` in `field` of `module` (rows whose fields are known).
    func bin(_ module: Module, field: String, value: String, _ comparison: Comparison) throws -> [Hit] {
        if comparison == .nearMiss { try store.checkNearMissKeys() }
        let probe = comparison == .nocase ? value : Matching.nearMissKey(value)
        let columns = "b.id, %@, b.Created_Time, b.Owner_Name, b.Owner_Id, b.deleted_time, b.deleted_by_name, b.type"
        let cacheKey = StatementCache.Key(module: module, field: field, comparison: comparison, bin: true)
        if let key = RecycleBin.keyColumn(for: field) {
            let implicit = comparison == .nearMiss && field != "Campaign_Name"
            return try statement(cacheKey) {
                let select = "SELECT \(columns.replacingOccurrences(of: "%@", with: "b.\(key.column)")) FROM recycle_bin AS b WHERE b.module = ? AND"
                if implicit { return Self.nearMissUnion(select: select, key: key, prefix: "b.") }
                let predicate = comparison == .nocase ? "b.\(key.column) = ? COLLATE NOCASE" : "b.\(key.keyColumn) = ?"
                return "\(select) \(predicate)"
            }.rows(implicit ? [.text(module.rawValue), .text(probe), .text(module.rawValue), .text(probe)]
                   : [.text(module.rawValue), .text(probe)]) { binHit($0) }
        }
        return try statement(cacheKey) {
            let predicate = comparison == .nocase ? "f.value = ? COLLATE NOCASE" : "f.value_key = ?"
            return """
                SELECT \(columns.replacingOccurrences(of: "%@", with: "f.value"))
                FROM field_values AS f JOIN recycle_bin AS b ON b.id = f.record_id
                WHERE f.module = ? AND f.field = ? AND \(predicate) AND f.location = 'recycle_bin'
                """
        }.rows([.text(module.rawValue), .text(field), .text(probe)]) { binHit($0) }
    }

    /// A near-miss lookup on a people's key column (`select` ends in `WHERE` or `AND`; the probe K
    /// is bound once per part). The column stores its key only where the key differs from the
    /// value ASCII-lower-cased (`Matching.storedKey`), so the rows keyed K are those whose stored
    /// key is K, plus those with no stored key whose value equals K under NOCASE (K is lower case).
    /// Each part searches its own partial index.
    static func nearMissUnion(select: String, key: KeyColumn, prefix: String) -> String {
        """
        \(select) \(prefix)\(key.keyColumn) = ?
        UNION ALL
        \(select) \(prefix)\(key.column) = ? COLLATE NOCASE AND \(prefix)\(key.keyColumn) IS NULL
        """
    }

    private func liveHit(_ row: Row) -> Hit {
        Hit(recordID: row.text(0) ?? "", storedValue: row.text(1) ?? "", createdTime: row.text(2), ownerName: row.text(3),
            ownerID: row.text(4), deletedTime: nil, deletedBy: nil, binType: nil)
    }

    private func binHit(_ row: Row) -> Hit {
        Hit(recordID: row.text(0) ?? "", storedValue: row.text(1) ?? "", createdTime: row.text(2), ownerName: row.text(3),
            ownerID: row.text(4), deletedTime: row.text(5), deletedBy: row.text(6), binType: row.text(7))
    }
}

