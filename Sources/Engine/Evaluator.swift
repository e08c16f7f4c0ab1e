import Catalogue
import Formats
import Foundation
import Persistence
import Storage

/// What earlier records of the running batch wrote: the evaluator labels their records as
/// batch holders, and under `batch_visibility=snapshot` does not count them by their new
/// values; a record that existed before the batch still counts by the values in `preBatch`.
public struct BatchContext {
    public var createdByRow: [String: Int] = [:]
    public var updatedByRow: [String: Int] = [:]
    /// Kept by `Session` under snapshot (or for its what-if answers): a class shared by the
    /// copies of one batch's context, fresh for each batch.
    public let preBatch = PreBatchRecords()
    public init() {}

    func row(of id: String) -> Int? { createdByRow[id] ?? updatedByRow[id] }
}

/// How much evidence to gather. `decision` runs only the lookups that can change the outcome
/// (replay's hot path); `full` also reports holders that do not count (why, --explain).
public enum EvidenceDepth: Sendable { case decision, full }

/// One record to evaluate.
public struct EvaluationInput: Sendable {
    public var module: Module
    public var operation: WriteOperation
    public var record: Record
    public var row: Int
    public var duplicateCheckFields: [String]?
    /// `why` without a batch asks only about duplicates: mandatory fields are not required.
    public var skipMandatory: Bool
    /// A record coming back from the recycle bin: only its unique fields are checked, against
    /// every record but itself (docs/rules.md#the-recycle-bin).
    public var restoring = false

    public init(module: Module, operation: WriteOperation, record: Record, row: Int = 0,
                duplicateCheckFields: [String]? = nil, skipMandatory: Bool = false) {
        self.module = module
        self.operation = operation
        self.record = record
        self.row = row
        self.duplicateCheckFields = duplicateCheckFields
        self.skipMandatory = skipMandatory
    }
}

/// The duplicate-rule evaluator (docs/rules.md#one-record-of-an-upsert): reads only, never writes. Its `Verdict`
/// is the one evaluation that replay, why and every other front end render.
public final class Evaluator {
    public let store: RecordStore
    /// Bin rows deleted more than `RecycleBinRule.purgeDays` before this date count as purged.
    public var asOf: Date
    /// One lookup for every evaluation, with its statements found once.
    let lookup: HolderLookup
    /// The Leads duplicate-check preference, read once per batch rather than once per record.
    /// A batch (`Session.startBatch`) writes records only, never the preference; outside a
    /// session's batch every evaluation reads it afresh, as before.
    private var preference: (scope: Int, generation: Int, value: DuplicateCheckPreference?)?
    /// Set by `Session.startBatch`: the batch the cached preference belongs to; nil outside one.
    var preferenceScope: Int?

    public init(store: RecordStore, asOf: Date = Date()) {
        self.store = store
        self.asOf = asOf
        lookup = HolderLookup(store: store, statements: HolderLookup.StatementCache())
    }

    func leadsPreference() throws -> DuplicateCheckPreference? {
        guard let scope = preferenceScope else { return try DuplicateCheckPreference.load(store.db, module: .leads) }
        if let preference, preference.scope == scope, preference.generation == store.generation { return preference.value }
        let value = try DuplicateCheckPreference.load(store.db, module: .leads)
        preference = (scope, store.generation, value)
        return value
    }

    /// Zoho's module ids (`settings/modules`), cached like the preference: read once per batch
    /// and generation, so that replay's hot path never asks SQLite for them record by record.
    private var moduleIDCache: (scope: Int, generation: Int, ids: [Module: String])?

    /// The ids `duplicate_record.module` carries, by module: a module is absent (JSON null)
    /// when no module metadata gave its id, since module ids differ from org to org.
    public func moduleIDs() throws -> [Module: String] {
        guard let scope = preferenceScope else { return try ModuleIDs.known(store.db) }
        if let moduleIDCache, moduleIDCache.scope == scope, moduleIDCache.generation == store.generation { return moduleIDCache.ids }
        let ids = try ModuleIDs.known(store.db)
        moduleIDCache = (scope, store.generation, ids)
        return ids
    }

    public func evaluate(_ input: EvaluationInput, settings: Settings, batch: BatchContext = BatchContext(),
                         depth: EvidenceDepth = .decision) throws -> Verdict {
        var run = try Run(evaluator: self, input: input, settings: settings, batch: batch, depth: depth)
        return try run.evaluate()
    }

