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
        guard outcome.isSuccess else { return error(outcome) }
        var item = JSONObject(minimumCapacity: 6)
        item["code"] = .string(outcome.code.rawValue)
        if operation == .upsert {
            item["duplicate_field"] = outcome.duplicateField.map(JSONValue.string) ?? .null
            item["action"] = outcome.action.map { .string($0.rawValue) } ?? .null
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

    /// The item of an error outcome, whatever the call (record writes, and related-records calls
    /// whose ids are invalid).
    public static func error(_ outcome: Outcome) -> JSONValue {
        var item = JSONObject(minimumCapacity: 4)
        item["code"] = .string(outcome.code.rawValue)
        var details = JSONObject(minimumCapacity: 5)
        if let apiName = outcome.apiName { details["api_name"] = .string(apiName) }
        if let path = outcome.jsonPath { details["json_path"] = .string(path) }
        if let type = outcome.expectedDataType { details["expected_data_type"] = .string(type) }
        if let maximum = outcome.maximumLength { details["maximum_length"] = .number(String(maximum)) }
        if outcome.code == .multipleErrors { details["errors"] = .array(outcome.errors.map(error)) }
        if outcome.code == .duplicateData, let id = outcome.recordID {
            // Zoho's example repeats the duplicate record's id beside `duplicate_record`.
            details["id"] = .string(id)
            details["more_records"] = .bool(outcome.moreRecords)
            var record = JSONObject(minimumCapacity: 3)
            record["id"] = .string(id)
            if let module = outcome.recordModule {
                record["module"] = .object(["api_name": .string(module.rawValue), "id": outcome.recordModuleID.map(JSONValue.string) ?? .null])
            }
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

    /// The `message` of a success that writes no record of the request's own: each call has its word.
    public enum Message: String, Sendable {
        case recordDeleted = "record deleted"
        case recordRestored = "record restored"
        case relationAdded = "relation added"
        /// The replica's word for an overwritten Member_Status: Zoho documents only "relation
        /// added" and "relation removed".
        case relationUpdated = "relation updated"
        case relationRemoved = "relation removed"
    }

    /// The item of a delete, a restore or a related-records call: its details name only the
    /// record acted on (null when the request gave no valid id).
    public static func success(id: String?, message: Message) -> JSONValue {
        .object(["code": .string(Outcome.Code.success.rawValue), "details": .object(["id": id.map(JSONValue.string) ?? .null]),
                 "message": .string(message.rawValue), "status": .string("success")])
    }

    /// `INVALID_DATA` for an id of a delete or restore call (`?ids=`), which has no JSON path:
    /// the details name the id itself.
    public static func invalidID(_ id: String) -> JSONValue {
        .object(["code": .string(Outcome.Code.invalidData.rawValue), "details": .object(["api_name": .string("id"), "id": .string(id)]),
                 "message": .string(message(.invalidData)), "status": .string("error")])
    }

    /// The item's `message`.
    public static func message(_ outcome: Outcome) -> String {
        guard outcome.isSuccess else { return message(outcome.code) }
        return outcome.action == .update ? "record updated" : "record added"
    }

    public static func message(_ code: Outcome.Code) -> String {
        switch code {
        case .success: return "success"
        case .duplicateData: return "duplicate data"
        case .mandatoryNotFound: return "required field not found"
        case .invalidData: return "invalid data"
        case .limitExceeded: return "Record count exceeded"
        case .multipleErrors: return "Multiple errors in the request"
        }
    }

    private static func user(_ user: User) -> JSONValue {
        .object(JSONObject(uncheckedUniqueKeys: ["name", "id"], values: [.string(user.name), .string(user.id)]))
    }
}
