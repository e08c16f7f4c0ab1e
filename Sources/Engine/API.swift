import Catalogue
import Formats
import Foundation

/// One REST call as a log, a HAR capture or (later) the local HTTP server hands it over.
public struct APIRequest: Sendable {
    public let method: String
    /// The path without the query string, e.g. `/crm/v8/Contacts/upsert`.
    public let path: String
    public let query: [(name: String, value: String)]
    public let body: JSONValue?

    /// `target` is a path with an optional query string, or a whole URL (any host).
    public init(method: String, target: String, body: JSONValue?) {
        self.method = method.uppercased()
        var rest = Substring(target)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        let parts = rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(parts.first ?? "")
        query = parts.count > 1 ? parts[1].split(separator: "&").map { pair in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode: (Substring?) -> String = { ($0.map(String.init) ?? "").replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            return (decode(kv.first), decode(kv.count > 1 ? kv[1] : nil))
        } : []
        self.body = body
    }

    public func queryValue(_ name: String) -> String? { query.first { $0.name == name }?.value }
}

/// What the replica models of Zoho's API. Anything else is reported as skipped, never dropped.
public enum Route: Equatable, Sendable {
    case records(Module, WriteOperation, id: String?)
    case delete(Module, ids: [String])
    /// `PUT|DELETE /Campaigns/{id}/Contacts` and the mirror `/Contacts/{id}/Campaigns`.
    case related(owner: Module, ownerID: String, related: Module, relatedID: String?, unlink: Bool)
    case restore(ids: [String])
    case unsupported(String)

    /// Understands `/crm/{version}/…` for any version (v2, v2.1, v8…) and the bare `/{Module}…`.
    public static func of(_ request: APIRequest) -> Route {
        var segments = request.path.split(separator: "/").map(String.init)
        if segments.first == "crm" { segments.removeFirst() }
        if let version = segments.first, version.hasPrefix("v"), version.dropFirst().allSatisfy({ $0.isNumber || $0 == "." }) {
            segments.removeFirst()
        }
        let method = request.method
        if segments.first == "settings", segments.count >= 2, segments[1] == "recycle_bin" {
            // POST /settings/recycle_bin/{id}/actions/restore and POST /settings/recycle_bin/actions/restore?ids=
            if method == "POST", segments.suffix(2) == ["actions", "restore"] {
                if segments.count == 5 { return .restore(ids: [segments[2]]) }
                let ids = idsParameter(request) + bodyIDs(request.body)
                return ids.isEmpty ? .unsupported("a restore call without ids") : .restore(ids: ids)
            }
            return .unsupported("\(method) \(request.path) (the recycle-bin API beyond restore is not modelled)")
        }
        guard let first = segments.first, let module = Module(name: first), first == module.rawValue else {
            return .unsupported("\(method) \(request.path) (not a module the replica stores: Contacts, Leads, Campaigns)")
        }
        switch (method, segments.count) {
        case ("POST", 1): return .records(module, .insert, id: nil)
        case ("PUT", 1): return .records(module, .update, id: nil)
        case ("POST", 2) where segments[1] == "upsert": return .records(module, .upsert, id: nil)
        case ("PUT", 2) where RecordID.isValid(segments[1]): return .records(module, .update, id: segments[1])
        case ("DELETE", 1):
            let ids = idsParameter(request)
            return ids.isEmpty ? .unsupported("DELETE \(request.path) without ids") : .delete(module, ids: ids)
        case ("DELETE", 2) where RecordID.isValid(segments[1]): return .delete(module, ids: [segments[1]])
        case ("PUT", 3), ("DELETE", 3), ("PUT", 4), ("DELETE", 4):
            guard let related = Module(name: segments[2]), segments[2] == related.rawValue,
                  (module == .campaigns) != (related == .campaigns), RecordID.isValid(segments[1]) else { break }
            let relatedID = segments.count == 4 ? segments[3] : nil
            return .related(owner: module, ownerID: segments[1], related: related, relatedID: relatedID, unlink: method == "DELETE")
        default: break
        }
        return .unsupported("\(method) \(request.path) (not modelled: the replica answers insert, update, upsert, delete, restore and campaign membership)")
    }