    /// The settings `alternatives` tries every other value of: those that can change a record's
    /// verdict (rerelate touches memberships only; batch_limit refuses whole requests).
    public static let alternativeKeys: [Settings.Key] = [.recycleBinCounts, .match, .multiMatch, .crossModuleOnUpsert, .batchVisibility,
                                                         .multipleErrors, .phoneLetters]

    /// For each setting whose other value would change the outcome (its `answer`): that value and the
    /// verdict then, evaluated at decision depth against the same state and batch as `baseline`.
    public func alternatives(_ input: EvaluationInput, settings: Settings, batch: BatchContext = BatchContext(),
                             baseline: Verdict) throws -> [Alternative] {
        var result: [Alternative] = []
        for key in Self.alternativeKeys {
            for other in settings.alternatives(key) {
                let verdict = try evaluate(input, settings: other, batch: batch, depth: .decision)
                if verdict.answer != baseline.answer {
                    result.append(Alternative(setting: key, value: other.value(key), verdict: verdict))
                }
            }
        }
        return result
    }

    /// The check pattern of the last call, kept: every record of a request has the same one.
    private var lastPattern: (module: Module, generation: Int, fields: [String]?, pattern: CheckPattern)?

    func pattern(_ module: Module, catalogue: FieldCatalogue, duplicateCheckFields: [String]?) -> CheckPattern {
        if let lastPattern, lastPattern.module == module, lastPattern.generation == store.generation,
           lastPattern.fields == duplicateCheckFields {
            return lastPattern.pattern
        }
        let pattern = CheckPattern(module: module, catalogue: catalogue, duplicateCheckFields: duplicateCheckFields)
        lastPattern = (module, store.generation, duplicateCheckFields, pattern)
        return pattern
    }

    /// The live record `id` of `module`: pending, read ahead, or from SQLite.
    func liveRecord(_ module: Module, id: String) throws -> Record? {
        if let pending = store.pendingRecord(module, id: id) { return pending }
        if let ahead = lookup.readAhead?.record(module, id: id) { return ahead }
        return try store.find(module: module, id: id)?.record
    }

    func isPurged(_ hit: Hit) -> Bool {
        RecycleBinRule.isPurged(type: hit.binType, deletedTime: hit.deletedTime, asOf: asOf)
    }
}

/// One evaluation in progress.
private struct Run {
    let evaluator: Evaluator
    let input: EvaluationInput
    let settings: Settings
    let batch: BatchContext
    let depth: EvidenceDepth
    let catalogue: FieldCatalogue
    let pattern: CheckPattern
    let preference: DuplicateCheckPreference?
    let moduleIDs: [Module: String]
    var candidates: [Candidate] = []
    var notes: [Note] = []
    /// Lookups already run for this record: the pattern walk and the unique check often ask twice.
    /// A few entries, searched in order: cheaper than hashing the value.
    var memo: [(key: HitsKey, live: [Hit], bin: [Hit])] = []

    struct HitsKey: Hashable {
        let field: String
        let value: String
    }

    init(evaluator: Evaluator, input: EvaluationInput, settings: Settings, batch: BatchContext, depth: EvidenceDepth) throws {
        self.evaluator = evaluator
        self.input = input
        self.settings = settings
        self.batch = batch
        self.depth = depth
        catalogue = try evaluator.store.catalogue(input.module)
        pattern = evaluator.pattern(input.module, catalogue: catalogue, duplicateCheckFields: input.duplicateCheckFields)
        preference = input.module == .leads ? try evaluator.leadsPreference() : nil
        moduleIDs = try evaluator.moduleIDs()
    }

    var module: Module { input.module }
    var record: Record { input.record }
    /// `Verdict.checkedFields`.
    var checkedFields: [String] {
        guard input.operation != .upsert else { return pattern.fields }
        let mapped = preference.map { $0.checksContacts ? $0.mappings.map(\.currentField) : [] } ?? []
        let unique = pattern.uniqueOrder(catalogue)
        return unique + mapped.filter { !unique.contains($0) }
    }
    func path(_ field: String) -> String { JSONPath().key("data").index(input.row).key(field).description }

