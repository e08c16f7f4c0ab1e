import Catalogue
import Engine
import Formats
import Foundation
import Storage

/// The API version of a path (`/crm/v2/…`, `/crm/v2.1/…`, `/crm/v8/…`): v2 and v2.1 spell a
/// lookup's or related list's `module` as a string, later versions as an object.
struct APIVersion: Sendable {
    let name: String
    var isV2: Bool { name == "v2" || name.hasPrefix("v2.") }

    /// A module reference in this version's shape.
    func module(_ apiName: String) -> JSONValue {
        isV2 ? .string(apiName) : .object(["api_name": .string(apiName), "id": .string(Metadata.moduleID(apiName))])
    }
}

/// The metadata the official SDKs fetch before a record call (`settings/fields`,
/// `settings/related_lists`, …): from the replica's field catalogue where it has one, and
/// minimal but valid answers for what an SDK asks about that the replica does not store.
enum Metadata {
    /// Standard lookups and their target modules (the catalogue keeps a field's type, not its target).
    static let lookupTargets: [String: String] = [
        "Account_Name": "Accounts", "Vendor_Name": "Vendors", "Reporting_To": "Contacts",
        "Campaign_Source": "Campaigns", "Parent_Campaign": "Campaigns",
    ]

    /// Modules an SDK asks about through a lookup, answered with their name field only.
    static let lookupOnlyModules: [String: String] = ["Accounts": "Account_Name", "Vendors": "Vendor_Name"]

    /// Stable ids for the modules (Zoho's are org-specific; the SDKs only carry them around).
    static func moduleID(_ apiName: String) -> String {
        let order = ["Leads", "Contacts", "Accounts", "Campaigns", "Vendors"]
        return String(5725767000000002175 + (order.firstIndex(of: apiName) ?? order.count) * 2)
    }

    /// `GET /settings/fields?module=M`.
    static func fields(_ name: String?, version: APIVersion, context: ReadContext) throws -> ServerAnswer {
        guard let name, !name.isEmpty else {
            return .error(400, .requiredParamMissing, message: "One of the expected parameter is missing", details: ["param": .string("module")])
        }
        if let module = Module(name: name), module.rawValue == name {
            // `id` is not a field in Zoho's metadata: the SDKs type it themselves (a number in
            // SDK 2's Record), and a listed text `id` makes SDK 2 refuse a numeric one.
            let fields = try context.store.catalogue(module).fields.filter { $0.apiName != "id" }
            return ServerAnswer(status: 200, body: .object(["fields": .array(fields.map { field($0, version: version) })]))
        }
        if let nameField = lookupOnlyModules[name] {
            return ServerAnswer(status: 200, body: .object(["fields": .array([
                minimalField(nameField, label: nameField.replacingOccurrences(of: "_", with: " "), type: "text", mandatory: true),
            ])]))
        }
        return invalidModule(name)
    }

    static func invalidModule(_ name: String) -> ServerAnswer {
        .error(400, .invalidModule, message: "the module name given seems to be invalid",
               details: ["module": .string(name), "replica": .string(ServerAnswer.modelled)])
    }

    /// A field as `settings/fields` describes it: the keys the SDKs read (`api_name`, `data_type`,
    /// `system_mandatory`, `custom_field`, `lookup.module`) and the labels. A lookup whose target
    /// the replica does not know is described as text: an SDK given a lookup without a target fails.
    static func field(_ definition: FieldDefinition, version: APIVersion) -> JSONValue {
        var type = definition.dataType
        var object: JSONObject = [
            "api_name": .string(definition.apiName),
            "field_label": .string(definition.label),
            "display_label": .string(definition.label),
        ]
        let target = lookupTargets[definition.apiName]
        if type == "lookup", target == nil { type = "text" }
        object["data_type"] = .string(type)
        object["json_type"] = .string(jsonType(type))
        object["system_mandatory"] = .bool(definition.systemMandatory)
        object["custom_field"] = .bool(definition.isCustom)
        object["visible"] = .bool(true)
        object["read_only"] = .bool(false)
        if definition.isUnique { object["unique"] = .object(["casesensitive": .string("false")]) }
        if type == "lookup", let target {
            object["lookup"] = .object(["module": version.module(target), "api_name": .string(definition.apiName)])
        }
        return .object(object)
    }

    private static func minimalField(_ apiName: String, label: String, type: String, mandatory: Bool = false) -> JSONValue {
        .object(["api_name": .string(apiName), "field_label": .string(label), "display_label": .string(label),
                 "data_type": .string(type), "json_type": .string(jsonType(type)), "system_mandatory": .bool(mandatory),
                 "custom_field": .bool(false), "visible": .bool(true), "read_only": .bool(false)])
    }

