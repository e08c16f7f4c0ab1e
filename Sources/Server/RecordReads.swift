import Catalogue
import Formats
import Foundation
import Storage

/// `GET /{Module}`, `/{Module}/{id}`, `/{Module}/search` and `/{Module}/deleted`: query strings
/// parsed here, rows from `RecordQueries`, answers in Zoho's shapes (204 when nothing to return).
enum RecordReads {
    static let maximumPerPage = 200

    /// `page` and `per_page` (1…200, default 200), or the 400 that names the bad one.
    struct Paging {
        let page: Int
        let perPage: Int
        var offset: Int { (page - 1) * perPage }

        init(_ query: Query) throws {
            var values: [String: Int] = ["page": 1, "per_page": maximumPerPage]
            for name in ["page", "per_page"] {
                guard let text = query[name] else { continue }
                guard let number = Int(text), number >= 1, name == "page" || number <= maximumPerPage else {
                    throw AnswerError(.invalidData(parameter: name, expected: name == "page" ? "a page number from 1" : "a number from 1 to \(maximumPerPage)"))
                }
                values[name] = number
            }
            page = values["page"]!
            perPage = values["per_page"]!
        }

        /// Zoho's `info` of a page.
        func info(count: Int, more: Bool) -> JSONValue {
            .object(["per_page": .number(String(perPage)), "count": .number(String(count)),
                     "page": .number(String(page)), "more_records": .bool(more)])
        }
    }

    static func record(_ module: Module, id: String, context: ReadContext) throws -> ServerAnswer {
        guard let json = try context.queries.record(module, id: id) else { return .noContent }
        return ServerAnswer(status: 200, body: .object(["data": .array([try render(json, fields: nil)])]))
    }

    /// `GET /{Module}`: `page`, `per_page`, `fields`, `sort_by` (id, Created_Time, Modified_Time)
    /// and `sort_order` (default desc).
    static func list(_ module: Module, query: Query, context: ReadContext) throws -> ServerAnswer {
        let paging = try Paging(query)
        let sortBy = query["sort_by"] ?? "id"
        guard ["id", "Created_Time", "Modified_Time"].contains(sortBy) else {
            throw AnswerError(.invalidData(parameter: "sort_by", expected: "id, Created_Time or Modified_Time"))
        }
        let sortOrder = query["sort_order"] ?? "desc"
        guard ["asc", "desc"].contains(sortOrder) else {
            throw AnswerError(.invalidData(parameter: "sort_order", expected: "asc or desc"))
        }
        let order = RecordQueries.Order(field: sortBy, ascending: sortOrder == "asc")
        return try page(module, condition: nil, order: order, paging: paging, fields: fields(query), context: context)
    }

    /// `GET /{Module}/search`: one of `criteria`, `email`, `phone`, `word`.
    static func search(_ module: Module, query: Query, context: ReadContext) throws -> ServerAnswer {
        let paging = try Paging(query)
        let condition: RecordQueries.Condition
        if let criteria = query["criteria"] {
            condition = try Criteria.parse(criteria)
        } else if let email = query["email"] {
            condition = .any(["Email", "Secondary_Email"].map { .equals(field: $0, value: email) })
        } else if let phone = query["phone"] {
            condition = .any(["Phone", "Mobile", "Home_Phone", "Other_Phone"].map { .equals(field: $0, value: phone) })
        } else if let word = query["word"], !word.isEmpty {
            condition = .word(word)
        } else {
            return .error(400, .requiredParamMissing, message: "One of the expected parameter is missing",
                          details: ["param": .string("criteria"), "replica": .string("give criteria, email, phone or word")])
        }
        return try page(module, condition: condition, order: .init(field: "id", ascending: true), paging: paging,
                        fields: fields(query), context: context)
    }

