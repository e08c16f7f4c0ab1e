import Catalogue
import Engine
import Formats

/// The `"$replica"` object `--explain` adds to each item: the evidence of the one evaluation
/// behind it, in the key names of the `why` contract (the command-line contract), so a script reads both alike.
public enum Explanation {
    public static func json(_ item: ReplayedItem, settings: Settings) -> JSONValue {
        let verdict = item.result.verdict
        var object: JSONObject = [:]
        object["settings"] = .object((verdict?.settings ?? settings).jsonObject())
        object["check_pattern"] = .array((verdict?.pattern.fields ?? []).map(JSONValue.string))
        object["candidates"] = .array((verdict?.candidates ?? []).map(candidate))
        object["reason"] = .string(item.result.reason)
        object["notes"] = .array(item.result.notes.map(JSONValue.string))
        object["depends_on"] = .array(item.dependsOn.map(alternative))
        return .object(object)
    }

    static func candidate(_ candidate: Candidate) -> JSONValue {
        var object: JSONObject = [
            "module": .string(candidate.module.rawValue),
            "location": .string(candidate.location.name),
            "record_id": .string(candidate.recordID),
            "field": .string(candidate.field),
            "stored_value": .string(candidate.storedValue),
            "match": .string(candidate.match.rawValue),
            "counts": .bool(candidate.counts),
        ]
        if let why = candidate.whyNotCounted { object["why_not_counted"] = .string(why) }
        object["role"] = .string(candidate.role.rawValue)
        if candidate.checkedField != candidate.field { object["checked_field"] = .string(candidate.checkedField) }
        if let deleted = candidate.deletedTime { object["deleted_time"] = .string(deleted) }
        if case .batch(let row) = candidate.location { object["row"] = .number(String(row)) }
        return .object(object)
    }

    static func alternative(_ alternative: Alternative) -> JSONValue {
        let other = alternative.verdict.settings.jsonObject(keys: [alternative.setting])[alternative.setting] ?? .string(alternative.value)
        return .object(["setting": .string(alternative.setting), "other_value": other, "verdict_then": verdict(alternative.verdict)])
    }

    /// The verdict as `why --json` prints it.
    static func verdict(_ verdict: Verdict) -> JSONValue {
        let outcome = verdict.outcome
        return .object([
            "code": .string(outcome.code.rawValue),
            "action": outcome.action.map(JSONValue.string) ?? .null,
            "duplicate_field": outcome.duplicateField.map(JSONValue.string) ?? .null,
            "record_id": outcome.recordID.map(JSONValue.string) ?? .null,
            "reason": .string(verdict.reason),
        ])
    }
}

extension Explanation {
    /// The same evidence as `json`, as lines for the human report under the item's own line
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
        return text + (candidate.counts ? ": counts" : ": does not count" + (candidate.whyNotCounted.map { ": \($0)" } ?? ""))
    }

    /// `with multi_match=oldest: SUCCESS (update 5725767000000100002)`.
    static func line(_ alternative: Alternative) -> String {
        let outcome = alternative.verdict.outcome
        let value = alternative.verdict.settings.value(alternative.setting) ?? alternative.value
        let detail = [outcome.action, outcome.recordID].compactMap { $0 }.joined(separator: " ")
        return "with \(alternative.setting)=\(value): \(outcome.code.rawValue)" + (detail.isEmpty ? "" : " (\(detail))")
    }
}
