import Catalogue
import Engine

/// One record through the session: evaluated and written as the engine does it. When
/// explaining, the evaluator is first asked which other setting values would change the
/// answer, against the state *before* the write (afterwards the record would match itself).
struct RecordStep {
    let session: Session

    func run(_ input: EvaluationInput, explain: Bool, depth: EvidenceDepth) throws -> (verdict: Verdict, dependsOn: [SettingAlternative]) {
        guard explain else { return (try session.process(input, depth: depth), []) }
        let baseline = try session.evaluate(input, depth: .decision)
        let dependsOn = try alternatives(input, baseline: baseline)
        return (try session.process(input, depth: depth), dependsOn)
    }

    private func alternatives(_ input: EvaluationInput, baseline: Verdict) throws -> [SettingAlternative] {
        try session.evaluator.alternatives(input, settings: session.settings, batch: session.batch, baseline: baseline)
            .map { SettingAlternative(key: $0.key, value: $0.value, verdict: $0.verdict) }
    }

    /// `depends_on` for every record of a REST records call, computed in a rolled-back
    /// savepoint: the caller then runs the call itself through `Session.handle`, so the
    /// envelope and HTTP status are the engine's own.
    func dependsOn(_ request: RecordsRequest) throws -> [[SettingAlternative]] {
        guard request.records.count <= session.settings.batchLimit else { return [] }
        return try session.store.db.dryRun {
            session.startBatch()
            return try request.records.enumerated().map { row, record in
                let input = EvaluationInput(module: request.module, operation: request.operation, record: record, row: row,
                                            duplicateCheckFields: request.duplicateCheckFields)
                return try run(input, explain: true, depth: .decision).dependsOn
            }
        }
    }
}