    private static func idsParameter(_ request: APIRequest) -> [String] {
        (request.queryValue("ids") ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func bodyIDs(_ body: JSONValue?) -> [String] {
        body?["data"]?.arrayValue?.compactMap { RecordID.from($0["id"]) ?? $0["id"]?.stringValue } ?? []
    }
}

/// The replica's answer to one item of a call.
public struct ItemResult: Sendable {
    /// The Zoho response item. A record write's is made from its verdict when asked for: a
    /// replay that prints only a summary never needs the JSON of its thousands of items.
    public var item: JSONValue {
        if let ownItem { return ownItem }
        guard let verdict, let operation else { return .null }
        return ZohoResponse.item(verdict.outcome, operation: operation)
    }
    private let ownItem: JSONValue?
    /// The call of a record write, whose item shape it decides.
    private let operation: WriteOperation?
    /// The evaluation behind it, for record writes.
    public let verdict: Verdict?
    /// The reason in one sentence (the verdict's, when there is one: written only when asked).
    public var reason: String { ownReason ?? verdict?.reason ?? "" }
    private let ownReason: String?
    public let notes: [Note]

    /// `item.code`, read once: reports ask for it of every item.
    public let code: Outcome.Code
    /// `item.message`, without making the item.
    public let message: String

    /// `item` is one the replica built, so its code is one of `Outcome.Code`: any other is a
    /// bug here, not bad input.
    public init(item: JSONValue, verdict: Verdict?, reason: String, notes: [Note] = []) {
        ownItem = item
        operation = nil
        self.verdict = verdict
        ownReason = reason
        self.notes = notes
        guard let code = item["code"]?.stringValue.flatMap(Outcome.Code.init(rawValue:)) else {
            preconditionFailure("an item the replica built has no code it knows: \(item)")
        }
        self.code = code
        message = item["message"]?.stringValue ?? ""
    }

    /// The item of a record write (`ZohoResponse.item` of its outcome), with the verdict's
    /// reason and notes.
    public init(verdict: Verdict, operation: WriteOperation) {
        ownItem = nil
        self.operation = operation
        self.verdict = verdict
        ownReason = nil
        notes = verdict.notes
        code = verdict.outcome.code
        message = ZohoResponse.message(verdict.outcome)
    }
}

/// The replica's answer to one call.
public struct APIResult: Sendable {
    public let route: Route
    /// The HTTP status the replica would answer (docs/rules.md#responses).
    public let status: Int
    /// The envelope: `{"data":[item…]}` of the items, or `wholeAnswer`.
    public var body: JSONValue { wholeAnswer ?? ZohoResponse.envelope(items) }
    /// What the call answered as a whole (a request-level error; null when skipped), or nil
    /// when the answer is the items' envelope.
    public let wholeAnswer: JSONValue?
    public let items: [ItemResult]

    init(route: Route, status: Int, body wholeAnswer: JSONValue?, items: [ItemResult]) {
        self.route = route
        self.status = status
        self.wholeAnswer = wholeAnswer
        self.items = items
    }

    public var skipped: String? {
        if case .unsupported(let reason) = route { return reason }
        return nil
    }

    /// 201 all added, 200 all updated (or otherwise successful), 207 a mix, 400 all failed.
    public static func status(of items: [ItemResult]) -> Int {
        var successes = 0
        var allAdded = true
        for index in items.indices where items[index].code == .success {
            successes += 1
            if allAdded { allAdded = items[index].message == "record added" }
        }
        if successes == 0 { return 400 }
        if successes < items.count { return 207 }
        return allAdded ? 201 : 200
    }
}

/// A request whose body is not what the call needs: bad input, reported with its JSON path.
public enum APIRequestError: Error, CustomStringConvertible, Equatable {
    case malformedBody(path: String, expected: String)

    public var description: String {
        switch self {
        case .malformedBody(let path, let expected): return "\(path): expected \(expected)"
        }
    }
}

extension Session {
    /// Answers one call as Zoho would, writing what succeeds.
    public func handle(_ request: APIRequest, depth: EvidenceDepth = .decision) throws -> APIResult {
        let route = Route.of(request)
        switch route {
        case .records(let module, let operation, let id):
            let parsed = try RecordsRequest.parse(request.body, module: module, operation: operation, pathID: id)
            let result = try run(parsed, depth: depth)
            if result.requestError != nil {
                return APIResult(route: route, status: 400, body: ZohoResponse.envelope(result, operation: operation), items: [])
            }
            return try finish(route, result.verdicts.map { ItemResult(verdict: $0, operation: operation) })
        case .delete(let module, let ids):
            return try finish(route, try delete(module: module, ids: ids))
        case .related(let owner, let ownerID, let related, let relatedID, let unlink):
            let pairs = try MembershipRequest.parse(request.body, owner: owner, ownerID: ownerID, related: related,
                                                    relatedID: relatedID, unlink: unlink, queryIDs: request.queryValue("ids"))
            return try finish(route, try membership(pairs))
        case .restore(let ids):
            return try finish(route, try restore(ids: ids))
        case .unsupported:
            return APIResult(route: route, status: 0, body: .null, items: [])
        }
    }

    /// The envelope is the items' (`ZohoResponse.envelope` of the same outcomes).
    private func finish(_ route: Route, _ items: [ItemResult]) throws -> APIResult {
        APIResult(route: route, status: APIResult.status(of: items), body: nil, items: items)
    }
}

extension RecordsRequest {
    /// Reads `{"data":[{…}…], "duplicate_check_fields":[…]}`; anything else is bad input.
    /// `pathID` is the id of `PUT /{Module}/{id}`, which names the one record of the body.
    public static func parse(_ body: JSONValue?, module: Module, operation: WriteOperation, pathID: String? = nil) throws -> RecordsRequest {
        guard case .object(let object)? = body else {
            throw APIRequestError.malformedBody(path: "$", expected: "an object with a \"data\" array")
        }
        guard case .array(let items)? = object["data"] else {
            throw APIRequestError.malformedBody(path: "$.data", expected: "an array of records")
        }
        var records: [Record] = []
        for (index, item) in items.enumerated() {
            guard case .object(let fields) = item else {
                throw APIRequestError.malformedBody(path: "$.data[\(index)]", expected: "a record object")
            }
            records.append(Record(fields: fields))
        }
        var fields: [String]?
        if let listed = object["duplicate_check_fields"] {
            guard case .array(let names) = listed else {
                throw APIRequestError.malformedBody(path: "$.duplicate_check_fields", expected: "an array of field API names")
            }
            fields = try names.enumerated().map { index, name in
                guard case .string(let text) = name else {
                    throw APIRequestError.malformedBody(path: "$.duplicate_check_fields[\(index)]", expected: "a field API name string")
                }
                return text
            }
        }
        if let pathID, records.count == 1, records[0]["id"] == nil { records[0]["id"] = .string(pathID) }
        return RecordsRequest(module: module, operation: operation, records: records, duplicateCheckFields: fields)
    }
}