    private static func jsonType(_ dataType: String) -> String {
        switch dataType {
        case "boolean": return "boolean"
        case "integer", "bigint": return "integer"
        case "double", "currency", "decimal", "percent": return "double"
        case "lookup", "ownerlookup": return "jsonobject"
        case "multiselectpicklist": return "jsonarray"
        default: return "string"
        }
    }

    /// `GET /settings/modules`: the stored modules and the lookup-only ones, all api_supported (an
    /// SDK with auto-refresh then fetches each one's fields, which the replica answers). A module
    /// whose id `load` read from the org's own `settings/modules` keeps that id, the one
    /// `duplicate_record.module.id` carries; the others get made-up ones.
    static func modules(loaded: [Module: String] = [:]) -> ServerAnswer {
        let names = Module.allCases.map(\.rawValue) + lookupOnlyModules.keys.sorted()
        return ServerAnswer(status: 200, body: .object(["modules": .array(names.map { name in
            .object(["api_name": .string(name), "module_name": .string(name), "plural_label": .string(name),
                     "singular_label": .string(String(name.dropLast())),
                     "id": .string(Module(rawValue: name).flatMap { loaded[$0] } ?? moduleID(name)),
                     "api_supported": .bool(true), "generated_type": .string("default"), "creatable": .bool(true),
                     "editable": .bool(true), "deletable": .bool(true), "viewable": .bool(true)])
        })]))
    }

    /// `GET /settings/related_lists?module=M`: campaign membership, the one relation the replica models.
    static func relatedLists(_ name: String?, version: APIVersion) -> ServerAnswer {
        guard let name, let module = Module(name: name), module.rawValue == name else {
            if let name, lookupOnlyModules[name] != nil { return ServerAnswer(status: 200, body: .object(["related_lists": .array([])])) }
            return invalidModule(name ?? "")
        }
        let related: [Module] = module == .campaigns ? [.contacts, .leads] : [.campaigns]
        return ServerAnswer(status: 200, body: .object(["related_lists": .array(related.map { other in
            .object(["api_name": .string(other.rawValue), "display_label": .string(other.rawValue), "name": .string(other.rawValue),
                     "module": version.module(other.rawValue), "href": .string("\(module.rawValue)/{id}/\(other.rawValue)"),
                     "id": .string(moduleID(other.rawValue)), "type": .string("default"), "visible": .bool(true)])
        })]))
    }

    /// `GET /settings/duplicate_check_preference?module=Leads`: the preference as loaded, else none.
    static func duplicateCheckPreference(_ name: String?, context: ReadContext) throws -> ServerAnswer {
        guard let name, let module = Module(name: name), module.rawValue == name else { return invalidModule(name ?? "") }
        if let raw = try DuplicateCheckPreference.storedRaw(context.db, module: module), case .object(let object) = try JSON.parse(raw) {
            return ServerAnswer(status: 200, body: object["duplicate_check_preference"] != nil ? .object(object)
                                : .object(["duplicate_check_preference": .object(object)]))
        }
        return ServerAnswer(status: 200, body: .object(["duplicate_check_preference": .object(["type": .string("none")])]))
    }

    /// `GET /users?type=CurrentUser`: the user the replica writes as.
    static func currentUser() -> ServerAnswer {
        let user = User.replica
        return ServerAnswer(status: 200, body: .object([
            "users": .array([.object([
                "id": .string(user.id), "full_name": .string(user.name), "first_name": .null, "last_name": .string(user.name),
                "email": .string("crm-replica@localhost"), "status": .string("active"),
                "role": .object(["name": .string("CEO"), "id": .string("1000000000000000002")]),
                "profile": .object(["name": .string("Administrator"), "id": .string("1000000000000000003")]),
            ])]),
            "info": .object(["per_page": .number("200"), "count": .number("1"), "page": .number("1"), "more_records": .bool(false)]),
        ]))
    }

    /// `GET /org`: SDK 8 reads `zgid` at start-up.
    static func org() -> ServerAnswer {
        ServerAnswer(status: 200, body: .object(["org": .array([.object([
            "id": .string("1000000000000000010"), "company_name": .string("crm-replica"), "zgid": .string("1000000000000000011"),
            "primary_email": .string("crm-replica@localhost"), "time_zone": .string("UTC"), "currency": .string("USD"),
            "type": .string("production"),
        ])])]))
    }
}
