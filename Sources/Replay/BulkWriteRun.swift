import Catalogue
import Engine
import Formats
import Storage

/// Runs a Bulk Write chunk row by row with Bulk Write's find_by rules (docs/zoho-facts.md#exports-and-bulk-write), every
/// decision taken by the one evaluator:
/// - upsert: find_by is the call's `duplicate_check_fields` (by `id`: update a live id, else insert);
/// - update: by `id`, an ordinary update; by a unique field, an upsert that may only update —
///   a row whose value matches no record is not written (`INVALID_DATA` on the field);
/// - insert: with find_by, a row that matches an existing record is skipped (`DUPLICATE_DATA`
///   pointing at it, or the multi-match cause when several hold the value); otherwise an
///   ordinary insert.
struct BulkWriteRun {
    let session: Session
    let explain: Bool

    func run(_ chunk: BulkWriteChunk) throws -> [ReplayedItem] {
        session.startBatch()
        return try chunk.records.enumerated().map { row, record in try self.row(row, record, chunk) }
    }

    private func row(_ row: Int, _ record: Record, _ chunk: BulkWriteChunk) throws -> ReplayedItem {
        func input(_ operation: WriteOperation, _ fields: [String]? = nil) -> EvaluationInput {
            EvaluationInput(module: chunk.module, operation: operation, record: record, row: row, duplicateCheckFields: fields)
        }
        switch (chunk.operation, chunk.findBy) {
        case (.insert, nil), (.update, nil), (.update, "id"?):
            return try write(input(chunk.operation), as: chunk.operation)
        case (.upsert, "id"?):
            return try write(input(try liveID(record, chunk.module) == nil ? .insert : .update), as: .upsert)
        case (.upsert, let field):
            return try write(input(.upsert, field.map { [$0] }), as: .upsert)
        case (.insert, "id"?):
            guard let existing = try liveID(record, chunk.module) else { return try write(input(.insert), as: .insert) }
            var outcome = Outcome(code: .duplicateData, recordID: existing, recordModule: chunk.module, apiName: "id", jsonPath: path(row, "id"))
            outcome.recordModuleID = try session.evaluator.moduleIDs()[chunk.module]
            return ReplayedItem(result: ItemResult(item: ZohoResponse.item(outcome, operation: .insert), verdict: nil,
                                                   reason: "\(chunk.module.singular) \(existing) already has this id, and a Bulk Write insert with find_by id skips rows that match an existing record."))
        case (.insert, let field?):
            let probe = try self.probe(input(.upsert, [field]))
            // Several records hold the value (find_by by the system field, which need not be
            // unique): the row matches existing records all the same, so it is skipped, with
            // the multi-match cause Zoho gives.
            if case .multipleMatches(_, field, _, _) = probe.typedReason { return item(probe, as: .insert) }
            guard let holder = matched(probe, field) else { return try write(input(.insert), as: .insert) }
            var skipped = probe
            skipped.outcome = Outcome(code: .duplicateData, recordID: holder, recordModule: chunk.module, apiName: field, jsonPath: path(row, field))
            skipped.outcome.ownerName = probe.outcome.ownerName
            skipped.outcome.recordModuleID = try session.evaluator.moduleIDs()[chunk.module]
            skipped.reason = "\(chunk.module.singular) \(holder) already holds this \(field), and a Bulk Write insert with find_by \(field) skips rows that match an existing record."
            return item(skipped, as: .insert)
        case (.update, let field?):
            let probe = try self.probe(input(.upsert, [field]))
            if matched(probe, field) != nil { return try write(input(.upsert, [field]), as: .update) }
            guard probe.outcome.isSuccess else { return item(probe, as: .update) }
            var missing = probe
            missing.outcome = Outcome(code: .invalidData, apiName: field, jsonPath: path(row, field))
            let value = record.comparable(field).map { "`\(Matching.visible($0))`" } ?? "no value"
            missing.reason = "No live \(chunk.module.singular) holds \(field) \(value), so a Bulk Write update with find_by \(field) has nothing to update and skips the row."
            return item(missing, as: .update)
        }
    }

    private var depth: EvidenceDepth { explain ? .full : .decision }

    /// An upsert evaluation asked only "which record does find_by name?": the mandatory fields
    /// of an insert do not apply, since this row is never inserted through it. It is a lookup,
    /// not the row's own verdict, so it carries no alternatives even when explaining.
    private func probe(_ input: EvaluationInput) throws -> Verdict {
        var lookup = input
        lookup.skipMandatory = true
        return try session.evaluator.evaluate(lookup, settings: session.settings, batch: session.batch, depth: depth)
    }

    /// The row through the session: evaluated (with its alternatives when explaining) and written.
    private func write(_ input: EvaluationInput, as operation: WriteOperation) throws -> ReplayedItem {
        item(try session.process(input, depth: depth), as: operation)
    }

    private func item(_ verdict: Verdict, as operation: WriteOperation) -> ReplayedItem {
        ReplayedItem(result: ItemResult(verdict: verdict, operation: operation))
    }

    /// The record an upsert evaluation would update through `field`, if that is what it found.
    private func matched(_ probe: Verdict, _ field: String) -> String? {
        guard probe.outcome.isSuccess, probe.outcome.action == .update, probe.outcome.duplicateField == field else { return nil }
        return probe.outcome.recordID
    }

    private func liveID(_ record: Record, _ module: Module) throws -> String? {
        guard let id = RecordID.from(record["id"]) else { return nil }
        return try session.store.find(module: module, id: id) == nil ? nil : id
    }

    private func path(_ row: Int, _ field: String) -> String { JSONPath().key("data").index(row).key(field).description }
}
