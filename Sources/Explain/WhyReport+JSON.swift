import Catalogue
import Engine
import Formats
import Persistence

/// The `why --json` object of the command-line contract, keys in the contract's order (the verdict, matches
/// and `depends_on` in the engine's `VerdictJSON` form, shared with `replay --explain`); extras (`field`,
/// `field_checked`, `notes`,
/// `batch`, `sql`, and per match `role`, `checked_field`, `deleted_by`, `campaigns`) follow the
/// contract's keys so a script reading the contract never sees them move.
extension WhyReport {
    public var json: JSONValue {
        var object: JSONObject = [
            "value": .string(value),
            "module": .string(module.rawValue),
            "operation": .string(operation.rawValue),
            "settings": .object(settings.jsonObject()),
            "check_pattern": .array(checkPattern.fields.map(JSONValue.string)),
            "verdict": verdict.json,
            "matches": .array(matches.map(\.json)),
            "depends_on": .array(dependsOn.map(VerdictJSON.alternative)),
            "advice": .array(advice.map(JSONValue.string)),
            "field": .string(field),
            "field_checked": .bool(fieldChecked),
            "notes": .array(notes.map(JSONValue.string)),
        ]
        if let batch {
            var position: JSONObject = ["file": .string(batch.source), "row": .number(String(batch.row))]
            if let request = batch.request {
                position["request"] = .number(String(request.index))
                position["at"] = .string(request.at)
            }
            object["batch"] = .object(position)
        }
        if let sql { object["sql"] = .array(sql.map(\.json)) }
        if let calibration { object["calibration"] = .string(calibration) }
        return .object(object)
    }
}

extension VerdictSummary {
    var json: JSONValue { VerdictJSON.verdict(outcome, reason: reason, causes: causes) }
}

extension Match {
    /// The engine's candidate form, then the campaigns of a person.
    var json: JSONValue {
        var object = VerdictJSON.candidate(candidate)
        if candidate.module.isPerson { object["campaigns"] = .array(campaigns.map(\.json)) }
        return .object(object)
    }
}

extension CampaignMembership {
    var json: JSONValue {
        .object(["id": .string(campaignID), "name": JSONValue(campaignName), "member_status": JSONValue(memberStatus)])
    }
}

extension ExecutedStatement {
    var json: JSONValue {
        .object(["sql": .string(sql), "arguments": .array(arguments.map(\.json))])
    }
}

extension SQLValue {
    var json: JSONValue {
        switch self {
        case .null: return .null
        case .integer(let number): return .number(String(number))
        case .real(let number): return number.isFinite ? .number(String(number)) : .string(String(number))
        case .text(let text): return .string(text)
        }
    }
}

extension JSONValue {
    /// A string, or null when absent: the contract's nullable members.
    init(_ text: String?) { self = text.map(JSONValue.string) ?? .null }
}