    mutating func evaluate() throws -> Verdict {
        noteFields()
        var target: Candidate?
        var targetRecord: Record?
        var duplicateField: String?

        if input.operation == .update {
            guard let id = RecordID.from(record["id"]), let stored = try evaluator.liveRecord(module, id: id) else {
                let given = record.text("id") ?? "none"
                return try finish(Outcome(code: .invalidData, recordID: nil, apiName: "id", jsonPath: path("id")),
                                  reason: .noRecordToUpdate(module: module, id: given))
            }
            targetRecord = stored
        }
        // Step 1, validation, comes before any duplicate check under every setting and check
        // pattern: an insert's mandatory fields, then every value against its field's type. Upsert
        // knows whether it inserts only once it has looked for its target, so its mandatory fields wait for that.
        if input.operation == .insert, let missing = try missingMandatory() { return missing }
        if !input.restoring, let invalid = try invalidValue() { return invalid }

        if input.operation == .upsert {
            switch try findTarget() {
            case .none: break
            case .target(let candidate, let field):
                target = candidate
                duplicateField = field
                targetRecord = try evaluator.liveRecord(module, id: candidate.recordID)
            case .failure(let outcome, let reason):
                return try finish(outcome, reason: reason)
            }
        }

        let inserting = input.operation == .insert || (input.operation == .upsert && targetRecord == nil)
        if input.operation == .upsert, inserting, let missing = try missingMandatory() { return missing }

        let written = targetRecord.map { record.merged(over: $0) } ?? record
        let excluded = target?.recordID ?? RecordID.from(record["id"]).flatMap { input.operation == .update || input.restoring ? $0 : nil }
        if !input.restoring, input.operation != .upsert || settings.crossModuleOnUpsert, let failure = try checkPreference(written) {
            return try finish(failure.0, reason: failure.1)
        }
        if let failure = try checkUniqueFields(written, excluding: excluded) {
            return try finish(failure.0, reason: failure.1)
        }

        var outcome = Outcome(code: .success, action: inserting ? .insert : .update,
                              duplicateField: duplicateField, recordID: excluded, recordModule: module)
        outcome.ownerName = target?.ownerName
        var verdict = try finish(outcome, reason: successReason(inserting: inserting, target: target, field: duplicateField))
        verdict.written = written
        return verdict
    }

    // MARK: Step 1: validation

    /// MANDATORY_NOT_FOUND for the first system-mandatory field the new record lacks.
    mutating func missingMandatory() throws -> Verdict? {
        guard !input.skipMandatory, !input.restoring else { return nil }
        for field in catalogue.fields where field.systemMandatory && record.comparable(field.apiName) == nil {
            return try finish(Outcome(code: .mandatoryNotFound, apiName: field.apiName, jsonPath: path(field.apiName)),
                              reason: .mandatoryMissing(module: module, field: field.apiName))
        }
        return nil
    }

    /// INVALID_DATA for the first field, in the order the record sends them, whose value its type
    /// does not take (Zoho answers one error per record). `id` is checked as the record to update,
    /// and unknown fields are ignored, as Zoho ignores them.
    mutating func invalidValue() throws -> Verdict? {
        let phoneLetters = settings.phoneLetters == .allow
        for (name, value) in record.fields where name != "id" {
            guard let rule = catalogue.valueRule(name), let problem = rule.problem(with: value, phoneLetters: phoneLetters) else { continue }
            var outcome = Outcome(code: .invalidData, apiName: name, jsonPath: path(name))
            outcome.expectedDataType = rule.type.rawValue
            outcome.maximumLength = rule.maximumLength(for: problem)
            let shown: String
            if case .string(let text) = value { shown = text } else { shown = JSON.write(value) }
            return try finish(outcome, reason: .invalidValue(field: name, value: shown, type: rule.type, problem: problem))
        }
        return nil
    }

    // MARK: Step 2: the upsert's target

    enum TargetSearch {
        case none
        case target(Candidate, field: String)
        case failure(Outcome, Reason)
    }

    mutating func findTarget() throws -> TargetSearch {
        var decided: TargetSearch = .none
        var decidingField: String?
        for field in pattern.fields {
            guard let value = record.comparable(field) else { continue }
            var found = try holders(of: value, field: field, role: .match)
            if let preference, preference.checksContacts {
                found += try mappedHolders(of: value, field: field, preference: preference,
                                           whyNot: settings.crossModuleOnUpsert ? nil : .crossModuleOnUpsertOff)
            }
            if let decidingField {
                // Later fields are shown, but the check pattern stopped earlier.
                record(found.map { $0.counts ? $0.notCounted(.patternStopped(at: decidingField)) : $0 })
                continue
            }
            record(found)
            let counting = found.filter(\.counts)
            guard !counting.isEmpty else { continue }
            decidingField = field
            decided = decide(field: field, value: value, counting: counting)
            if depth == .decision { break }
        }
        return decided
    }

