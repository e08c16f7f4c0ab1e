import Catalogue
import Engine
import Persistence
import Storage

/// Turns an `Evaluation` into a `WhyReport`: one entry per holder, the campaigns of each, and
/// advice derived from what the engine found.
struct ReportBuilder {
    let db: Database
    let question: WhyQuestion
    let field: String
    let catalogue: FieldCatalogue
    let evaluation: Evaluation

    func build() throws -> WhyReport {
        let verdict = evaluation.verdict
        // The engine lists each holder once and knows what the operation looks up: nothing to re-derive.
        let candidates = verdict.candidates
        let matches = try candidates.map { Match(candidate: $0, campaigns: try campaigns(of: $0)) }
        let checked = verdict.checkedFields.contains(field)
        let context = AdviceContext(value: question.value, field: field, fieldChecked: checked, verdict: verdict,
                                    candidates: candidates, dependsOn: evaluation.dependencies, record: evaluation.record)
        return WhyReport(value: question.value, module: question.module, operation: question.operation, field: field,
                         fieldChecked: checked,
                         settings: verdict.settings, checkPattern: verdict.pattern, verdict: VerdictSummary(verdict),
                         matches: matches, dependsOn: evaluation.dependencies, advice: Advice.advice(for: context),
                         notes: verdict.notes.map(\.text) + rowNote(), batch: evaluation.position, sql: evaluation.sql,
                         calibration: Settings.calibrationNote(verdict.settings, sources: try Settings.sources(db)))
    }

    /// Memberships of a matched person (issue 5: `why` lists them). A record an earlier batch
    /// row created has none; an index on (member_module, member_id) keeps this a lookup.
    private func campaigns(of candidate: Candidate) throws -> [CampaignMembership] {
        if case .batch = candidate.location { return [] }
        guard candidate.module.isPerson else { return [] }
        return try CampaignMembers(db: db).campaigns(of: candidate.module, member: candidate.recordID).map {
            CampaignMembership(campaignID: $0.id, campaignName: $0.name, memberStatus: $0.memberStatus)
        }
    }

    /// A batch row is evaluated as the batch holds it; say so when that is not byte for byte
    /// the value typed (a pasted email often loses the invisible character that is the answer).
    private func rowNote() -> [String] {
        guard let position = evaluation.position, let held = evaluation.record.text(field),
              !held.utf8.elementsEqual(question.value.utf8) else { return [] }
        return ["Row \(position.row) holds \(field) `\(Matching.visible(held))`, not byte for byte the value given "
                + "(`\(Matching.visible(question.value))`); the row is evaluated as the batch holds it."]
    }
}
