import Catalogue
import Engine

/// What advice is derived from: the engine's verdict and candidates, never a second evaluation.
struct AdviceContext {
    let value: String
    let field: String
    let fieldChecked: Bool
    let verdict: Verdict
    /// The verdict's candidates, one per record and field.
    let candidates: [Candidate]
    let dependsOn: [Alternative]
    /// The record evaluated (the lone field, or the whole batch row).
    let record: Record

    var module: Module { verdict.module }
    var outcome: Outcome { verdict.outcome }
}

/// The situations a user can act on, and what to tell them for each.
enum Advice {
    enum Situation: Equatable {
        case invalidValue(field: String, value: String, expected: String)
        case missingMandatory(field: String)
        case severalHolders(field: String, holders: [Candidate])
        case binHolder(Candidate, blocks: Bool)
        case uniqueClash(field: String, holders: [Candidate])
        case preferenceClash(Candidate)
        case otherModuleHolders([Candidate])
        case otherFieldHolder(Candidate)
        case nearMiss(Candidate, Difference)
        case updatesThroughOtherField(target: String, matchedField: String)
        case earlierBatchRow(Candidate, row: Int)
        case systemFieldDropped(field: String)
        case notChecked(field: String)
        case campaignField(name: String)
        case nobodyHolds
    }

    static func advice(for context: AdviceContext) -> [String] {
        situations(in: context).map { text(for: $0, context) }
    }

    /// Every situation the evidence shows, most decisive first.
    static func situations(in context: AdviceContext) -> [Situation] {
        let outcome = context.outcome, module = context.module
        var found: [Situation] = []
        switch outcome.code {
        case .invalidData where outcome.apiName != "id":
            found.append(.invalidValue(field: outcome.apiName ?? context.field, value: context.record.text(outcome.apiName ?? context.field) ?? context.value,
                                       expected: outcome.expectedDataType ?? "email"))
        case .mandatoryNotFound:
            found.append(.missingMandatory(field: outcome.apiName ?? module.mandatoryField))
        case .duplicateData:
            if let holder = context.candidates.first(where: { $0.recordID == outcome.recordID && $0.role == .mappedModule && $0.counts }) {
                found.append(.preferenceClash(holder))
            }
            let severalHolders = context.candidates.filter {
                $0.counts && $0.role == .match && $0.module == module && $0.location != .recycleBin && $0.checkedField == outcome.apiName
            }
            if severalHolders.count > 1 { found.append(.severalHolders(field: outcome.apiName ?? context.field, holders: severalHolders)) }
        default:
            break
        }
        let clashing = context.candidates.filter { $0.counts && $0.role == .uniqueClash && $0.module == module && $0.location != .recycleBin }
        for field in orderedUnique(clashing.map(\.checkedField)) {
            found.append(.uniqueClash(field: field, holders: clashing.filter { $0.checkedField == field }))
        }
        let binMatters = context.dependsOn.contains { $0.setting == .recycleBinCounts }
        for candidate in context.candidates where candidate.location == .recycleBin && (candidate.counts || binMatters) {
            found.append(.binHolder(candidate, blocks: candidate.counts))
        }
        let notCounted = context.candidates.filter { !$0.counts && $0.match.isNocaseMatch }
        for role in [CandidateRole.mappedModule, .evidence] {
            let holders = notCounted.filter { $0.module != module && $0.role == role }
            if !holders.isEmpty { found.append(.otherModuleHolders(holders)) }
        }
        for candidate in notCounted where candidate.module == module && candidate.role == .evidence && candidate.field != candidate.checkedField {
            found.append(.otherFieldHolder(candidate))
        }
        for candidate in context.candidates where !candidate.match.isNocaseMatch {
            let given = context.record.text(candidate.checkedField) ?? context.value
            found.append(.nearMiss(candidate, Difference(given: given, stored: candidate.storedValue, kind: candidate.match)))
        }
        if outcome.isSuccess, outcome.action == .update, let target = outcome.recordID,
           let matched = outcome.duplicateField, matched != context.field {
            found.append(.updatesThroughOtherField(target: target, matchedField: matched))
        }
        for candidate in context.candidates where candidate.counts && candidate.role == .match {
            if case .batch(let row) = candidate.location { found.append(.earlierBatchRow(candidate, row: row)) }
        }
        let pattern = context.verdict.pattern
        if context.verdict.operation == .upsert, pattern.systemFieldDropped {
            found.append(.systemFieldDropped(field: module.systemDuplicateField))
        }
        if !context.fieldChecked, !(pattern.systemFieldDropped && context.field == module.systemDuplicateField) {
            found.append(.notChecked(field: context.field))
        }
        for case .campaignField(let name, _) in context.verdict.notes { found.append(.campaignField(name: name)) }
        if context.candidates.isEmpty && outcome.isSuccess && context.fieldChecked { found.append(.nobodyHolds) }
        return found
    }

