import Catalogue
import Engine
import Storage

/// A replayed batch told as a story: failures grouped by cause, the successes a user would not
/// expect, and the rows another setting value would change. Built from the engine's verdicts
/// only; the demo renders it, and so can any other front end.
public struct BatchDigest: Sendable {
    /// One row of the batch and its answer.
    public struct Row: Sendable {
        public let index: Int
        public let value: String
        public let verdict: Verdict
        /// The holder that makes the row worth a look (for a surprise: the one that did not count).
        public var evidence: Candidate?
    }

    /// Rows that failed for the same reason.
    public struct Cause: Sendable {
        public let title: String
        public let rows: [Row]
    }

    /// Rows whose answer differs under another value of one setting.
    public struct Change: Sendable {
        public let assignment: String
        public let rows: [(row: Row, then: Verdict)]
    }

    public let failures: [Cause]
    public let surprises: [Cause]
    public let campaignFieldRows: [Row]

    /// Groups the verdicts of one request's replay. `field` is the value shown per row (Email).
    public init(items: [ReplayedItem], field: String) {
        let rows = items.enumerated().compactMap { index, item in
            item.result.verdict.map { Row(index: index, value: $0.input.text(field) ?? "", verdict: $0) }
        }
        var failures: [String: [Row]] = [:]
        var surprises: [String: [Row]] = [:]
        var order: [String] = []
        for row in rows {
            if row.verdict.outcome.isSuccess {
                for (title, evidence) in Self.surprises(row.verdict) {
                    if surprises[title] == nil { order.append(title) }
                    var shown = row
                    shown.evidence = evidence
                    surprises[title, default: []].append(shown)
                }
            } else {
                let title = Self.cause(row.verdict)
                if failures[title] == nil { order.append(title) }
                failures[title, default: []].append(row)
            }
        }
        self.failures = order.compactMap { title in failures[title].map { Cause(title: title, rows: $0) } }
            .sorted { $0.rows.count > $1.rows.count }
        self.surprises = order.compactMap { title in surprises[title].map { Cause(title: title, rows: $0) } }
        campaignFieldRows = rows.filter { row in row.verdict.notes.contains { if case .campaignField = $0 { true } else { false } } }
    }

    /// The cause of a failure in words a Zoho admin recognises.
    static func cause(_ verdict: Verdict) -> String {
        let outcome = verdict.outcome
        let field = outcome.apiName ?? "a field"
        switch outcome.code {
        case .duplicateData:
            let holder = verdict.candidates.first { $0.recordID == outcome.recordID }
            if holder?.location == .recycleBin { return "\(field) is held by a record in the recycle bin (recycle_bin_counts=true)" }
            if outcome.recordModule != verdict.module { return "\(field) is held by a \(outcome.recordModule?.singular ?? "record") through the Leads duplicate-check preference" }
            if case .multipleMatches = verdict.typedReason {
                // Every field of the check pattern but the system field is unique.
                return field == verdict.module.systemDuplicateField
                    ? "\(field) is held by several \(verdict.module.rawValue) (multi_match=error: upsert cannot choose one)"
                    : "\(field) is unique and held by several \(verdict.module.rawValue) records, so upsert cannot choose one"
            }
            let matchedAnother = verdict.candidates.contains { $0.role == .match && $0.counts && $0.recordID != outcome.recordID }
            return matchedAnother
                ? "the record matched one \(verdict.module.singular), but its unique \(field) belongs to another"
                : "\(field) is unique and already held by another \(verdict.module.singular)"
        case .multipleErrors:
            let fields = outcome.errors.compactMap(\.apiName)
            return "\(fields.joined(separator: " and ")) are unique and each is held by another \(verdict.module.singular) "
                + "(one MULTIPLE_OR_MULTI_ERRORS wrapping a DUPLICATE_DATA for each)"
        case .mandatoryNotFound: return "\(field) is mandatory and missing"
        case .invalidData:
            guard case .invalidValue(_, _, let type, let problem) = verdict.typedReason else { return "\(field) is not valid" }
            if case .tooLong = problem { return "\(field) is longer than its field takes (INVALID_DATA)" }
            return "\(field) is not \(type.noun) as Zoho takes it (INVALID_DATA)"
        default: return outcome.code.rawValue
        }
    }

    /// The successes that hide something: each reason the user should see, with the holder behind it.
    static func surprises(_ verdict: Verdict) -> [(String, Candidate?)] {
        var found: [(String, Candidate?)] = []
        let outcome = verdict.outcome
        let field = verdict.module.systemDuplicateField
        let held = verdict.candidates.filter { $0.checkedField == field && !$0.counts }
        if outcome.action == .insert {
            if let bin = held.first(where: { $0.location == .recycleBin }) {
                found.append(("inserted although a recycle-bin record holds the \(field) (recycle_bin_counts=false)", bin))
            }
            if let near = held.first(where: { $0.location != .recycleBin && !$0.match.isNocaseMatch && $0.role != .evidence }) {
                found.append(("inserted although a live record holds a look-alike \(field) (a near miss; match=nocase)", near))
            }
            if let elsewhere = held.first(where: { $0.role == .evidence }) {
                found.append(("inserted although the \(field) is held elsewhere (another module, or a field no check reads)", elsewhere))
            }
        }
        if outcome.action == .update, let used = outcome.duplicateField {
            let target = verdict.candidates.first { $0.recordID == outcome.recordID && $0.counts }
            if used != field {
                found.append(("updated an existing \(verdict.module.singular) found through the unique \(used), not the \(field)", target))
            }
            if let target, target.location.isBatch {
                found.append(("updated the record an earlier row of the same batch created", target))
            }
        }
        return found
    }
}

extension HolderLocation {
    var isBatch: Bool { if case .batch = self { return true } else { return false } }
}

extension BatchDigest {
    /// The rows whose answer differs between two replays of the same batch.
    public static func changes(from base: [ReplayedItem], to other: [ReplayedItem], assignment: String, field: String) -> Change {
        let pairs = zip(base.enumerated(), other).compactMap { entry, then -> (row: Row, then: Verdict)? in
            // The same comparison as `depends_on`: a verdict changes when its answer does.
            guard let before = entry.element.result.verdict, let after = then.result.verdict, before.answer != after.answer else { return nil }
            return (Row(index: entry.offset, value: before.input.text(field) ?? "", verdict: before), after)
        }
        return Change(assignment: assignment, rows: pairs)
    }
}
