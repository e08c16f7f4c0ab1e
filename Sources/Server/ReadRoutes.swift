import Catalogue
import Engine
import Foundation
import Storage

/// A request's query string, percent-decoded (`APIRequest`'s reading of it).
struct Query {
    let request: APIRequest
    subscript(name: String) -> String? { request.queryValue(name) }
}

extension ZohoResponder {
    /// The `GET` calls under `/crm/{version}/`.
    func read(_ api: APIRequest, ifModifiedSince: String?) async throws -> ServerAnswer {
        let segments = api.path.split(separator: "/").map(String.init)
        guard segments.count >= 3, segments[1].hasPrefix("v"), segments[1].dropFirst().allSatisfy({ $0.isNumber || $0 == "." }) else {
            return .invalidURL("GET", api.path)
        }
        let version = APIVersion(name: segments[1])
        let rest = Array(segments.dropFirst(2))
        let query = Query(request: api)
        switch rest {
        case ["settings", "fields"]:
            return try await reader.read { try Metadata.fields(query["module"], version: version, context: $0) }
        case ["settings", "modules"]:
            return try await reader.read { context in
                if let since = ifModifiedSince.flatMap(HTTPDate.parse), let latest = try ImportLog.latest(context.db), latest <= since {
                    return .notModified
                }
                return Metadata.modules(loaded: try ModuleIDs.known(context.db))
            }
        case ["settings", "related_lists"]:
            return Metadata.relatedLists(query["module"], version: version)
        case ["settings", "duplicate_check_preference"]:
            return try await reader.read { try Metadata.duplicateCheckPreference(query["module"], context: $0) }
        case ["users"]:
            guard query["type"] == "CurrentUser" else { return .unsupported("GET users lists only type=CurrentUser") }
            return Metadata.currentUser()
        case ["org"]:
            return Metadata.org()
        default:
            break
        }
        guard let module = Module(name: rest[0]), module.rawValue == rest[0] else {
            if rest[0].first?.isUppercase == true { return .unsupported("\(rest[0]) records are not stored") }
            return .invalidURL("GET", api.path)
        }
        switch rest.count {
        case 1:
            return try await reader.read { try RecordReads.list(module, query: query, context: $0) }
        case 2 where rest[1] == "search":
            return try await reader.read { try RecordReads.search(module, query: query, context: $0) }
        case 2 where rest[1] == "deleted":
            return try await reader.read { try RecordReads.deleted(module, query: query, version: version, context: $0) }
        case 2 where RecordID.isValid(rest[1]):
            let id = rest[1]
            return try await reader.read { try RecordReads.record(module, id: id, context: $0) }
        case 3 where RecordID.isValid(rest[1]):
            guard let related = Module(name: rest[2]), related.rawValue == rest[2], (module == .campaigns) != (related == .campaigns) else {
                return .unsupported("GET \(api.path): the related lists modelled are Campaigns' Contacts and Leads, and their Campaigns")
            }
            let id = rest[1]
            return try await reader.read { try RecordReads.related(owner: module, ownerID: id, related: related, query: query, context: $0) }
        default:
            return .unsupported("GET \(api.path) is not modelled")
        }
    }
}

/// The dates of HTTP headers (`If-Modified-Since`): RFC 1123, as the SDKs send them.
enum HTTPDate {
    static func parse(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text) ?? Timestamps.parse(text)
    }
}