    /// The advice for one situation: one case each, so every sentence a user may read is here.
    static func text(for situation: Situation, _ context: AdviceContext) -> String {
        let module = context.module
        let value = "`\(Matching.visible(context.value))`"
        switch situation {
        case .invalidValue(let field, let given, let expected):
            let noun = FieldValueType(rawValue: expected)?.noun ?? "a \(expected) value"
            return "Fix the value: Zoho rejects \(field) `\(Matching.visible(given))` as \(noun) before any duplicate check."
        case .missingMandatory(let field):
            return "Add \(field) to the record: a new \(module.singular) requires it, and Zoho reports MANDATORY_NOT_FOUND before anything else."
        case .severalHolders(let field, let holders):
            let owner = holders.first?.module ?? module
            return "Merge or delete one of the \(holders.count) \(owner.rawValue) holding this \(field) (\(holders.map(\.recordID).joined(separator: ", "))): "
                + "while several records hold it, upsert cannot choose one (Find & Merge in Zoho, or POST /\(owner.rawValue)/{master_id}/actions/merge)."
        case .binHolder(let holder, let blocks):
            let who = "the recycle-bin \(holder.module.singular) \(holder.recordID) (deleted \(holder.deletedTime ?? "at an unknown time")"
                + "\(holder.deletedBy.map { " by \($0)" } ?? ""))"
            let how = "restore: POST /settings/recycle_bin/\(holder.recordID)/actions/restore; purge: DELETE /settings/recycle_bin?ids=\(holder.recordID)"
            return blocks
                ? "Restore or purge \(who): while it sits in the bin it blocks this value (\(how))."
                : "Restore or purge \(who) to be sure: it does not count under recycle_bin_counts=\(context.verdict.settings.recycleBinCounts), "
                    + "but Zoho does not document whether the bin takes part, and the verdict depends on it (see depends_on; \(how))."
        case .uniqueClash(let field, let holders):
            let who = holders.map { "\($0.module.singular) \($0.recordID)" }.joined(separator: ", ")
            let stored = holders.first.map { "`\(Matching.visible($0.storedValue))`" } ?? "it"
            return "Remove \(field) from the payload, or make \(field) non-unique in Zoho (clear \"Do not allow duplicate values\"): "
                + "\(who) already hold\(holders.count == 1 ? "s" : "") \(stored), and \(field) is unique."
        case .preferenceClash(let holder):
            return "Work on Contact \(holder.recordID) instead of adding a Lead, or change the Leads duplicate-check preference "
                + "(PUT or DELETE /settings/duplicate_check_preference?module=Leads): it maps \(holder.checkedField) to Contacts.\(holder.field), "
                + "and Contact \(holder.recordID) holds `\(Matching.visible(holder.storedValue))`."
        case .otherModuleHolders(let holders):
            let other = holders.first?.module ?? module
            let who = "\(holders.count == 1 ? other.singular : other.rawValue) \(holders.map(\.recordID).joined(separator: ", "))"
            let verb = holders.count == 1 ? "holds" : "hold"
            if holders.first?.role == .mappedModule {
                return "\(who) \(verb) this value and the Leads duplicate-check preference maps it to Contacts: Zoho's insert refuses "
                    + "such a Lead, and whether upsert does is undocumented (cross_module_on_upsert, see depends_on)."
            }
            if other == .leads {
                return "\(who) \(verb) this value too, and \(module.rawValue) checks never read Leads: if they are the same person, "
                    + "convert the Lead rather than adding a \(module.singular) beside it."
            }
            return "\(who) \(verb) this value; Leads checks read Contacts only through the duplicate-check preference "
                + "(mapped_module_records, POST /settings/duplicate_check_preference?module=Leads). If they are the same person, "
                + "work on the Contact instead of adding a Lead."
        case .otherFieldHolder(let holder):
            return "\(holder.module.singular) \(holder.recordID) holds this value in \(holder.field), which is not unique, so no duplicate check "
                + "reads it: make \(holder.field) unique in Zoho if a second record with this value should be refused."
        case .nearMiss(let holder, let difference):
            let stored = "`\(Matching.visible(holder.storedValue))`"
            let given = "`\(Matching.visible(context.record.text(holder.checkedField) ?? context.value))`"
            let consequence = holder.counts
                ? "it matches only because match=unicode"
                : "under match=nocase Zoho treats the two as different values, so it does not match"
            switch difference.side {
            case .stored?:
                return "Clean the stored \(holder.field) of \(holder.module.singular) \(holder.recordID), \(stored): \(difference.words); \(consequence)."
            case .given?:
                return "Clean the value you send, \(given): \(difference.words); \(consequence) \(holder.module.singular) \(holder.recordID)'s \(stored)."
            case .both?, nil:
                return "Write the two values the same way if they are one address: \(holder.module.singular) \(holder.recordID) stores \(stored) "
                    + "and you send \(given); \(difference.words); \(consequence)."
            }
        case .updatesThroughOtherField(let target, let matchedField):
            return "Check that \(module.singular) \(target) is the same person: upsert updates it because its \(matchedField) matches, "
                + "and writes \(context.field) \(value) over its own; if it is someone else, remove \(matchedField) from the payload."
        case .earlierBatchRow(let holder, let row):
            return "Row \(row) of this batch writes \(holder.module.singular) \(holder.recordID) with this value first, so this row matches "
                + "it instead of adding another record (batch_visibility=\(context.verdict.settings.batchVisibility.rawValue)); "
                + "remove one of the two rows if they are not meant to be one record."
        case .systemFieldDropped(let field):
            return "Add \(field) to duplicate_check_fields if existing records should be matched on it: without it upsert does not check \(field) at all."
        case .notChecked(let field):
            if context.verdict.operation == .upsert {
                return "\(field) is neither the \(module.rawValue) duplicate-check field nor unique, so no duplicate check reads it: "
                    + "make it unique in Zoho (\"Do not allow duplicate values\") if it should be."
            }
            return "An insert checks only unique fields, and \(field) is not unique in \(module.rawValue): Zoho adds a new record whoever "
                + "holds \(value). Use upsert to match on \(field), or make \(field) unique."
        case .campaignField(let name):
            return "Add campaign members with the related-records API, PUT /Campaigns/{campaign_id}/\(module.rawValue) with "
                + "{\"data\":[{\"id\":\"<record id>\",\"Member_Status\":\"…\"}]}: \(name) is not a \(module.rawValue) field, so writing it creates no membership."
        case .nobodyHolds:
            return "No record in this replica holds \(value), live or in the recycle bin. If Zoho still answers DUPLICATE_DATA, the replica "
                + "lacks what Zoho sees: load a fresh export, the deleted-records list (GET /\(module.rawValue)/deleted) and the field "
                + "metadata (GET /settings/fields?module=\(module.rawValue)), then ask again."
        }
    }

    private static func orderedUnique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