    func decide(field: String, value: String, counting: [Candidate]) -> TargetSearch {
        let blockers = counting.filter { $0.location == .recycleBin || $0.module != module }
        if let blocker = oldest(blockers) {
            let held = HeldValue(field: field, value: value, holder: blocker.module, id: blocker.recordID)
            return .failure(duplicate(field: field, holder: blocker, more: counting.count > 1),
                            blocker.location == .recycleBin
                                ? .upsertBlockedByRecycleBin(held, deletedTime: blocker.deletedTime)
                                : .upsertBlockedByMappedContact(held))
        }
        if counting.count == 1, let only = counting.first {
            return .target(only, field: field)
        }
        let sorted = counting.sorted(by: Self.older)
        switch settings.multiMatch {
        case .error:
            return .failure(duplicate(field: field, holder: sorted[0], more: true),
                            .multipleMatches(module: module, field: field, value: value, holders: sorted.map(\.recordID)))
        case .oldest:
            return .target(sorted[0], field: field)
        }
    }

    // MARK: Step 3: unique fields, and the Leads preference

    /// Every clash, in check-pattern order: one is `DUPLICATE_DATA`; several are one
    /// `MULTIPLE_OR_MULTI_ERRORS` wrapping each (`multiple_errors=wrap`), or the first alone.
    mutating func checkUniqueFields(_ written: Record, excluding target: String?) throws -> (Outcome, Reason)? {
        let wrap = settings.multipleErrors == .wrap
        var clashes: [(outcome: Outcome, reason: Reason)] = []
        for field in pattern.uniqueOrder(catalogue) {
            guard let value = written.comparable(field) else { continue }
            let found = try holders(of: value, field: field, role: .uniqueClash).filter { $0.recordID != target }
            let clashing = found.filter { $0.counts && $0.module == module }
            record(found)
            guard let holder = oldest(clashing), clashes.isEmpty || wrap else { continue }
            let held = HeldValue(field: field, value: value, holder: holder.module, id: holder.recordID)
            clashes.append((duplicate(field: field, holder: holder, more: clashing.count > 1),
                            .uniqueClash(held, keptFromTarget: record.comparable(field) == nil, inRecycleBin: holder.location == .recycleBin)))
            if depth == .decision && !wrap { break }
        }
        guard clashes.count > 1 else { return clashes.first }
        var outcome = Outcome(code: .multipleErrors)
        outcome.errors = clashes.map(\.outcome)
        return (outcome, .severalClashes(clashes.map(\.reason)))
    }

    /// Adds holders to the evidence, each record and field once: a holder already listed is
    /// replaced when the new sighting counts and the listed one does not (a pattern-walk holder
    /// that clashes), so front ends show the verdict's candidates as they are.
    mutating func record(_ found: [Candidate]) {
        for candidate in found {
            if let index = candidates.firstIndex(where: { $0.isSameHolder(as: candidate) }) {
                if candidate.counts && !candidates[index].counts { candidates[index] = candidate }
            } else {
                candidates.append(candidate)
            }
        }
    }

    mutating func checkPreference(_ written: Record) throws -> (Outcome, Reason)? {
        guard let preference, preference.checksContacts else { return nil }
        for mapping in preference.mappings {
            guard let value = written.comparable(mapping.currentField) else { continue }
            let found = try mappedHolders(of: value, field: mapping.currentField, preference: preference, whyNot: nil)
            record(found)
            if let holder = oldest(found.filter(\.counts)) {
                let held = HeldValue(field: mapping.currentField, value: value, holder: holder.module, id: holder.recordID)
                return (duplicate(field: mapping.currentField, holder: holder, more: found.filter(\.counts).count > 1),
                        .preferenceClash(held, mappedField: mapping.mappedField))
            }
        }
        return nil
    }

    // MARK: Lookups

