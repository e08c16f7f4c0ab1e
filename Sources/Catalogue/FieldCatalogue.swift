import Foundation
import Persistence

/// The fields of one module: Zoho's standard fields, overridden and extended by loaded
/// `settings/fields` metadata and by custom columns first seen in an export.
public struct FieldCatalogue: Sendable {
    public let module: Module
    /// In catalogue order: metadata order first, then built-ins the metadata did not list.
    public let fields: [FieldDefinition]
    private let byAPIName: [String: Int]
    private let byHeader: [String: Int]
    /// Fields with "Do not allow duplicate values", in catalogue order (every check pattern asks).
    public let uniqueFields: [FieldDefinition]
    /// Each field's value rule, by position: worked out once, since every field of every record
    /// a replay writes is checked.
    private let valueRules: [FieldValueRule?]

    public init(module: Module, fields: [FieldDefinition]) {
        self.module = module
        self.fields = fields
        valueRules = fields.map(FieldValueRule.init)
        uniqueFields = fields.filter(\.isUnique)
        var byAPIName: [String: Int] = [:]
        var byHeader: [String: Int] = [:]
        for (index, field) in fields.enumerated() {
            byAPIName[field.apiName] = byAPIName[field.apiName] ?? index
            byHeader[Self.headerKey(field.label)] = byHeader[Self.headerKey(field.label)] ?? index
        }
        // An API name wins over a label that happens to read the same.
        for (index, field) in fields.enumerated() { byHeader[Self.headerKey(field.apiName)] = index }
        self.byAPIName = byAPIName
        self.byHeader = byHeader
    }

    /// The built-in catalogue, as a module has before any metadata is loaded.
    public static func builtin(_ module: Module) -> FieldCatalogue {
        FieldCatalogue(module: module, fields: BuiltinFields.fields(for: module))
    }

    public func field(_ apiName: String) -> FieldDefinition? { byAPIName[apiName].map { fields[$0] } }

    /// Whether the catalogue has `apiName`, without copying its definition (asked of every field
    /// of every record a replay evaluates).
    public func contains(_ apiName: String) -> Bool { byAPIName[apiName] != nil }

    public func isEmail(_ apiName: String) -> Bool { byAPIName[apiName].map { fields[$0].isEmail } ?? false }

    /// How values of `apiName` are checked; nil for a field the catalogue lacks or whose type has no rule.
    public func valueRule(_ apiName: String) -> FieldValueRule? { byAPIName[apiName].flatMap { valueRules[$0] } }

    /// Fields a duplicate question may have to find through an index but that have no column of
    /// their own: kept in `field_values`.
    public var sideIndexedFields: [FieldDefinition] {
        fields.filter { ($0.isUnique || $0.isEmail) && $0.apiName != "id" && module.keyColumn(for: $0.apiName) == nil }
    }

    /// Maps an export header (display label or API name) to an API name. Case is ignored and a
    /// space counts as an underscore, so `Last Name`, `last_name` and `Last_Name` are one field.
    public func apiName(forHeader header: String) -> String? {
        byHeader[Self.headerKey(header)].map { fields[$0].apiName }
    }

    /// The form headers are compared in: trimmed, lower case, a space as an underscore.
    public static func headerKey(_ text: String) -> String {
        String(text.trimmingCharacters(in: .whitespaces).lowercased().map { $0 == " " ? "_" : $0 })
    }

    /// Zoho API names are letters, digits and underscores (a leading `$` for system keys).
    /// Anything else never reaches SQL as a name.
    public static func isValidAPIName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.utf8.count <= 200 else { return false }
        guard first == "$" || first.properties.isAlphabetic && first.isASCII else { return false }
        return name.unicodeScalars.dropFirst().allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    /// The API name a custom column of an export gets when no metadata names it:
    /// the label with spaces as underscores, as Zoho derives API names from labels.
    public static func derivedAPIName(forLabel label: String) -> String? {
        let candidate = String(label.trimmingCharacters(in: .whitespaces).map { $0 == " " || $0 == "-" ? "_" : $0 })
        return isValidAPIName(candidate) ? candidate : nil
    }
}

