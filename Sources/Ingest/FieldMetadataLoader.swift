import Catalogue
import Formats
import Persistence
import Storage

/// Loads a `GET /settings/fields?module=M` response into the field catalogue: labels, data
/// types and lengths (what values the fields take), system-mandatory flags, and which fields are unique (`unique` other than `{}`,
/// docs/zoho-facts.md#field-metadata). The response does not name its module: it comes from the file name or
/// `--module`.
///
/// Counts compare each field with what the catalogue stored before: a field not stored yet is
/// inserted, one whose label, type, flags or position differ is updated. When anything changed,
/// the side index of checked fields is rebuilt, since a field may have become unique.
struct FieldMetadataLoader {
    let file: InputFile
    let document: JSONValue
    let module: Module
    let store: RecordStore

    /// A catalogue row as compared: what `storeMetadata` writes for a field at a position.
    private struct StoredField: Equatable {
        let label: String
        let dataType: String
        let isUnique: Bool
        let systemMandatory: Bool
        let isCustom: Bool
        let position: Int
        let length: Int?
        let fromMetadata: Bool
    }

    func load() throws -> Tally {
        let definitions = try parse()
        let stored = try storedFields()
        var tally = Tally()
        for (position, field) in definitions.enumerated() {
            let now = StoredField(label: field.label, dataType: field.dataType, isUnique: field.isUnique,
                                  systemMandatory: field.systemMandatory, isCustom: field.isCustom,
                                  position: position, length: field.length, fromMetadata: true)
            tally.count(stored[field.apiName].map { $0 == now ? .unchanged : .updated } ?? .inserted)
        }
        let storedMetadata = Set(stored.filter(\.value.fromMetadata).keys)
        let dropped = !storedMetadata.isSubset(of: Set(definitions.map(\.apiName)))
        if tally.inserted + tally.updated > 0 || dropped {
            try FieldCatalogue.storeMetadata(store.db, module: module, fields: definitions)
            try store.reindexSideFields(module: module)
        }
        return tally
    }

    private func parse() throws -> [FieldDefinition] {
        let reader = JSONReader(path: file.path)
        let root = JSONPath()
        let fieldsPath = root.key("fields")
        let items = try reader.array(try reader.object(document, at: root)["fields"], at: fieldsPath)
        var definitions: [FieldDefinition] = []
        for (field, apiName, path) in try reader.namedObjects(items, at: fieldsPath, what: "the field") {
            let labelKey = field["field_label"] != nil ? "field_label" : "display_label"
            definitions.append(FieldDefinition(
                module: module, apiName: apiName,
                label: try reader.string(field[labelKey], at: path.key(labelKey)),
                dataType: try reader.string(field["data_type"], at: path.key("data_type")),
                isUnique: try isUnique(field["unique"], at: path.key("unique"), reader: reader),
                systemMandatory: try reader.optionalBool(field["system_mandatory"], at: path.key("system_mandatory")) ?? false,
                isCustom: try reader.optionalBool(field["custom_field"], at: path.key("custom_field")) ?? false,
                source: .metadata,
                length: try reader.optionalCount(field["length"], at: path.key("length"))))
        }
        return definitions
    }

    /// `{}` is "duplicates allowed"; `{"case_sensitive":false}` (any non-empty object) is unique.
    private func isUnique(_ value: JSONValue?, at path: JSONPath, reader: JSONReader) throws -> Bool {
        switch value {
        case nil, .null?: return false
        case .object(let settings)?: return !settings.isEmpty
        default: throw reader.mismatch(value, at: path, expected: "{} or {\"case_sensitive\":false}")
        }
    }

    private func storedFields() throws -> [String: StoredField] {
        var stored: [String: StoredField] = [:]
        try store.db.statement("""
            SELECT api_name, field_label, data_type, is_unique, system_mandatory, custom_field, position, source, length
            FROM fields WHERE module = ?
            """).forEachRow([.text(module.rawValue)]) { row in
            stored[row.text(0) ?? ""] = StoredField(label: row.text(1) ?? "", dataType: row.text(2) ?? "",
                                                    isUnique: row.int(3) != 0, systemMandatory: row.int(4) != 0,
                                                    isCustom: row.int(5) != 0, position: row.int(6),
                                                    length: row.isNull(8) ? nil : row.int(8),
                                                    fromMetadata: row.text(7) == "metadata")
        }
        return stored
    }
}
