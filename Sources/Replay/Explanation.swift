import Catalogue
import Engine
import Formats

/// The evidence `--explain` adds to each item of the human report. Its JSON form, the `"$replica"`
/// object, is the engine's `VerdictJSON.evidence`, shared with `why --json`.
public enum Explanation {
    /// The same evidence as `VerdictJSON.evidence`, as lines for the human report under the item's own line
    /// (which already gives the reason; the settings are printed once at the top): the check
    /// pattern, each candidate and whether it counts, and what another setting value would answer.
    static func lines(_ item: ReplayedItem) -> [String] {
        guard let verdict = item.result.verdict else { return [] }
        let indent = "    "
        var lines = [indent + "check pattern: " + (verdict.pattern.fields.isEmpty ? "none" : verdict.pattern.fields.joined(separator: ", "))]
        lines.append(indent + (verdict.candidates.isEmpty ? "candidates: none" : "candidates:"))
        lines += verdict.candidates.map { indent + "  " + Matching.visible(line($0)) }
        lines += item.dependsOn.map { indent + line($0) }
        return lines
    }

    /// `Contacts live 5725767000000100002 Email `Sam@Example.com` (case): counts`.
    static func line(_ candidate: Candidate) -> String {
        var place = candidate.location.name
        if case .batch(let row) = candidate.location { place += " row \(row)" }
        if let deleted = candidate.deletedTime { place += " (deleted \(deleted))" }
        var text = "\(candidate.module.rawValue) \(place) \(candidate.recordID) \(candidate.field) `\(candidate.storedValue)` (\(candidate.match.rawValue))"
        if candidate.checkedField != candidate.field { text += " for \(candidate.checkedField)" }
        if candidate.role != .match { text += ", \(candidate.role.rawValue)" }
        return text + (candidate.counts ? ": counts" : ": does not count" + (candidate.whyNotCounted.map { ": \($0.text)" } ?? ""))
    }

    /// `with multi_match=oldest: SUCCESS (update 5725767000000100002)`.
    static func line(_ alternative: Alternative) -> String {
        let outcome = alternative.verdict.outcome
        let value = alternative.verdict.settings.value(alternative.setting)
        let detail = [outcome.action?.rawValue, outcome.recordID].compactMap { $0 }.joined(separator: " ")
        return "with \(alternative.setting.rawValue)=\(value): \(outcome.code.rawValue)" + (detail.isEmpty ? "" : " (\(detail))")
    }
}