    /// Holders of `value` in `field`: live records of the module (and earlier rows of the batch),
    /// the recycle bin, and near misses, each with whether it counts under these settings.
    mutating func holders(of value: String, field: String, role: CandidateRole) throws -> [Candidate] {
        let key = HitsKey(field: field, value: value)
        let hits: (live: [Hit], bin: [Hit])
        if let cached = memo.first(where: { $0.key == key }) {
            hits = (cached.live, cached.bin)
        } else {
            let lookup = evaluator.lookup
            let wantNear = settings.match == .unicode || depth == .full
            var live: [Hit] = []
            if settings.batchVisibility == .snapshot, !batch.preBatch.isEmpty {
                // First, so that a record found by its pre-batch value is not also taken by its new one.
                live = lookup.beforeBatch(batch.preBatch, module, field: field, value: value, .nocase)
                if wantNear { live += lookup.beforeBatch(batch.preBatch, module, field: field, value: value, .nearMiss) }
            }
            live += try lookup.live(module, field: field, value: value, .nocase)
            if wantNear { live += try lookup.live(module, field: field, value: value, .nearMiss) }
            var bin: [Hit] = []
            if settings.recycleBinCounts || depth == .full {
                bin = try lookup.bin(module, field: field, value: value, .nocase)
                if wantNear { bin += try lookup.bin(module, field: field, value: value, .nearMiss) }
            }
            hits = (uniqueHits(live), uniqueHits(bin))
            memo.append((key, hits.live, hits.bin))
        }
        return hits.live.compactMap { liveCandidate($0, value: value, field: field, role: role) }
            + hits.bin.compactMap { binCandidate($0, value: value, field: field, role: role) }
    }

    /// Contacts holding the value of a Lead field through the preference's mapping.
    /// `whyNot`: why none of them counts whatever its match, or nil when they may.
    func mappedHolders(of value: String, field: String, preference: DuplicateCheckPreference,
                       whyNot: NotCounted?) throws -> [Candidate] {
        let lookup = evaluator.lookup
        var result: [Candidate] = []
        for mapping in preference.mappings where mapping.currentField == field {
            var hits = try lookup.live(mapping.mappedModule, field: mapping.mappedField, value: value, .nocase)
            if settings.match == .unicode || depth == .full {
                hits += try lookup.live(mapping.mappedModule, field: mapping.mappedField, value: value, .nearMiss)
            }
            for hit in uniqueHits(hits) {
                guard let kind = Matching.classify(given: value, stored: hit.storedValue) else { continue }
                let kindCounts = kind.isNocaseMatch || settings.match == .unicode
                result.append(Candidate(hit, module: mapping.mappedModule, location: .live, checkedField: field,
                                        field: mapping.mappedField, match: kind, role: .mappedModule,
                                        whyNotCounted: kindCounts ? whyNot : .nearMiss(kind)))
            }
        }
        return result
    }

    func liveCandidate(_ hit: Hit, value: String, field: String, role: CandidateRole) -> Candidate? {
        guard let kind = Matching.classify(given: value, stored: hit.storedValue) else { return nil }
        let batchRow = batch.row(of: hit.recordID)
        let createdInBatch = batch.createdByRow[hit.recordID]
        var why: NotCounted?
        if !(kind.isNocaseMatch || settings.match == .unicode) { why = .nearMiss(kind) }
        if let batchRow, !hit.beforeBatch, settings.batchVisibility == .snapshot, why == nil { why = .writtenByBatchRow(batchRow) }
        return Candidate(hit, module: module, location: createdInBatch.map { .batch(row: $0) } ?? .live,
                         checkedField: field, field: field, match: kind, role: role, whyNotCounted: why)
    }

    func binCandidate(_ hit: Hit, value: String, field: String, role: CandidateRole) -> Candidate? {
        guard let kind = Matching.classify(given: value, stored: hit.storedValue) else { return nil }
        var why: NotCounted?
        if evaluator.isPurged(hit) {
            why = hit.binType == "permanent" ? .permanentlyDeleted : .purged(deletedTime: hit.deletedTime)
        } else if !settings.recycleBinCounts {
            why = .inRecycleBin
        } else if !(kind.isNocaseMatch || settings.match == .unicode) {
            why = .nearMiss(kind)
        }
        return Candidate(hit, module: module, location: .recycleBin, checkedField: field, field: field,
                         match: kind, role: role, whyNotCounted: why)
    }

    func uniqueHits(_ hits: [Hit]) -> [Hit] {
        var seen = Set<String>()
        return hits.filter { seen.insert($0.recordID).inserted }
    }

    // MARK: Evidence for explanations

