import Catalogue
import Engine
import Formats
import Persistence

/// The `why --json` object of the command-line contract, keys in the contract's order; extras (`field`,
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
            "depends_on": .array(dependsOn.map(\.json)),
            "advice": .array(advice.map(JSONValue.string)),
            "field": .string(field),
            "field_checked": .bool(fieldChecked),
            "notes": .array(notes.map(JSONValue.string)),
        ]
        if let batch { object["batch"] = .object(["file": .string(batch.source), "row": .number(String(batch.row))]) }
        if let sql { object["sql"] = .array(sql.map(\.json)) }
        return .object(object)
    }
}

extension VerdictSummary {
    var json: JSONValue {
        .object([
            "code": .string(outcome.code.rawValue),
            "action": JSONValue(outcome.action),
            "duplicate_field": JSONValue(outcome.duplicateField),
            "record_id": JSONValue(outcome.recordID),
            "reason": .string(reason),
            "record_module": JSONValue(outcome.recordModule?.rawValue),
            "api_name": JSONValue(outcome.apiName),
            "more_records": .bool(outcome.moreRecords),
        ])
    }
}

extension Match {
    var json: JSONValue {
        let c = candidate
        var object: JSONObject = [
            "module": .string(c.module.rawValue),
            "location": .string(c.location.name),
            "record_id": .string(c.recordID),
            "field": .string(c.field),
            "stored_value": .string(c.storedValue),
            "match": .string(c.match.rawValue),
            "counts": .bool(c.counts),
        ]
        if !c.counts { object["why_not_counted"] = JSONValue(c.whyNotCounted) }
        switch c.location {
        case .recycleBin:
            object["deleted_time"] = JSONValue(c.deletedTime)
        case .batch(let row):
            object["row"] = .number(String(row))
        case .live:
            break
        }
        object["role"] = .string(c.role.rawValue)
        if c.checkedField != c.field { object["checked_field"] = .string(c.checkedField) }
        if c.location == .recycleBin { object["deleted_by"] = JSONValue(c.deletedBy) }
        if c.module.isPerson { object["campaigns"] = .array(campaigns.map(\.json)) }
        return .object(object)
    }
}

extension CampaignMembership {
    var json: JSONValue {
        .object(["id": .string(campaignID), "name": JSONValue(campaignName), "member_status": JSONValue(memberStatus)])
    }
}

extension Alternative {
    var json: JSONValue {
        .object([
            "setting": .string(setting),
            // Typed as `settings` shows it (those of the re-run): a JSON bool for the boolean switches.
            "other_value": verdict.settings.jsonObject(keys: [setting])[setting] ?? .string(value),
            "verdict_then": VerdictSummary(verdict).json,
        ])
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
