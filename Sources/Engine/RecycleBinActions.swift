import Catalogue
import Formats
import Persistence
import Storage

extension Session {
    /// `DELETE /{Module}?ids=`: live records move to the recycle bin with deleted_time and
    /// deleted_by; their campaign memberships stay, inactive while they are there.
    public func delete(module: Module, ids: [String]) throws -> [ItemResult] {
        guard ids.count <= settings.batchLimit else {
            return [ItemResult(item: ZohoResponse.requestError(Outcome(code: .limitExceeded), limit: settings.batchLimit),
                               verdict: nil, reason: "More than \(settings.batchLimit) ids in one delete call.")]
        }
        let deletion = Deletion(time: Timestamps.format(now()), byName: actor.name, byID: actor.id)
        return try ids.map { id in
            guard RecordID.isValid(id), try store.moveToBin(module: module, id: id, deletion: deletion) else {
                return ItemResult(item: ZohoResponse.invalidID(id), verdict: nil,
                                  reason: "No live \(module.singular) has the id \(id), so there is nothing to delete.")
            }
            return ItemResult(item: ZohoResponse.success(id: id, message: .recordDeleted), verdict: nil,
                              reason: "\(module.singular) \(id) moves to the recycle bin.")
        }
    }

    /// The restore calls: a bin row comes back unless it is purged, or a unique field it holds
    /// now belongs to another record (then `DUPLICATE_DATA`, found by the same evaluator).
    public func restore(ids: [String]) throws -> [ItemResult] {
        try ids.enumerated().map { index, id in
            guard let binned = try store.findInBin(id: id) else {
                return ItemResult(item: ZohoResponse.invalidID(id), verdict: nil, reason: "The recycle bin holds no record with the id \(id).")
            }
            let purged = RecycleBinRule.isPurged(type: binned.deletion?.type, deletedTime: binned.deletion?.time, asOf: evaluator.asOf)
            guard !purged, binned.fieldsKnown else {
                let why = purged ? "was deleted more than \(RecycleBinRule.purgeDays) days before the reference date and counts as purged"
                                 : "is known only from the deleted-records list, without its fields"
                return ItemResult(item: ZohoResponse.invalidID(id), verdict: nil, reason: "\(binned.module.singular) \(id) \(why); it cannot be restored.")
            }
            var input = EvaluationInput(module: binned.module, operation: .insert, record: binned.record, row: index)
            input.restoring = true
            let verdict = try evaluator.evaluate(input, settings: settings)
            guard verdict.outcome.isSuccess else {
                return ItemResult(item: ZohoResponse.item(verdict.outcome, operation: .insert), verdict: verdict,
                                  reason: "Restoring \(binned.module.singular) \(id) would break a unique field: " + verdict.reason)
            }
            _ = try store.restoreFromBin(id: id)
            return ItemResult(item: ZohoResponse.success(id: id, message: .recordRestored), verdict: verdict,
                              reason: "\(binned.module.singular) \(id) is back among the live records.")
        }
    }
}