    /// Holders that cannot count but that a user asking "who has this email?" must see: the
    /// other person module, and the module's other email fields.
    mutating func gatherEvidence() throws {
        var evidence: [Candidate] = []
        let emailFields = record.fields.keys.filter { catalogue.field($0)?.isEmail == true || $0 == module.systemDuplicateField }
        for field in emailFields {
            guard let value = record.comparable(field) else { continue }
            if !memo.contains(where: { $0.key == HitsKey(field: field, value: value) }) {
                // The operation never looked this field up; its holders are shown, not counted.
                let reason: NotCounted = input.operation == .upsert
                    ? .notInCheckPattern(field: field) : .notUnique(field: field, operation: input.operation)
                evidence += try holders(of: value, field: field, role: .evidence).map { $0.notCounted(reason) }
            }
            if module.isPerson {
                let other: Module = module == .contacts ? .leads : .contacts
                let mappedCounts = candidates.contains { $0.role == .mappedModule && $0.module == other }
                if !mappedCounts {
                    for hit in try shownHolders(other, field: field, value: value) {
                        guard let kind = Matching.classify(given: value, stored: hit.storedValue) else { continue }
                        evidence.append(Candidate(hit, module: other, location: .live, checkedField: field, field: field, match: kind,
                                                  role: .evidence, whyNotCounted: .otherPersonModule(holder: other, operation: input.operation)))
                    }
                }
            }
            let otherEmailFields = catalogue.fields.filter { $0.isEmail && $0.apiName != field && !pattern.fields.contains($0.apiName) }
            for other in otherEmailFields {
                for hit in try shownHolders(module, field: other.apiName, value: value) {
                    guard let kind = Matching.classify(given: value, stored: hit.storedValue) else { continue }
                    evidence.append(Candidate(hit, module: module, location: .live, checkedField: field, field: other.apiName,
                                              match: kind, role: .evidence,
                                              whyNotCounted: .otherEmailField(other.apiName)))
                }
            }
        }
        record(evidence)
    }

    /// Live holders of `value` in a field no check reads, exact or near: shown, never counted.
    func shownHolders(_ module: Module, field: String, value: String) throws -> [Hit] {
        let lookup = evaluator.lookup
        return uniqueHits(try lookup.live(module, field: field, value: value, .nocase) + lookup.live(module, field: field, value: value, .nearMiss))
    }

    // MARK: Results

    func duplicate(field: String, holder: Candidate, more: Bool) -> Outcome {
        var outcome = Outcome(code: .duplicateData, duplicateField: nil, recordID: holder.recordID, recordModule: holder.module,
                              apiName: field, jsonPath: path(field))
        outcome.recordModuleID = moduleIDs[holder.module]
        outcome.moreRecords = more
        outcome.ownerName = holder.ownerName
        outcome.ownerID = holder.ownerID
        return outcome
    }

    func oldest(_ candidates: [Candidate]) -> Candidate? { candidates.min(by: Self.older) }

    /// Oldest first: Created_Time (ISO text sorts in time order), then id.
    static func older(_ a: Candidate, _ b: Candidate) -> Bool {
        (a.createdTime ?? "", a.recordID) < (b.createdTime ?? "", b.recordID)
    }

    func successReason(inserting: Bool, target: Candidate?, field: String?) -> Reason {
        if let target, let field {
            let batchRow = target.location == .live ? nil : target.location.batchRow ?? 0
            return .updatesTarget(module: module, target: target.recordID, match: target.match, batchRow: batchRow, field: field)
        }
        if input.operation == .update { return .updatesByID }
        return .adds(module: module, checked: input.operation == .upsert ? pattern.fields : pattern.uniqueOrder(catalogue))
    }

    mutating func noteFields() {
        notes += pattern.ignored.map(Note.ignoredCheckField)
        if pattern.systemFieldDropped { notes.append(.systemFieldDropped(field: module.systemDuplicateField)) }
        for name in record.fields.keys where name != "id" && !catalogue.contains(name) && !name.hasPrefix("$") {
            let campaign = name.lowercased().contains("campaign") && module.isPerson
            notes.append(campaign ? .campaignField(name: name, module: module) : .unknownField(name: name, module: module))
        }
    }

    mutating func finish(_ outcome: Outcome, reason: Reason) throws -> Verdict {
        if depth == .full { try gatherEvidence() }
        return Verdict(module: module, operation: input.operation, row: input.row, input: record, settings: settings, pattern: pattern,
                       checkedFields: checkedFields, candidates: candidates, outcome: outcome, reason: reason, notes: notes, written: nil)
    }
}

extension HolderLocation {
    var batchRow: Int? { if case .batch(let row) = self { return row } else { return nil } }
}

extension Module {
    /// "Contact", "Lead", "Campaign" for sentences.
    public var singular: String { String(rawValue.dropLast()) }
}