extension FieldCatalogue {
    /// The catalogue of `module` as stored in `db`.
    public static func load(_ db: Database, module: Module) throws -> FieldCatalogue {
        let stored = try db.statement("""
            SELECT api_name, field_label, data_type, is_unique, system_mandatory, custom_field, source, length
            FROM fields WHERE module = ? ORDER BY position
            """).rows([.text(module.rawValue)]) { row in
            FieldDefinition(module: module, apiName: row.text(0) ?? "", label: row.text(1) ?? "",
                            dataType: row.text(2) ?? "text", isUnique: row.int(3) != 0,
                            systemMandatory: row.int(4) != 0, isCustom: row.int(5) != 0,
                            source: FieldDefinition.Source(rawValue: row.text(6) ?? "") ?? .metadata,
                            length: row.isNull(7) ? nil : row.int(7))
        }
        let storedNames = Set(stored.map(\.apiName))
        let builtins = BuiltinFields.fields(for: module).filter { !storedNames.contains($0.apiName) }
        // Metadata describes the org's layout, so it leads; export-only columns follow the built-ins.
        let metadata = stored.filter { $0.source == .metadata }
        let exported = stored.filter { $0.source == .export }
        return FieldCatalogue(module: module, fields: metadata + builtins + exported)
    }

    /// Whether a `settings/fields` response was loaded for `module`: without one, no field is
    /// known to be unique.
    public static func hasMetadata(_ db: Database, module: Module) throws -> Bool {
        try db.scalarInt("SELECT EXISTS (SELECT 1 FROM fields WHERE module = ? AND source = 'metadata')", [.text(module.rawValue)]) != 0
    }

    /// Replaces the module's metadata with a loaded `settings/fields` response. Columns first
    /// seen in exports that the metadata now names become metadata.
    public static func storeMetadata(_ db: Database, module: Module, fields: [FieldDefinition]) throws {
        try db.run("DELETE FROM fields WHERE module = ? AND source = 'metadata'", [.text(module.rawValue)])
        let insert = try db.statement("""
            INSERT INTO fields (module, api_name, field_label, data_type, is_unique, system_mandatory, custom_field, position, length, source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'metadata')
            ON CONFLICT (module, api_name) DO UPDATE SET field_label = excluded.field_label, data_type = excluded.data_type,
              is_unique = excluded.is_unique, system_mandatory = excluded.system_mandatory,
              custom_field = excluded.custom_field, position = excluded.position, length = excluded.length, source = 'metadata'
            """)
        for (position, field) in fields.enumerated() {
            try insert.run([.text(module.rawValue), .text(field.apiName), .text(field.label), .text(field.dataType),
                            .integer(field.isUnique ? 1 : 0), .integer(field.systemMandatory ? 1 : 0),
                            .integer(field.isCustom ? 1 : 0), .integer(Int64(position)),
                            field.length.map { .integer(Int64($0)) } ?? .null])
        }
    }

    /// Records custom columns of an export that the catalogue does not know yet.
    public static func storeExportFields(_ db: Database, module: Module, fields: [FieldDefinition]) throws {
        let next = try db.scalarInt("SELECT coalesce(max(position), 0) + 1000 FROM fields WHERE module = ?", [.text(module.rawValue)])
        let insert = try db.statement("""
            INSERT INTO fields (module, api_name, field_label, data_type, position, custom_field, source)
            VALUES (?, ?, ?, ?, ?, 1, 'export') ON CONFLICT (module, api_name) DO NOTHING
            """)
        for (offset, field) in fields.enumerated() {
            try insert.run([.text(module.rawValue), .text(field.apiName), .text(field.label), .text(field.dataType),
                            .integer(Int64(next + offset))])
        }
    }

    /// Marks one field unique or not (the `unique` metadata, set by hand).
    public static func setUnique(_ db: Database, module: Module, field: FieldDefinition, unique: Bool) throws {
        let position = try db.scalarInt("SELECT coalesce(max(position), 0) + 1 FROM fields WHERE module = ?", [.text(module.rawValue)])
        try db.run("""
            INSERT INTO fields (module, api_name, field_label, data_type, is_unique, system_mandatory, custom_field, position, source)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (module, api_name) DO UPDATE SET is_unique = excluded.is_unique
            """, [.text(module.rawValue), .text(field.apiName), .text(field.label), .text(field.dataType),
                  .integer(unique ? 1 : 0), .integer(field.systemMandatory ? 1 : 0), .integer(field.isCustom ? 1 : 0),
                  .integer(Int64(position)), .text(field.source == .export ? "export" : "metadata")])
    }
}
