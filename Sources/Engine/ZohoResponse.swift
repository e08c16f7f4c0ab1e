import Catalogue
import Formats

/// Zoho's v8 response shapes (docs/rules.md#responses), which the official SDKs parse.
public enum ZohoResponse {
    /// `{"data":[item…]}`, or the request-level error when the call was refused whole.
    public static func envelope(_ result: RequestResult, operation: WriteOperation) -> JSONValue {
        if let error = result.requestError {
            return requestError(error, limit: result.limit)
        }
        return .object(["data": .array(result.verdicts.map { item($0.outcome, operation: operation) })])
    }

    /// `{"data":[item…]}` of answered items.
    public static func envelope(_ items: [ItemResult]) -> JSONValue {
        .object(["data": .array(items.map(\.item))])
    }

    /// The literal Zoho returns for more than 100 records is not documented (docs/zoho-facts.md#open-questions, open
    /// question 11); this is the documented code with the `limit` detail key.
    public static func requestError(_ outcome: Outcome, limit: Int) -> JSONValue {
        .object(["code": .string(outcome.code.rawValue), "details": .object(["limit": .number(String(limit))]),
                 "message": .string("Record count exceeded"), "status": .string("error")])
    }

    /// Objects are made with room for every member: growing a small `OrderedDictionary` one
    /// member at a time reallocates its storage at each step, which made items costly to build.
    public static func item(_ outcome: Outcome, operation: WriteOperation) -> JSONValue {
        var item = JSONObject(minimumCapacity: 6)
        item["code"] = .string(outcome.code.rawValue)
        if outcome.isSuccess {
            if operation == .upsert {
                item["duplicate_field"] = outcome.duplicateField.map(JSONValue.string) ?? .null
                item["action"] = outcome.action.map(JSONValue.string) ?? .null
            }
            var details = JSONObject(minimumCapacity: 5)
            if let written = outcome.written {
                details["Modified_Time"] = .string(written.modifiedTime)
                details["Modified_By"] = user(written.modifiedBy)
                details["Created_Time"] = .string(written.createdTime)
                details["id"] = .string(written.id)
                details["Created_By"] = user(written.createdBy)
            } else if let id = outcome.recordID {
                details["id"] = .string(id)
            }
            item["details"] = .object(details)
            item["message"] = .string(message(outcome))
            item["status"] = .string("success")
            return .object(item)
        }
        var details = JSONObject(minimumCapacity: 5)
        if let apiName = outcome.apiName { details["api_name"] = .string(apiName) }
        if let path = outcome.jsonPath { details["json_path"] = .string(path) }
        if let type = outcome.expectedDataType { details["expected_data_type"] = .string(type) }
        if outcome.code == .duplicateData, let id = outcome.recordID {
            details["more_records"] = .bool(outcome.moreRecords)
            var record = JSONObject(minimumCapacity: 3)
            record["id"] = .string(id)
            if let module = outcome.recordModule { record["module"] = .object(["api_name": .string(module.rawValue)]) }
            if outcome.ownerName != nil || outcome.ownerID != nil {
                record["Owner"] = .object(["name": outcome.ownerName.map(JSONValue.string) ?? .null,
                                           "id": outcome.ownerID.map(JSONValue.string) ?? .null])
            }
            details["duplicate_record"] = .object(record)
        }
        item["details"] = .object(details)
        item["message"] = .string(message(outcome))
        item["status"] = .string("error")
        return .object(item)
    }

    /// The item's `message`.
    public static func message(_ outcome: Outcome) -> String {
        guard outcome.isSuccess else { return message(outcome.code) }
        return outcome.action == "update" ? "record updated" : "record added"
    }

    public static func message(_ code: Outcome.Code) -> String {
        switch code {
        case .success: return "success"
        case .duplicateData: return "duplicate data"
        case .mandatoryNotFound: return "required field not found"
        case .invalidData: return "invalid data"
        case .limitExceeded: return "Record count exceeded"
        }
    }

    private static func user(_ user: User) -> JSONValue {
        .object(JSONObject(uncheckedUniqueKeys: ["name", "id"], values: [.string(user.name), .string(user.id)]))
    }
}
