import Catalogue
import Formats
import Persistence
import Storage

/// Loads the Leads duplicate-check preference (`GET /settings/duplicate_check_preference?module=Leads`):
/// `converted_records`, or `mapped_module_records` with field mappings from Leads to Contacts
/// (docs/zoho-facts.md#leads-duplicate-check-preference). The preference object is kept whole in `raw`; the mappings also go to their
/// own table for the evaluator.
struct PreferenceLoader {
    let file: InputFile
    let document: JSONValue
    let store: RecordStore

    private struct Mapping {
        let currentField: String
        let mappedField: String
    }

    private static let types = ["converted_records", "mapped_module_records"]

    func load() throws -> Tally {
        let reader = JSONReader(path: file.path)
        let path = JSONPath().key("duplicate_check_preference")
        let preference = try reader.object(try reader.object(document, at: JSONPath())["duplicate_check_preference"], at: path)
        let type = try reader.string(preference["type"], at: path.key("type"))
        guard Self.types.contains(type) else {
            throw reader.mismatch(preference["type"], at: path.key("type"), expected: "\"converted_records\" or \"mapped_module_records\"")
        }
        let mappings = type == "mapped_module_records" ? try self.mappings(preference, at: path, reader: reader) : []
        let raw = JSON.write(.object(preference))
        let stored = try DuplicateCheckPreference.storedRaw(store.db, module: .leads)
        var tally = Tally()
        if stored == raw {
            tally.count(.unchanged)
            return tally
        }
        let loaded = DuplicateCheckPreference(type: type, mappings: mappings.map {
            DuplicateCheckPreference.Mapping(currentField: $0.currentField, mappedModule: .contacts, mappedField: $0.mappedField)
        })
        try loaded.store(store.db, module: .leads, raw: raw)
        tally.count(stored == nil ? .inserted : .updated)
        return tally
    }

    /// `type_configurations[].field_mappings[]`: `current_field.api_name` (Leads) to
    /// `mapped_field.api_name` of `mapped_module`, which Zoho allows to be Contacts only.
    private func mappings(_ preference: JSONObject, at path: JSONPath, reader: JSONReader) throws -> [Mapping] {
        let configurationsPath = path.key("type_configurations")
        let configurations = try reader.array(preference["type_configurations"], at: configurationsPath)
        guard !configurations.isEmpty else {
            throw reader.mismatch(preference["type_configurations"], at: configurationsPath,
                                  expected: "at least one configuration for mapped_module_records")
        }
        var mappings: [Mapping] = []
        for (index, item) in configurations.enumerated() {
            let itemPath = configurationsPath.index(index)
            let configuration = try reader.object(item, at: itemPath)
            let modulePath = itemPath.key("mapped_module").key("api_name")
            let mappedModule = try reader.object(configuration["mapped_module"], at: itemPath.key("mapped_module"))["api_name"]
            guard case .string(let name)? = mappedModule, Module(name: name) == .contacts else {
                throw reader.mismatch(mappedModule, at: modulePath, expected: "\"Contacts\" (the only module Zoho maps Leads to)")
            }
            let mappingsPath = itemPath.key("field_mappings")
            for (position, entry) in try reader.array(configuration["field_mappings"], at: mappingsPath).enumerated() {
                let entryPath = mappingsPath.index(position)
                let mapping = try reader.object(entry, at: entryPath)
                mappings.append(Mapping(currentField: try fieldName(mapping, "current_field", at: entryPath, reader: reader),
                                        mappedField: try fieldName(mapping, "mapped_field", at: entryPath, reader: reader)))
            }
        }
        return mappings
    }

    private func fieldName(_ mapping: JSONObject, _ key: String, at path: JSONPath, reader: JSONReader) throws -> String {
        let field = try reader.object(mapping[key], at: path.key(key))
        return try reader.apiName(field["api_name"], at: path.key(key).key("api_name"))
    }
}
