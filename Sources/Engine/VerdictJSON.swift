import Catalogue
import Formats

/// The one JSON form of a verdict and its evidence, in the key names and order of the `why --json`
/// contract. `why --json`, the `"$replica"` object of `replay --explain` and the HTTP server all
/// write it here: two hand-written copies had drifted apart (one dropped `deleted_by` and the
/// verdict's `record_module`, `api_name` and `more_records`), and a script must read all three alike.
public enum VerdictJSON {
    /// `verdict` and `verdict_then`: the contract's five keys, then what the response item also
    /// names (the module of the record behind an error, the field, whether more records hold it).
    /// A `MULTIPLE_OR_MULTI_ERRORS` verdict adds `errors`: each wrapped error in this same form,
    /// with its own reason from `causes`.
    public static func verdict(_ outcome: Outcome, reason: String, causes: [String] = []) -> JSONValue {
        var object: JSONObject = [
            "code": .string(outcome.code.rawValue),
            "action": nullable(outcome.action?.rawValue),
            "duplicate_field": nullable(outcome.duplicateField),
            "record_id": nullable(outcome.recordID),
            "reason": .string(reason),
            "record_module": nullable(outcome.recordModule?.rawValue),
            "api_name": nullable(outcome.apiName),
            "more_records": .bool(outcome.moreRecords),
        ]
        if !outcome.errors.isEmpty {
            object["errors"] = .array(outcome.errors.enumerated().map { index, error in
                verdict(error, reason: index < causes.count ? causes[index] : "")
            })
        }
        return .object(object)
    }

    public static func verdict(_ verdict: Verdict) -> JSONValue {
        self.verdict(verdict.outcome, reason: verdict.reason, causes: verdict.causes)
    }

    /// One record the evaluator looked at (`why`'s `matches`, `replay`'s `candidates`): the
    /// contract's keys, then `role`, `checked_field` and `deleted_by`. Returned as an object so
    /// that a front end can append its own extras (`why` lists campaigns) after these keys.
    /// `why_not_counted` is there exactly when the candidate does not count, as the contract says,
    /// and a recycle-bin holder always has `deleted_time` and `deleted_by` (null when unknown).
    public static func candidate(_ candidate: Candidate) -> JSONObject {
        var object: JSONObject = [
            "module": .string(candidate.module.rawValue),
            "location": .string(candidate.location.name),
            "record_id": .string(candidate.recordID),
            "field": .string(candidate.field),
            "stored_value": .string(candidate.storedValue),
            "match": .string(candidate.match.rawValue),
            "counts": .bool(candidate.counts),
        ]
        if !candidate.counts { object["why_not_counted"] = nullable(candidate.whyNotCounted?.text) }
        switch candidate.location {
        case .recycleBin: object["deleted_time"] = nullable(candidate.deletedTime)
        case .batch(let row): object["row"] = .number(String(row))
        case .live: break
        }
        object["role"] = .string(candidate.role.rawValue)
        if candidate.checkedField != candidate.field { object["checked_field"] = .string(candidate.checkedField) }
        if candidate.location == .recycleBin { object["deleted_by"] = nullable(candidate.deletedBy) }
        return object
    }

    /// One `depends_on` entry: the setting, its other value typed as `settings` shows it (those of
    /// the re-run: a JSON bool for the boolean switches), and the verdict then.
    public static func alternative(_ alternative: Alternative) -> JSONValue {
        let setting = alternative.setting
        return .object([
            "setting": .string(setting.rawValue),
            "other_value": alternative.verdict.settings.jsonObject(keys: [setting])[setting.rawValue] ?? .string(alternative.value),
            "verdict_then": verdict(alternative.verdict),
        ])
    }

    /// The evidence of the one evaluation behind a response item (`replay --explain`'s
    /// `"$replica"`): the settings in force, the check pattern, the candidates, the reason, the
    /// notes and `depends_on`. An item without a verdict (a membership, a delete) has the
    /// request's settings and no pattern or candidates.
    public static func evidence(_ result: ItemResult, settings: Settings) -> JSONValue {
        let verdict = result.verdict
        return .object([
            "settings": .object((verdict?.settings ?? settings).jsonObject()),
            "check_pattern": .array((verdict?.pattern.fields ?? []).map(JSONValue.string)),
            "candidates": .array((verdict?.candidates ?? []).map { .object(candidate($0)) }),
            "reason": .string(result.reason),
            "notes": .array(result.notes.map { .string($0.text) }),
            "depends_on": .array((verdict?.alternatives ?? []).map(alternative)),
        ])
    }

    /// A string, or null when absent: the contract's nullable members.
    private static func nullable(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
}