    private static func fields(_ query: Query) -> [String]? {
        query["fields"].map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    private static func page(_ module: Module, condition: RecordQueries.Condition?, order: RecordQueries.Order, paging: Paging,
                             fields: [String]?, context: ReadContext) throws -> ServerAnswer {
        var rows = try context.queries.records(module, matching: condition, order: order, offset: paging.offset, limit: paging.perPage + 1)
        let more = rows.count > paging.perPage
        if more { rows.removeLast() }
        guard !rows.isEmpty else { return .noContent }
        let records = try rows.map { try render($0, fields: fields) }
        return ServerAnswer(status: 200, body: .object([
            "data": .array(records),
            "info": paging.info(count: records.count, more: more),
        ]))
    }

    /// `GET /Campaigns/{id}/Contacts|Leads` and the mirror `GET /Contacts|Leads/{id}/Campaigns`:
    /// the related live records, each with its `Member_Status`; an owner that is not a live
    /// record is INVALID_DATA, as the related-records writes answer it.
    static func related(owner: Module, ownerID: String, related: Module, query: Query, context: ReadContext) throws -> ServerAnswer {
        let paging = try Paging(query)
        guard try context.queries.record(owner, id: ownerID) != nil else {
            return .error(400, .invalidData, message: "the related id given seems to be invalid",
                          details: ["api_name": .string("id"), "id": .string(ownerID)])
        }
        let members = CampaignMembers(db: context.db)
        let pairs: [(id: String, status: String?)] = owner == .campaigns
            ? try members.members(of: ownerID, module: related).map { ($0.id, $0.status) }
            : try members.campaigns(of: owner, member: ownerID).map { ($0.id, $0.memberStatus) }
        var records: [JSONValue] = []
        for pair in pairs {
            guard let json = try context.queries.record(related, id: pair.id),
                  case .object(var record) = try render(json, fields: fields(query)) else { continue }
            record["Member_Status"] = pair.status.map(JSONValue.string) ?? .null
            records.append(.object(record))
        }
        let page = Array(records.dropFirst(paging.offset).prefix(paging.perPage))
        guard !page.isEmpty else { return .noContent }
        return ServerAnswer(status: 200, body: .object([
            "data": .array(page), "info": paging.info(count: page.count, more: records.count > paging.offset + page.count),
        ]))
    }

    /// A stored record as the API returns it: only `fields` (and `id`) when given, and `Owner` as
    /// the `{name, id}` object the SDKs type it as, also when a UI export stored only the name.
    private static func render(_ json: String, fields: [String]?) throws -> JSONValue {
        guard case .object(var object) = try JSON.parse(json) else { return .object([:]) }
        if let fields { object = object.filter { $0.key == "id" || fields.contains($0.key) } }
        if case .string(let name)? = object["Owner"] {
            object["Owner"] = .object(["name": .string(name), "id": .null])
        }
        return .object(object)
    }

    /// `GET /{Module}/deleted?type=all|recycle|permanent`. A recycle-bin row deleted more than the
    /// purge window ago (`RecycleBinRule`, from `--as-of`) is listed as permanent, as Zoho lists it.
    static func deleted(_ module: Module, query: Query, version: APIVersion, context: ReadContext) throws -> ServerAnswer {
        let paging = try Paging(query)
        let type = query["type"] ?? "all"
        guard ["all", "recycle", "permanent"].contains(type) else {
            throw AnswerError(.invalidData(parameter: "type", expected: "all, recycle or permanent"))
        }
        let rows = try context.queries.deleted(module).compactMap { row -> JSONValue? in
            let permanent = RecycleBinRule.isPurged(type: row.deletion.type, deletedTime: row.deletion.time, asOf: context.asOf)
            guard type == "all" || (type == "permanent") == permanent else { return nil }
            let deletion = row.deletion
            func user(_ name: String?, _ id: String?) -> JSONValue {
                permanent || (name == nil && id == nil) ? .null : .object(["name": name.map(JSONValue.string) ?? .null, "id": id.map(JSONValue.string) ?? .null])
            }
            return .object([
                "deleted_by": user(deletion.byName, deletion.byID),
                "id": .string(row.id),
                "display_name": permanent ? .null : deletion.displayName.map(JSONValue.string) ?? .null,
                "type": .string(permanent ? "permanent" : "recycle"),
                version.isV2 ? "Created_By" : "created_by": user(deletion.createdByName, deletion.createdByID),
                "deleted_time": deletion.time.map(JSONValue.string) ?? .null,
            ])
        }
        let pageRows = Array(rows.dropFirst(paging.offset).prefix(paging.perPage))
        guard !pageRows.isEmpty else { return .noContent }
        return ServerAnswer(status: 200, body: .object([
            "data": .array(pageRows),
            "info": paging.info(count: pageRows.count, more: rows.count > paging.offset + pageRows.count),
        ]))
    }
}

/// A 400 a read answers for a bad parameter, thrown from wherever the parameter is read and
/// answered by `Reader.read`.
struct AnswerError: Error {
    enum Kind {
        case invalidData(parameter: String, expected: String)
        case invalidQuery(String)
    }
    let kind: Kind
    init(_ kind: Kind) { self.kind = kind }

    var answer: ServerAnswer {
        switch kind {
        case .invalidData(let parameter, let expected):
            return .error(400, .invalidData, message: "invalid data", details: ["param": .string(parameter), "expected": .string(expected)])
        case .invalidQuery(let why):
            return .error(400, .invalidQuery, message: "Invalid query formed", details: ["param": .string("criteria"), "replica": .string(why)])
        }
    }
}
